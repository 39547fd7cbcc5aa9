"""Template context shared by every page: the menu the user may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core import scope


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "children": scope.can(user, "child.view") or scope.can(user, "child.view_deidentified"),
            "audit": scope.can(user, "auditentry.view"),
        }
    }
