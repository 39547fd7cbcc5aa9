"""Changes to cases other than the engine's: status, closure, notes, documents, council, plan, referrals.

Each function takes the acting user, goes through :mod:`core.actions` (scope re-checked inside the
transaction, audited by the models) and writes a line on the case's timeline.
"""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.engine import event
from cases.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseNote,
    CasePlanItem,
    Category,
    CouncilDecision,
    Referral,
)
from core import actions, scope
from core.models import Consent, Organisation
from core.uploads import UploadRefused, check_upload

# Reports that the law requires whatever the family says (violence, an attempt on the child's life).
MANDATORY_REPORTS = {
    Category.SUICIDE_ATTEMPT,
    Category.VIOLENCE_PHYSICAL,
    Category.VIOLENCE_PSYCHOLOGICAL,
    Category.VIOLENCE_SEXUAL,
    Category.NEGLECT,
}
OPEN_STATUSES = [s for s in Case.Status if s not in (Case.Status.CLOSED,)]


def _versioned(case: Case, version: int | None) -> Case:
    if version is not None:
        case.version = version
    return case


def change_status(user: Any, case: Case, status: str, *, version: int | None = None) -> Case:
    """Move a case along open → assessment → planning → in progress → monitoring (closing has its own path)."""
    if status in (Case.Status.CLOSING, Case.Status.CLOSED) or status not in Case.Status.values:
        raise ValueError(str(_("Use “request closure” to close a case.")))
    if case.status in (Case.Status.CLOSING, Case.Status.CLOSED):
        raise ValueError(str(_("The case is being closed or is closed; reopen it first.")))
    old = case.get_status_display()
    case.status = status
    with transaction.atomic():
        actions.update_object(user, _versioned(case, version))
        event(
            case,
            CaseEvent.Kind.STATUS,
            user,
            _("Status: %(old)s → %(new)s.") % {"old": old, "new": case.get_status_display()},
        )
    return case


def request_closure(user: Any, case: Case, outcome: str, *, version: int | None = None) -> Case:
    if case.status in (Case.Status.CLOSING, Case.Status.CLOSED):
        raise ValueError(str(_("The case is already being closed.")))
    if not outcome.strip():
        raise ValueError(str(_("Describe the outcome of the case.")))
    open_tasks = case.tasks.filter(status="open").count()
    if open_tasks:
        raise ValueError(
            str(_("%(n)s steps of the protocol are still open: complete them or mark them not needed first."))
            % {"n": open_tasks}
        )
    case.status = Case.Status.CLOSING
    case.outcome = outcome.strip()
    case.closure_requested_by = user
    with transaction.atomic():
        actions.update_object(user, _versioned(case, version))
        event(case, CaseEvent.Kind.STATUS, user, _("Closure requested: %(outcome)s") % {"outcome": case.outcome})
    return case


def approve_closure(user: Any, case: Case, *, approve: bool = True, comment: str = "") -> Case:
    """A supervisor (director or case manager) approves the closure, or sends the case back."""
    if case.status != Case.Status.CLOSING:
        raise ValueError(str(_("No closure is waiting for approval.")))
    if not scope.may(user, "approve", case):
        raise PermissionDenied(str(_("Only a supervisor can approve the closure of a case.")))
    if approve and case.closure_requested_by_id == getattr(user, "pk", None):
        raise PermissionDenied(str(_("The closure must be approved by someone other than who requested it.")))
    now = timezone.now()
    with transaction.atomic():
        if approve:
            case.status, case.closed_at, case.closure_approved_by = Case.Status.CLOSED, now, user
            actions.update_object(user, case, action="approve")
            event(case, CaseEvent.Kind.CLOSED, user, _("Case closed. Outcome: %(outcome)s") % {"outcome": case.outcome})
        else:
            case.status = Case.Status.MONITORING
            actions.update_object(user, case, action="approve")
            event(case, CaseEvent.Kind.STATUS, user, _("Closure not approved: %(comment)s") % {"comment": comment})
    return case


def reopen(user: Any, case: Case, reason: str) -> Case:
    if case.status != Case.Status.CLOSED:
        raise ValueError(str(_("Only a closed case can be reopened.")))
    if not reason.strip():
        raise ValueError(str(_("Say why the case is reopened.")))
    case.status, case.closed_at, case.closure_approved_by = Case.Status.IN_PROGRESS, None, None
    with transaction.atomic():
        actions.update_object(user, case)
        event(case, CaseEvent.Kind.REOPENED, user, _("Case reopened: %(reason)s") % {"reason": reason.strip()})
    return case


def add_note(user: Any, case: Case, text: str, *, confidential: bool = False) -> CaseNote:
    if confidential and not scope.can(user, "casenote.view_confidential"):
        raise PermissionDenied(str(_("You cannot write confidential notes.")))
    with transaction.atomic():
        note = actions.create_object(user, CaseNote(case=case, author=user, text=text, confidential=confidential))
        event(
            case,
            CaseEvent.Kind.NOTE,
            user,
            _("Confidential note added.") if confidential else _("Note added."),
            note=str(note.uuid),
        )
    return note


# The shared upload check refuses with this error (kept under its old name for the case pages).
AttachmentRefused = UploadRefused


