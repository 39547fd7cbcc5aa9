"""Tell people things: an in-app notification for each recipient and an e-mail copy after the commit.

Texts are rendered in each recipient's preferred language, so callers pass lazy (``gettext_lazy``)
templates and parameters rather than finished strings. The notification row is written in the caller's
transaction (an alert is never lost because a mail server was down); the e-mail goes out only once
that transaction commits, and a failed send is logged and left for a retry (``emailed_at`` stays empty).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from core.models import Notification, User

log = logging.getLogger(__name__)


def _render(template: Any, params: dict[str, Any]) -> str:
    return str(template) % {k: str(v) for k, v in params.items()} if params else str(template)


def _build(
    user: User, kind: str, subject: Any, body: Any, params: dict[str, Any], link: str, urgent: bool
) -> Notification:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        return Notification(
            recipient=user,
            kind=kind,
            priority=Notification.Priority.URGENT if urgent else Notification.Priority.NORMAL,
            subject=_render(subject, params)[:200],
            body=_render(body, params) if body else "",
            link=link,
        )


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    subject: Any,
    body: Any = "",
    params: dict[str, Any] | None = None,
    link: str = "",
    urgent: bool = False,
) -> list[Notification]:
    """Create one notification per distinct active recipient; e-mail those with an address after commit."""
    params = params or {}
    created: list[Notification] = []
    seen: set[int] = set()
    for user in recipients:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        note = _build(user, kind, subject, body, params, link, urgent)
        note.save()
        created.append(note)
    _email_after_commit(created)
    return created


def notify_each(
    entries: Iterable[tuple[User, dict[str, Any]]],
    *,
    kind: str,
    subject: Any,
    body: Any = "",
    link: str = "",
    urgent: bool = False,
) -> list[Notification]:
    """Many notifications of one kind, each with its own parameters, written in one statement (e.g. the
    escalation sweep's one notification per supervisor)."""
    notes = [_build(user, kind, subject, body, params, link, urgent) for user, params in entries if user.is_active]
    created = Notification.objects.bulk_create(notes, batch_size=2000)
    _email_after_commit(created)
    return created


def _email_after_commit(created: list[Notification]) -> None:
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: send_emails(ids))


def send_emails(ids: list[int]) -> int:
    """Send the e-mail copies of these notifications (those not sent yet), and the urgent ones through the
    other active channels (SMS, Telegram); returns how many e-mails went out."""
    from core import audit, channels

    extra = channels.active()
    if extra:
        for note in Notification.objects.filter(pk__in=ids, priority=Notification.Priority.URGENT).select_related(
            "recipient"
        ):
            for channel in extra:
                channel.send(note.recipient, f"{note.subject}\n{note.link}".strip())
    sent = 0
    for note in Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("recipient"):
        address = note.recipient.email
        if not address:
            continue
        try:
            send_mail(note.subject, f"{note.body}\n\n{note.link}".strip(), None, [address])
        except OSError:
            log.exception("could not e-mail notification %s", note.pk)
            continue
        with audit.system_context("notification e-mailed"):
            Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
