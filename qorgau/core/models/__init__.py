"""Core models, one file per aggregate."""

from core.models.agencies import Agency, AgencyAlias
from core.models.audit import AuditEntry
from core.models.base import AuditedModel, ConflictError, ScopedModel, ScopedQuerySet, VersionedModel
from core.models.notifications import Notification
from core.models.people import Child, Consent, LegalRepresentative, Sex
from core.models.territory import District, Organisation, OrganisationKind, Region
from core.models.users import RoleAssignment, User

__all__ = [
    "Agency",
    "AgencyAlias",
    "AuditEntry",
    "AuditedModel",
    "Child",
    "ConflictError",
    "Consent",
    "District",
    "LegalRepresentative",
    "Notification",
    "Organisation",
    "OrganisationKind",
    "Region",
    "RoleAssignment",
    "ScopedModel",
    "ScopedQuerySet",
    "Sex",
    "User",
    "VersionedModel",
]
