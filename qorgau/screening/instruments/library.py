"""The instruments Qorgau ships, authored as pyxform markdown XLSForms in ``library/``."""

from __future__ import annotations

import functools
from pathlib import Path

from django.utils.translation import gettext as _

from .definition import Instrument, load_xlsform

__all__ = ["LIBRARY_DIR", "get", "load_library"]

LIBRARY_DIR = Path(__file__).resolve().with_name("library")


@functools.cache
def load_library() -> dict[str, Instrument]:
    """Every shipped instrument by code (parsed once per process; a broken file raises ``FormError``)."""
    instruments: dict[str, Instrument] = {}
    for path in sorted(LIBRARY_DIR.glob("*.md")):
        instrument = load_xlsform(path)
        if instrument.code in instruments:
            raise ValueError(f"{path.name}: instrument code {instrument.code!r} is used twice in the library")
        instruments[instrument.code] = instrument
    return instruments


def get(code: str) -> Instrument:
    """The shipped instrument ``code``; ``KeyError`` naming the known codes if there is none."""
    instruments = load_library()
    try:
        return instruments[code]
    except KeyError:
        raise KeyError(
            _("Unknown instrument “%(code)s” (known: %(known)s).")
            % {"code": code, "known": ", ".join(sorted(instruments))}
        ) from None
