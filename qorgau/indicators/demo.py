"""Indicators demo data: the real figures of seed 002 (the 2022 report on children), when the file is there.

Called by ``manage.py seed_demo`` for every scale (the report is national and small). Without the seed
file (e.g. a checkout without ``../shared/seeds``) the demo has no indicator values and says so.
"""

from __future__ import annotations

import sys

from core import audit
from indicators.seedload import SeedMissing, load_seed002, seed_path


def seed_demo(scale: str, seed: int) -> dict[str, int]:
    """Load seed 002; ``scale`` and ``seed`` do not matter (real data, not synthetic)."""
    try:
        path = seed_path()
    except SeedMissing as exc:
        sys.stderr.write(f"indicators: {exc}; no indicator values loaded\n")
        return {}
    with audit.system_context("seed_demo indicators: seed 002"):
        batch = load_seed002(path)
    return {
        "indicator values": batch.created + batch.updated + batch.unchanged,
        "findings": batch.errors + batch.warnings,
    }
