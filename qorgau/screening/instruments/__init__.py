"""The screening instrument engine: instruments as data (XLSForm), answer validation and scoring.

Typical use::

    from screening.instruments import get_instrument

    phq = get_instrument("phq_a")
    score = phq.score({"phq1": 1, ...})   # Score(total=..., band=..., flags=(...), subscales={})
"""

from .definition import (
    DECLINED,
    LANGUAGES,
    AnswerError,
    Calculate,
    Choice,
    FormError,
    Instrument,
    Item,
    Score,
    load_xlsform,
)
from .expressions import Expression, ExpressionError, compile_expression
from .library import LIBRARY_DIR, load_library
from .library import get as get_instrument

__all__ = [
    "DECLINED",
    "LANGUAGES",
    "LIBRARY_DIR",
    "AnswerError",
    "Calculate",
    "Choice",
    "Expression",
    "ExpressionError",
    "FormError",
    "Instrument",
    "Item",
    "Score",
    "compile_expression",
    "get_instrument",
    "load_library",
    "load_xlsform",
]
