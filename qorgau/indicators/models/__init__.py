"""Indicator models: the catalogue, the values with their provenance, and the imports with their findings."""

from indicators.models.catalogue import Area, Domain, Indicator, Periodicity, Polarity, Sex, Unit
from indicators.models.imports import ImportBatch, ValidationFinding
from indicators.models.values import IndicatorValue

__all__ = [
    "Area",
    "Domain",
    "ImportBatch",
    "Indicator",
    "IndicatorValue",
    "Periodicity",
    "Polarity",
    "Sex",
    "Unit",
    "ValidationFinding",
]
