"""Roles and what they may do.

A role is a list of capabilities (``"<model>.<action>"``, e.g. ``"child.view"``); *where* a role may use
them is the organisation of the role assignment (and its subtree, if the assignment says so).
Modules add the capabilities of their own models with :func:`grant` from their ``AppConfig.ready``,
so this file stays the one place that says who may do what.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PSYCHOLOGIST = "psychologist", _("School psychologist")
    SOCIAL_PEDAGOGUE = "social_pedagogue", _("Social pedagogue")
    DIRECTOR = "director", _("School director / deputy for upbringing")
    CPP_SPECIALIST = "cpp_specialist", _("Psychological support centre specialist")
    CASE_MANAGER = "case_manager", _("Case manager, regional child-rights department")
    HEALTH = "health", _("Health worker")
    POLICE = "police", _("Juvenile police inspector")
    GUARDIANSHIP = "guardianship", _("Guardianship officer")
    FAMILY_SUPPORT = "family_support", _("Family support centre specialist")
    PLAN_EXECUTOR = "plan_executor", _("Plan executor")
    ANALYST = "analyst", _("Ministry analyst")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


ALL = "*"

# Personal data of children: who may read names and IINs, who may edit.
_CHILD_READ = {"child.view", "legalrepresentative.view", "consent.view", "organisation.view"}
_CHILD_WRITE = _CHILD_READ | {
    "child.add",
    "child.change",
    "legalrepresentative.add",
    "legalrepresentative.change",
    "consent.add",
    "consent.change",
}

CAPABILITIES: dict[str, set[str]] = {
    Role.PSYCHOLOGIST: set(_CHILD_WRITE),
    Role.SOCIAL_PEDAGOGUE: set(_CHILD_WRITE),
    Role.DIRECTOR: set(_CHILD_WRITE),
    Role.CPP_SPECIALIST: set(_CHILD_READ),
    Role.CASE_MANAGER: set(_CHILD_READ),
    Role.HEALTH: {"organisation.view"},
    Role.POLICE: {"organisation.view"},
    Role.GUARDIANSHIP: {"organisation.view"},
    Role.FAMILY_SUPPORT: {"organisation.view"},
    Role.PLAN_EXECUTOR: {"organisation.view"},
    # Analysts see aggregates and de-identified rows, never names or IINs.
    Role.ANALYST: {"organisation.view", "child.view_deidentified", "statistics.view"},
    Role.SYSTEM_ADMIN: {ALL},
}

# Capabilities that reveal who a child is; analysts must never hold one (checked in tests).
IDENTIFYING = {"child.view", "legalrepresentative.view", "consent.view"}


def grant(role: str, capabilities: set[str]) -> None:
    """Give ``role`` more capabilities (called by modules from ``AppConfig.ready``)."""
    if role == Role.ANALYST and capabilities & IDENTIFYING:
        raise ValueError("analysts may not be granted identifying capabilities")
    CAPABILITIES[role] |= capabilities


def role_allows(role: str, capability: str) -> bool:
    caps = CAPABILITIES.get(role, set())
    return ALL in caps or capability in caps
