"""Template context shared by every page: the menu the user may see.

Modules add their entries with :func:`add_menu` from ``AppConfig.ready``; an entry is shown to users
who hold its capability somewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from core import scope


@dataclass(frozen=True)
class MenuEntry:
    capability: str
    url_name: str
    label: Any


MENU: list[MenuEntry] = []


def add_menu(capability: str, url_name: str, label: Any) -> None:
    if all(e.url_name != url_name for e in MENU):
        MENU.append(MenuEntry(capability, url_name, label))


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from core.models import Notification

    return {
        "nav": {
            "children": scope.can(user, "child.view") or scope.can(user, "child.view_deidentified"),
            "audit": scope.can(user, "auditentry.view"),
            "modules": [e for e in MENU if scope.can(user, e.capability)],
            "unread": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        }
    }
