"""The words of the pictures and of the annual report in Kazakh, Russian and English, and number formats.

The report's sentences are built from data (region names, domain names, counts), so they cannot be
plain gettext messages: Russian nouns agree with numerals and Kazakh takes case suffixes. The phrases
below are written so that names stay in the nominative (lists after a colon), which is grammatical in
both languages whatever the name; only the numerals' agreement in Russian needs :func:`plural_ru`.
English is there for the web pictures (the site has an English interface); the report is kk and ru.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from typing import Literal

from core.reference import region_records

Language = Literal["kk", "ru", "en"]
LANGUAGES: tuple[Language, ...] = ("kk", "ru", "en")
REPORT_LANGUAGES: tuple[Language, ...] = ("kk", "ru")

# The zones of the index (SPEC §2.6): high 75-100, medium 50-74, low 0-49.
ZONES = ("high", "medium", "low")

_TEXT: dict[str, dict[str, str]] = {
    "zone.high": {"kk": "Жоғары", "ru": "Высокая", "en": "High"},
    "zone.medium": {"kk": "Орташа", "ru": "Средняя", "en": "Medium"},
    "zone.low": {"kk": "Төмен", "ru": "Низкая", "en": "Low"},
    "zone.legend.high": {"kk": "Жоғары (75–100)", "ru": "Высокая (75–100)", "en": "High (75–100)"},
    "zone.legend.medium": {"kk": "Орташа (50–74)", "ru": "Средняя (50–74)", "en": "Medium (50–74)"},
    "zone.legend.low": {"kk": "Төмен (0–49)", "ru": "Низкая (0–49)", "en": "Low (0–49)"},
    "no_data": {"kk": "Деректер жоқ", "ru": "Нет данных", "en": "No data"},
    "score": {"kk": "Балл", "ru": "Балл", "en": "Score"},
    "zone": {"kk": "Аймақ", "ru": "Зона", "en": "Zone"},
    "rank": {"kk": "Орын", "ru": "Место", "en": "Rank"},
    "region": {"kk": "Өңір", "ru": "Регион", "en": "Region"},
    "year": {"kk": "Жыл", "ru": "Год", "en": "Year"},
    "value": {"kk": "Мәні", "ru": "Значение", "en": "Value"},
    "change": {"kk": "Өзгерісі", "ru": "Изменение", "en": "Change"},
    "national": {"kk": "Қазақстан Республикасы", "ru": "Республика Казахстан", "en": "Republic of Kazakhstan"},
    "index": {"kk": "Бала әл-ауқатының индексі", "ru": "Индекс благополучия детей", "en": "Child well-being index"},
    "unit.persons": {"kk": "адам", "ru": "человек", "en": "persons"},
    "unit.percent": {"kk": "%", "ru": "%", "en": "%"},
    "unit.cases": {"kk": "жағдай", "ru": "случаев", "en": "cases"},
    "unit.units": {"kk": "бірлік", "ru": "единиц", "en": "units"},
    "unit.per_1000": {"kk": "1000-ға шаққанда", "ru": "на 1000", "en": "per 1,000"},
    "unit.per_100k": {"kk": "100 мыңға шаққанда", "ru": "на 100 тысяч", "en": "per 100,000"},
    "unit.score": {"kk": "балл", "ru": "балл", "en": "points"},
}


def text(key: str, language: Language) -> str:
    """The phrase ``key`` in ``language`` (``KeyError`` for an unknown key: a typo must not print a key)."""
    return _TEXT[key][language]


def zone_label(zone: str | None, language: Language) -> str:
    """The zone's name ("Жоғары"), or "no data" for a region without a score."""
    return text(f"zone.{zone}", language) if zone in ZONES else text("no_data", language)


def unit_label(unit: str, language: Language) -> str:
    """The unit's words; an unknown unit is shown as it is written in the catalogue."""
    key = f"unit.{unit}"
    return _TEXT[key][language] if key in _TEXT else unit


@functools.cache
def _region_names() -> dict[str, dict[str, str]]:
    return {
        record["pcode"]: {"kk": record["name_kk"], "ru": record["name_ru"], "en": record["name_en"]}
        for record in region_records()
    }


def region_name(pcode: str, language: Language) -> str:
    """The official name of the region ``pcode`` (KAZ001..KAZ020) or of the country ("KAZ")."""
    if pcode == "KAZ":
        return text("national", language)
    return _region_names()[pcode][language]


def region_pcodes() -> list[str]:
    """The 20 p-codes of ``core/data/regions.yaml``, sorted."""
    return sorted(_region_names())


def format_number(value: float | None, language: Language, decimals: int = 1, *, fixed: bool = False) -> str:
    """``value`` as written in ``language``: "1 234,5" in kk and ru (no-break space), "1,234.5" in en.

    A whole number is written without decimals unless ``fixed`` (score columns keep "82,0" beside
    "71,3"); None and NaN give a dash.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    places = 0 if float(value).is_integer() and not fixed else decimals
    written = f"{value:,.{places}f}"
    if language == "en":
        return written
    return written.replace(",", "\u00a0").replace(".", ",")


def decimals_needed(values: Iterable[float | None], most: int = 3) -> int:
    """How many decimals the figures were given with (28.4 -> 1, 35.0 -> 0, 0.25 -> 2), at most ``most``."""
    needed = 0
    for value in values:
        if value is not None:
            written = f"{value:.{most}f}".rstrip("0")
            needed = max(needed, len(written.split(".")[1]) if "." in written else 0)
    return needed


def format_signed(value: float | None, language: Language, decimals: int = 1) -> str:
    """A change with its sign ("+2,4", "−1,0"); a dash when unknown."""
    if value is None:
        return "–"
    body = format_number(abs(value), language, decimals, fixed=True)
    if round(value, decimals) == 0:
        return body
    return ("+" if value > 0 else "\u2212") + body


def plural_ru(count: int, one: str, few: str, many: str) -> str:
    """The Russian noun form that agrees with ``count``: 1 регион, 2 региона, 5 регионов, 11 регионов."""
    tens, units = count % 100, count % 10
    if 11 <= tens <= 14:
        return many
    if units == 1:
        return one
    if 2 <= units <= 4:
        return few
    return many
