"""Where the official source documents are: ``settings.QORGAU_SEEDS_DIR`` (the repository's ``seeds/``)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def seed_path(number: str) -> Path:
    """The seed document whose file name starts with ``number`` ("000" … "004")."""
    folder = Path(settings.QORGAU_SEEDS_DIR)
    found = sorted(folder.glob(f"{number}_*.txt"))
    if not found:
        raise FileNotFoundError(f"seed {number} not found in {folder} (set QORGAU_SEEDS_DIR)")
    return found[0]


def seed_text(number: str) -> str:
    return seed_path(number).read_text(encoding="utf-8")
