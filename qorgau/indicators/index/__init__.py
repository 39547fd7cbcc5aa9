"""The child well-being index (SPEC §2.6): methodology as data, CSV input, the engine and its
sensitivity analysis. Pure Python and numpy: no models, no database.

    methodology = load_methodology(path)          # or None for the default methodology
    data = load_index_data(csv_path, methodology)
    result = compute_index(methodology, data, 2022)
    spread = run_sensitivity(methodology, data, 2022, draws=1000, seed=1)
"""

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
    "load_index_data",
    "load_methodology",
    "parse_index_csv",
    "parse_methodology",
    "run_sensitivity",
]
