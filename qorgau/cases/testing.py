"""Test support of cases: builders for the endpoint walk (imported by the root conftest)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db.models import Model

from cases.models import Attachment, Case, CaseTask, Referral
from core import audit
from core.models import Child, OrganisationKind
from core.testing import OrganisationFactory, Site, UserFactory, walk_builder

PDF = b"%PDF-1.4\n% Qorgau test document\n"


@walk_builder(Case)
def _build_case(site: Site) -> Model:
    from cases.engine import open_case

    with audit.system_context("test fixture"):
        return open_case(
            None,
            children=[site.objects[Child]],  # type: ignore[list-item]
            category="bullying",
            risk_level="moderate",
            source="staff",
            organisation=site.school,
            summary="Walk case",
        )


@walk_builder(CaseTask)
def _build_task(site: Site) -> Model:
    return CaseTask.objects.filter(case=site.objects[Case]).order_by("position").first()  # type: ignore[return-value]


@walk_builder(Attachment)
def _build_attachment(site: Site) -> Model:
    case = site.objects[Case]
    author = UserFactory(username=f"author-{site.region_pcode}")
    with audit.system_context("test fixture"):
        attachment = Attachment(
            case=case,
            name="act.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            uploaded_by=author,
        )
        attachment.file.save("act.pdf", ContentFile(PDF), save=False)
        attachment.save()
    return attachment


@walk_builder(Referral)
def _build_referral(site: Site) -> Model:
    """A referral from the school to a police unit of its region (requested, not yet decided)."""
    police = OrganisationFactory(kind=OrganisationKind.POLICE, parent=site.school.parent)
    author = UserFactory(username=f"referrer-{site.region_pcode}")
    with audit.system_context("test fixture"):
        return Referral.objects.create(
            case=site.objects[Case],
            from_organisation=site.school,
            to_organisation=police,
            reason="Walk referral",
            requested_by=author,
        )
