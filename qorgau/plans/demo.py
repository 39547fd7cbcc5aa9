"""Demo data of plans: the official texts imported as drafts; the Concept 2026–2030 reviewed and active."""

from __future__ import annotations

from django.db import transaction

from core import audit
from core.models import User
from core.seeds import seed_text
from plans import actions
from plans.importers import import_plan
from plans.models import Measure, Plan

DOCUMENTS = ("000", "003", "004")


def seed_demo(scale: str, seed: int) -> dict[str, int]:
    """Import the national plan texts (once) and activate the Concept as a reviewer would."""
    if scale != "small" or Plan.objects.exists():
        return {}
    analyst = User.objects.filter(username="analyst").first()
    if analyst is None:
        return {}
    counts = {"plans": 0, "measures": 0}
    with transaction.atomic(), audit.user_context(analyst, "seed_demo plans"):
        for number in DOCUMENTS:
            plan = import_plan(analyst, seed_text(number), f"{number}.txt")
            counts["plans"] += 1
            counts["measures"] += plan.measures.count()
        concept = Plan.objects.get(kind="concept-2026-2030")
        # The demo's reviewer has read every warning of the Concept: its measures are marked reviewed.
        for measure in Measure.objects.filter(plan=concept).exclude(warnings=[]):
            measure.reviewed = True
            actions.correct_measure(analyst, measure)
        if not actions.activation_problems(concept):
            actions.activate(analyst, concept)
    return counts
