"""Plan models: the plan and its parts as imported, and its reporting cycle."""

from plans.models.plans import Measure, MeasureExecutor, MeasureFunding, Plan, PlanSection, TargetIndicator
from plans.models.reports import MeasureReport, Reminder, ReportDocument

__all__ = [
    "Measure",
    "MeasureExecutor",
    "MeasureFunding",
    "MeasureReport",
    "Plan",
    "PlanSection",
    "Reminder",
    "ReportDocument",
    "TargetIndicator",
]
