"""The child well-being index (SPEC §2.6): methodology as data, CSV input, the engine and its
sensitivity analysis. Pure Python and numpy: no models, no database.

    methodology = load_methodology(path)          # or None for the default methodology
    data = load_index_data(csv_path, methodology)
    result = compute_index(methodology, data, 2022)
    spread = run_sensitivity(methodology, data, 2022, draws=1000, seed=1)

or, as the ``wellbeing_index`` command does, :func:`index_document` for the whole JSON document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from indicators.index.data import DataError, IndexData, load_index_data, parse_index_csv
from indicators.index.engine import EngineError, IndexResult, compute_index
from indicators.index.methodology import (
    DEFAULT_METHODOLOGY,
    Methodology,
    MethodologyError,
    load_methodology,
    parse_methodology,
)
from indicators.index.sensitivity import SensitivityResult, run_sensitivity

__all__ = [
    "DEFAULT_METHODOLOGY",
    "DataError",
    "EngineError",
    "IndexData",
    "IndexResult",
    "Methodology",
    "MethodologyError",
    "SensitivityResult",
    "compute_index",
    "index_document",
    "load_index_data",
    "load_methodology",
    "parse_index_csv",
    "parse_methodology",
    "run_sensitivity",
]


def index_document(
    methodology_path: str | Path | None,
    data_path: str | Path,
    year: int,
    *,
    sensitivity_draws: int | None = None,
    seed: int | None = None,
    gaps: bool = False,
) -> dict[str, Any]:
    """Load, check and compute: the ``wellbeing_index --json`` document of ``year`` (SPEC §3), with a
    ``sensitivity`` section when ``sensitivity_draws`` is given. Raises :class:`MethodologyError`,
    :class:`DataError` or :class:`EngineError` (all ``ValueError``) with a readable message."""
    methodology = load_methodology(methodology_path)
    data = load_index_data(data_path, methodology)
    document = compute_index(methodology, data, year).as_dict(gaps=gaps)
    if sensitivity_draws is not None:
        spread = run_sensitivity(methodology, data, year, draws=sensitivity_draws, seed=seed)
        document["sensitivity"] = spread.as_dict()
    return document
