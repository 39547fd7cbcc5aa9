"""The cases module consumes screening's ``risk_identified``: acute and high open a case at once."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from cases.models import Case, Category, Source
from screening.events import URGENT_LEVELS, risk_identified, risk_identified_batch


def category_for(fired: list[str]) -> str:
    """Suicidal intent when the ASQ or PHQ-A fired; otherwise what screened was bullying."""
    text = " ".join(fired or [])
    return Category.SUICIDE_RISK if ("asq" in text or "phq" in text) else Category.BULLYING


@receiver(risk_identified, dispatch_uid="cases.open_from_screening")
def open_from_screening(sender: Any, participant: Any, alert: Any, level: str, batch: bool = False, **kw: Any) -> None:
    """A suicidal-intent case (or bullying) in the same transaction as the result."""
    if batch or level not in URGENT_LEVELS or Case.objects.filter(screening_alert=alert).exists():
        return
    from cases.engine import open_case, people_with_role
    from core.roles import Role
    from screening.models import RiskAlert

    fired = list(kw.get("fired") or [])
    open_case(
        None,
        children=[participant.child],
        category=category_for(fired),
        risk_level=level,
        source=Source.SCREENING,
        organisation=participant.school,
        summary=f"{participant.campaign.title}: {', '.join(fired)}",
        alert=alert,
        case_manager=next(iter(people_with_role(participant.school, Role.PSYCHOLOGIST)), None),
    )
    RiskAlert.objects.filter(pk=alert.pk).update(status=RiskAlert.Status.CASE_OPENED)


@receiver(risk_identified_batch, dispatch_uid="cases.open_from_screening_batch")
def open_from_screening_batch(sender: Any, alerts: list[Any], **kw: Any) -> None:
    """The cases of a paper import, opened in bulk in the import's transaction."""
    from cases.engine import open_cases_for_alerts

    open_cases_for_alerts([a for a in alerts if a.level in URGENT_LEVELS])
