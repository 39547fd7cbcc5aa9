"""The base of every API viewset: scope through ``restrict``, writes through :mod:`core.actions`.

A viewset declares ``queryset``/``serializer_class``; the HTTP method decides the scope action
(GET → view, POST → add, PUT/PATCH → change, DELETE → delete). Objects are addressed by UUID.
Retrieving a personal record writes an audit entry.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from rest_framework import viewsets

from core import actions, audit

SCOPE_ACTIONS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


class ScopedViewSetMixin:
    lookup_field = "uuid"
    extra_scope_actions: ClassVar[dict[str, str]] = {}

    def scope_action(self) -> str:
        name = getattr(self, "action", None) or "list"
        return self.extra_scope_actions.get(name) or SCOPE_ACTIONS.get(name, "view")

    def get_queryset(self) -> QuerySet[Any]:
        qs = super().get_queryset()  # type: ignore[misc]
        return qs.restrict(self.request.user, self.scope_action())  # type: ignore[attr-defined,no-any-return]

    def get_object(self) -> Any:
        obj = super().get_object()  # type: ignore[misc]
        if self.action == "retrieve" and getattr(obj, "audit_reads", False):  # type: ignore[attr-defined]
            audit.record_read(obj)
        return obj


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    def perform_create(self, serializer: Any) -> None:
        obj = serializer.Meta.model(**serializer.validated_data)
        serializer.instance = actions.create_object(self.request.user, obj)

    def perform_update(self, serializer: Any) -> None:
        obj = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(obj, name, value)
        serializer.instance = actions.update_object(self.request.user, obj)

    def perform_destroy(self, instance: Any) -> None:
        actions.delete_object(self.request.user, instance)
