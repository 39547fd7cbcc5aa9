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
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            note = Notification(
                recipient=user,
                kind=kind,
                priority=Notification.Priority.URGENT if urgent else Notification.Priority.NORMAL,
                subject=_render(subject, params)[:200],
                body=_render(body, params) if body else "",
                link=link,
            )
        note.save()
        created.append(note)
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: send_emails(ids))
    return created


def send_emails(ids: list[int]) -> int:
    """Send the e-mail copies of these notifications (those not sent yet); returns how many went out."""
    from core import audit

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