def add_attachment(user: Any, case: Case, upload: IO[bytes], name: str, description: str = "") -> Attachment:
    """Store a document of an allowed type and size on disk; the database keeps its name and checksum."""
    checked = check_upload(upload, name)
    attachment = Attachment(
        case=case,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description,
        uploaded_by=user,
    )
    data = checked.data
    attachment.file.save(attachment.name, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            actions.create_object(user, attachment)
            event(
                case,
                CaseEvent.Kind.ATTACHMENT,
                user,
                _("Document attached: %(name)s") % {"name": attachment.name},
                attachment=str(attachment.uuid),
            )
    except BaseException:
        attachment.file.delete(save=False)  # nothing half-written: no orphan file without its record
        raise
    return attachment


def add_council_decision(user: Any, case: Case, *, held_on: Any, participants: str, decision: str) -> CouncilDecision:
    with transaction.atomic():
        obj = actions.create_object(
            user,
            CouncilDecision(case=case, held_on=held_on, participants=participants, decision=decision, recorded_by=user),
        )
        event(case, CaseEvent.Kind.COUNCIL, user, _("Council decision: %(decision)s") % {"decision": decision[:300]})
    return obj


def add_plan_item(user: Any, case: Case, *, action: str, responsible: str = "", due_on: Any = None) -> CasePlanItem:
    with transaction.atomic():
        item = actions.create_object(
            user, CasePlanItem(case=case, action=action, responsible=responsible, due_on=due_on)
        )
        event(case, CaseEvent.Kind.PLAN, user, _("Plan: %(action)s") % {"action": action})
    return item


# --- Referrals -------------------------------------------------------------------------------------


def consent_for_referral(case: Case) -> Consent | None:
    """An active referral consent of a legal representative for every child of the case (the latest one)."""
    found = None
    for child_id in case.case_children.values_list("child_id", flat=True):
        consent = (
            Consent.objects.filter(child_id=child_id, purpose=Consent.Purpose.REFERRAL, withdrawn_at__isnull=True)
            .order_by("-given_on", "-created_at")
            .first()
        )
        if consent is None or not consent.granted:
            return None
        found = found or consent
    return found


def refer(user: Any, case: Case, *, to: Organisation, kind: str, reason: str) -> Referral:
    """Ask another organisation to take part in (or take over) the case; consent is checked first."""
    if to.pk == case.organisation_id:
        raise ValueError(str(_("The case already belongs to this organisation.")))
    if case.status == Case.Status.CLOSED:
        raise ValueError(str(_("A closed case cannot be referred.")))
    consent = consent_for_referral(case)
    if consent is None and case.category not in MANDATORY_REPORTS:
        raise ValueError(
            str(_("No consent of the legal representative to a referral is recorded for every child of the case."))
        )
    with transaction.atomic():
        referral = actions.create_object(
            user,
            Referral(
                case=case,
                kind=kind,
                from_organisation=case.organisation,
                to_organisation=to,
                reason=reason,
                consent=consent,
                requested_by=user,
            ),
        )
        basis = _("consent recorded") if consent else _("mandatory report, no consent needed")
        event(
            case,
            CaseEvent.Kind.REFERRAL,
            user,
            _("%(kind)s requested to %(org)s (%(basis)s).")
            % {"kind": referral.get_kind_display(), "org": to.name, "basis": basis},
            referral=str(referral.uuid),
        )
        from cases.engine import people_with_role
        from core.notify import notify
        from core.roles import CAPABILITIES

        receivers = {
            u
            for role, caps in CAPABILITIES.items()
            if "referral.change" in caps
            for u in people_with_role(to, role)
            if u.assignments.filter(organisation=to).exists()
        }
        notify(
            receivers,
            kind="referral",
            subject=_("A case was referred to your organisation"),
            body=_("Open the referral to accept or decline it."),
            link="/cases/referrals/",
            urgent=False,
        )
    return referral


def decide_referral(user: Any, referral: Referral, *, accept: bool, reason: str = "") -> Referral:
    """The receiving organisation accepts (it then sees that case) or declines with a reason."""
    if referral.status != Referral.Status.REQUESTED:
        raise ValueError(str(_("This referral has already been decided.")))
    receiving = scope.organisation_q(user, "referral.change")
    if receiving is None or not Organisation.objects.filter(receiving, pk=referral.to_organisation_id).exists():
        raise PermissionDenied(str(_("Only the receiving organisation can decide a referral.")))
    if not accept and not reason.strip():
        raise ValueError(str(_("Give the reason for declining.")))
    referral.status = Referral.Status.ACCEPTED if accept else Referral.Status.DECLINED
    referral.decided_by, referral.decided_at, referral.decline_reason = user, timezone.now(), reason.strip()
    case = referral.case
    with transaction.atomic():
        actions.update_object(user, referral)
        if accept and referral.kind == Referral.Kind.TRANSFER:
            Case.objects.filter(pk=case.pk).update(organisation=referral.to_organisation)
        text = (_("%(org)s accepted the %(kind)s.") if accept else _("%(org)s declined the %(kind)s: %(reason)s")) % {
            "org": referral.to_organisation.name,
            "kind": referral.get_kind_display(),
            "reason": reason,
        }
        event(case, CaseEvent.Kind.REFERRAL, user, text, referral=str(referral.uuid))
    return referral
