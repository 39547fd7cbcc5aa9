"""Instrument definitions loaded once per process, keyed by version (they never change once stored)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from screening.instruments import Instrument

if TYPE_CHECKING:
    from screening.models import InstrumentVersion


@lru_cache(maxsize=256)
def _by_pk(pk: int) -> Instrument:
    from screening.models import InstrumentVersion

    return Instrument.from_json(InstrumentVersion.objects.values_list("definition", flat=True).get(pk=pk))


def instrument_for(version: InstrumentVersion | int) -> Instrument:
    """The parsed instrument of a stored version (parsed once per process)."""
    pk = version if isinstance(version, int) else version.pk
    return _by_pk(pk)
