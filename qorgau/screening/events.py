"""The ``risk_identified`` event and what happens when it fires.

A completed screening whose risk level is ``moderate`` or worse fires ``risk_identified`` inside the
transaction that stores the result: the :class:`~screening.models.RiskAlert` row, the notifications and
whatever a receiver does (the cases module opens a case) commit together with the result or not at all,
so an alert cannot be lost between two systems. ``acute`` and ``high`` notify the school's psychologists
and director at once (urgent, with an e-mail copy after the commit).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import partial
from typing import Any

from django.db.models import Q
from django.dispatch import Signal, receiver
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from core.models import Organisation, RoleAssignment, User
from core.notify import notify
from core.roles import Role
from screening.models import Participant

# Sent with sender=Participant and keyword arguments participant, alert, level, fired, flags (and
# batch=True when the alert is one of many created together, e.g. by a paper import).
risk_identified = Signal()
# Sent once per bulk-created batch with sender=Participant and alerts=[RiskAlert, …], after the
# individual risk_identified(batch=True) signals: consumers that act on many alerts at once (the cases
# module opens its cases in bulk) listen here and ignore the batch=True individual signals.
risk_identified_batch = Signal()

ALERT_LEVELS = ("moderate", "high", "acute")
URGENT_LEVELS = ("high", "acute")

LEVEL_LABELS = {
    "acute": _("acute"),
    "high": _("high"),
    "moderate": _("moderate"),
    "low": _("low"),
    "none": _("none"),
}


def responsible_staff(school: Organisation) -> list[User]:
    """Psychologists and directors of the school; the psychological support centre when it has no psychologist."""
    at_school = RoleAssignment.objects.filter(
        organisation=school, role__in=[Role.PSYCHOLOGIST, Role.DIRECTOR], user__is_active=True
    )
    users = {a.user for a in at_school.select_related("user")}
    if not at_school.filter(role=Role.PSYCHOLOGIST).exists():
        ancestors = [school.path[:i] for i in range(6, len(school.path), 6)]
        cpp = RoleAssignment.objects.filter(
            Q(organisation__path__in=ancestors, include_subtree=True) | Q(organisation=school),
            role=Role.CPP_SPECIALIST,
            user__is_active=True,
        )
        users |= {a.user for a in cpp.select_related("user")}
    return sorted(users, key=lambda u: u.pk)


@receiver(risk_identified, dispatch_uid="screening.notify_on_risk")
def notify_staff(sender: Any, participant: Any, alert: Any, level: str, batch: bool = False, **kwargs: Any) -> None:
    if level not in URGENT_LEVELS or batch:  # a batch (paper import) is told once per school: notify_batch
        return
    notify(
        responsible_staff(participant.school),
        kind="risk_identified",
        subject=_("Screening: %(level)s risk identified in class %(class)s"),
        body=_(
            "A student of class %(class)s screened at %(level)s risk in “%(campaign)s”. "
            "Open the alert and act under the response protocol today."
        ),
        params={"level": LEVEL_LABELS[level], "class": participant.class_name, "campaign": participant.campaign.title},
        link=reverse("screening:alert-detail", kwargs={"uuid": alert.uuid}),
        urgent=True,
    )


def fire_batch(alerts: list[Any]) -> None:
    """``risk_identified`` for alerts created in bulk (paper import); the participant loads on first use."""
    for alert in alerts:
        risk_identified.send(
            sender=Participant,
            participant=SimpleLazyObject(partial(getattr, alert, "participant")),
            alert=alert,
            level=alert.level,
            fired=alert.fired,
            flags=alert.flags,
            batch=True,
        )
    risk_identified_batch.send(sender=Participant, alerts=alerts)


def notify_batch(campaign: Any, schools_levels: list[tuple[int, str]]) -> None:
    """One urgent notification per school for the acute and high results of a paper import."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for school_id, level in schools_levels:
        if level in URGENT_LEVELS:
            counts[school_id][level] += 1
    for school in Organisation.objects.filter(pk__in=counts):
        c = counts[school.pk]
        notify(
            responsible_staff(school),
            kind="risk_identified",
            subject=_("Screening: %(n)s students at acute or high risk (paper forms)"),
            body=_(
                "The paper forms imported for “%(campaign)s” show %(acute)s students at acute and %(high)s at "
                "high risk. Open the alert list and act under the response protocol today."
            ),
            params={"n": c["acute"] + c["high"], "acute": c["acute"], "high": c["high"], "campaign": campaign.title},
            link=reverse("screening:alert-list"),
            urgent=True,
        )
