"""Case models: cases, tasks, timeline, plan, notes, attachments, council decisions, referrals."""

from cases.models.cases import Case, CaseChild, CaseEvent, Category, ProtocolVersion, RiskLevel, Source
from cases.models.referrals import Referral
from cases.models.tasks import CaseTask, TaskEscalation
from cases.models.work import Attachment, CaseNote, CasePlanItem, CouncilDecision

__all__ = [
    "Attachment",
    "Case",
    "CaseChild",
    "CaseEvent",
    "CaseNote",
    "CasePlanItem",
    "CaseTask",
    "Category",
    "CouncilDecision",
    "ProtocolVersion",
    "Referral",
    "RiskLevel",
    "Source",
    "TaskEscalation",
]
