"""Scope: which rows a user may see or change. The one implementation behind ``restrict()``.

A user's grants are their role assignments. A model names the way to its organisation in
``scope_path``; a row is in scope for ``action`` when one of the user's roles allows
``"<model>.<action>"`` at that organisation (or above it, for an assignment that includes the subtree),
or when the model's ``extra_scope`` grants it (object-level access, e.g. a referred case). A model's
``row_filter`` narrows what scope allows for some of its rows (e.g. confidential notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q, QuerySet

from core.roles import role_allows

if TYPE_CHECKING:
    from core.models import User

_CACHE_ATTR = "_qorgau_grants"


@dataclass(frozen=True)
class Grant:
    role: str
    organisation_id: int
    path: str
    include_subtree: bool


def capability(model: type[Model] | Model, action: str) -> str:
    return f"{model._meta.model_name}.{action}"


def grants(user: Any) -> list[Grant]:
    """The user's role assignments, loaded once per user object (i.e. once per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from core.models import RoleAssignment

        cached = [
            Grant(role, org_id, path, subtree)
            for role, org_id, path, subtree in RoleAssignment.objects.filter(
                user=user, organisation__is_active=True
            ).values_list("role", "organisation_id", "organisation__path", "include_subtree")
        ]
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user: Any) -> None:
    """Drop the cached grants (after the user's assignments changed)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def can(user: Any, cap: str) -> bool:
    """Whether ``user`` holds ``cap`` anywhere (for menus and for choosing a serializer)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(role_allows(g.role, cap) for g in grants(user))


def roles(user: Any) -> set[str]:
    return {g.role for g in grants(user)}


def organisation_q(user: Any, cap: str) -> Q | None:
    """A filter on Organisation for where ``user`` may use ``cap``; ``Q()`` = everywhere, None = nowhere."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    allowed = [g for g in grants(user) if role_allows(g.role, cap)]
    if not allowed:
        return None
    q = Q()
    for g in allowed:
        if g.include_subtree and len(g.path) <= 6:  # the country root: everywhere
            return Q()
        q |= Q(path__startswith=g.path) if g.include_subtree else Q(pk=g.organisation_id)
    return q


def restrict_queryset(qs: QuerySet[Any], user: Any, action: str) -> QuerySet[Any]:
    """Filter ``qs`` to what ``user`` may ``action``; see the module docstring."""
    from core.models import Organisation

    model = qs.model
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    row_filter = model.row_filter(user, action) if hasattr(model, "row_filter") else None
    if row_filter is not None:  # a narrower rule for some rows (e.g. confidential notes), on top of scope
        qs = qs.filter(row_filter)
    org_q = organisation_q(user, capability(model, action))
    extra = model.extra_scope(user, action) if hasattr(model, "extra_scope") else None
    scope_path: str = getattr(model, "scope_path", "organisation")
    if org_q is None:
        return qs.filter(extra) if extra is not None else qs.none()
    if scope_path == "-" or not org_q:  # no organisation to check, or everywhere
        return qs
    # Organisations are filtered directly; other models through a subquery on their organisation.
    q = org_q if scope_path == "" else Q(**{f"{scope_path}__in": Organisation.objects.filter(org_q).values("pk")})
    if extra is not None:
        q |= extra
    return qs.filter(q)


def may(user: User | Any, action: str, obj: Model) -> bool:
    """Whether ``user`` may ``action`` this very object (a query through ``restrict``)."""
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()  # type: ignore[attr-defined]
