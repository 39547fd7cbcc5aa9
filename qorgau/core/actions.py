"""The one path for changes: permission check, write, audit, and the re-check inside the transaction.

Views, API viewsets, importers and jobs call these functions; none saves a scoped model by hand.
The audit entry is written by the model itself (:class:`core.models.AuditedModel`) in the same
transaction, so a refused re-check rolls the entry back together with the change.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core import scope

M = TypeVar("M", bound=models.Model)


class OutOfScope(PermissionDenied):
    """The change would put the record where the user may not act."""

    def __init__(self) -> None:
        super().__init__(str(_("You cannot place this record in an organisation outside your area of responsibility.")))


def _in_scope(user: Any, action: str, obj: models.Model) -> bool:
    return scope.may(user, action, obj)


def create_object(user: Any, obj: M) -> M:
    """Insert ``obj`` for ``user``: the new row must fall inside the user's ``add`` scope."""
    if not scope.can(user, scope.capability(obj, "add")):
        raise PermissionDenied(str(_("You are not allowed to add this kind of record.")))
    with transaction.atomic():
        obj.save()
        if not _in_scope(user, "add", obj):
            raise OutOfScope()
    return obj


def update_object(user: Any, obj: M, *, action: str = "change") -> M:
    """Save changes to ``obj``: it must be in scope before (404 otherwise) and after the write."""
    if not _in_scope(user, action, obj):
        raise Http404
    with transaction.atomic():
        obj.save()
        if not _in_scope(user, action, obj):
            raise OutOfScope()
    return obj


def delete_object(user: Any, obj: models.Model) -> None:
    if not _in_scope(user, "delete", obj):
        raise Http404
    with transaction.atomic():
        obj.delete()
