"""Channels besides in-app and e-mail (SMS, Telegram) behind one interface.

A channel sends a short text to a user; which channels are active is configuration
(``QORGAU_CHANNELS``: comma-separated names of :data:`CHANNELS`). Urgent notifications go out through
every active channel after the transaction commits (see :mod:`core.notify`). Tests use
:class:`FakeChannel`, which keeps what it was asked to send.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.request
from typing import Any, ClassVar, Protocol

log = logging.getLogger(__name__)


class Channel(Protocol):
    name: ClassVar[str]

    def send(self, user: Any, text: str) -> bool:
        """Send ``text`` to ``user``; False when the user cannot be reached on this channel."""
        ...


class FakeChannel:
    """Records messages instead of sending them (tests, demo)."""

    name: ClassVar[str] = "fake"
    sent: ClassVar[list[tuple[str, str]]] = []

    def send(self, user: Any, text: str) -> bool:
        FakeChannel.sent.append((user.get_username(), text))
        return True


class SmsChannel:
    """An SMS gateway that takes ``{"to": phone, "text": …}`` as JSON at ``QORGAU_SMS_URL``."""

    name: ClassVar[str] = "sms"

    def send(self, user: Any, text: str) -> bool:
        url = os.environ.get("QORGAU_SMS_URL", "")
        if not url or not user.phone:
            return False
        return _post(url, {"to": user.phone, "text": text[:320]})


class TelegramChannel:
    """The Telegram Bot API (``QORGAU_TELEGRAM_TOKEN``) to the user's ``telegram_chat_id``."""

    name: ClassVar[str] = "telegram"

    def send(self, user: Any, text: str) -> bool:
        token = os.environ.get("QORGAU_TELEGRAM_TOKEN", "")
        if not token or not user.telegram_chat_id:
            return False
        return _post(
            f"https://api.telegram.org/bot{token}/sendMessage", {"chat_id": user.telegram_chat_id, "text": text[:4000]}
        )


def _post(url: str, payload: dict[str, Any]) -> bool:
    request = urllib.request.Request(  # noqa: S310 (the URL is configuration, http(s) only)
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    if not url.startswith(("https://", "http://")):
        return False
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return bool(200 <= response.status < 300)
    except OSError:
        log.exception("channel request to %s failed", url.split("/bot")[0])
        return False


CHANNELS: dict[str, type] = {c.name: c for c in (FakeChannel, SmsChannel, TelegramChannel)}


def active() -> list[Channel]:
    names = [n.strip() for n in os.environ.get("QORGAU_CHANNELS", "").split(",") if n.strip()]
    from django.conf import settings

    names += [n for n in getattr(settings, "QORGAU_CHANNELS", []) if n not in names]
    return [CHANNELS[n]() for n in names if n in CHANNELS]
