"""Tasks: the protocol's steps made concrete for one case, with stored due times."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case, referred_q
from core.models import VersionedModel


class CaseTask(VersionedModel):
    """One step of a case's protocol: who must do what by when, and what was done.

    The step's long texts (its description and the title of the record it asks for) are read from the
    case's stored protocol version, not copied into every task (a national paper import opens a million
    tasks); the short title, shown in lists and notifications, is kept on the task.

    An overdue task is escalated exactly once: the sweep inserts its :class:`TaskEscalation` row (see
    :func:`cases.engine.escalate_overdue`); the primary key makes a second insert a no-op.
    """

    scope_path: ClassVar[str] = "case__organisation"

    class Status(models.TextChoices):
        OPEN = "open", _("to do")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("not needed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField(default=0)
    step_code = models.CharField(_("step"), max_length=60)
    title = models.JSONField(_("title"), default=dict)
    responsible_role = models.CharField(_("responsible role"), max_length=30, blank=True)
    responsible_agency = models.CharField(_("responsible agency"), max_length=40, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="case_tasks"
    )
    due_at = models.DateTimeField(_("due"))
    calendar = models.CharField(max_length=20, default="24x7")
    record_kind = models.CharField(_("record required"), max_length=20, blank=True)
    record_required = models.BooleanField(default=True)
    escalate_role = models.CharField(max_length=30, blank=True)
    escalate_agency = models.CharField(max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    record = models.TextField(_("record"), blank=True)

    class Meta:
        ordering = ["case", "position"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            # The escalation sweep: open steps by due time.
            models.Index(fields=["due_at"], name="casetask_open_due", condition=Q(status="open")),
            models.Index(fields=["assignee", "status", "due_at"], name="casetask_assignee"),
        ]

    def __str__(self) -> str:
        return self.text(self.title)

    @staticmethod
    def text(mapping: dict[str, str]) -> str:
        lang = (get_language() or "kk")[:2]
        return mapping.get(lang) or mapping.get("ru") or mapping.get("en") or next(iter(mapping.values()), "")

    @property
    def display_title(self) -> str:
        return self.text(self.title)

    @property
    def step(self) -> dict[str, Any]:
        """This step as the case's protocol version defines it ({} for a case without a protocol)."""
        version = self.case.protocol
        return version.step(self.step_code) if version is not None else {}

    @property
    def description(self) -> dict[str, str]:
        return dict(self.step.get("description") or {})

    @property
    def record_title(self) -> dict[str, str]:
        return dict((self.step.get("record") or {}).get("title") or {})

    @property
    def escalated_at(self) -> Any:
        """When the step was escalated (None if it was not)."""
        try:
            return self.escalation.escalated_at
        except TaskEscalation.DoesNotExist:
            return None

    @property
    def is_on_time(self) -> bool | None:
        if self.completed_at is None:
            return None
        return self.completed_at <= self.due_at

    @classmethod
    def extra_scope(cls, user: Any, action: str) -> Q | None:
        return referred_q(user, f"casetask.{action}", "case__")


class TaskEscalation(models.Model):
    """That a task was escalated, and when: a narrow insert-only table (the task row is not rewritten).

    Written only by the escalation sweep, which records one audit entry per batch.

    No foreign-key constraint in the database (``db_constraint=False``): every row is inserted by the
    sweep's ``INSERT … SELECT`` from ``cases_casetask`` in the same statement, so the task exists by
    construction, and tasks are never deleted outside the ORM (whose cascade still removes the
    escalation). The deferred constraint check cost a million row locks on the task table at the
    sweep's commit (7 s of a 29 s sweep over a million steps; see docs/cases.md).
    """

    task = models.OneToOneField(
        CaseTask, on_delete=models.CASCADE, primary_key=True, related_name="escalation", db_constraint=False
    )
    escalated_at = models.DateTimeField(_("escalated at"))

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")

    def __str__(self) -> str:
        return f"{self.task_id} @ {self.escalated_at:%Y-%m-%d %H:%M}"
