"""The report's sentences about each domain: the top three and bottom three regions, zones, the spread.

Written from the data in Kazakh and Russian. Region names stay in the nominative (listed after a
colon), so no name needs declining; Russian numerals agree with their nouns through
:func:`~indicators.report.i18n.plural_ru`. When the third and fourth places are tied, both are named:
cutting a tie at three would pick one region arbitrarily.
"""

from __future__ import annotations

from collections.abc import Mapping

from indicators.report.charts import ranking_order
from indicators.report.data import ReportData
from indicators.report.i18n import ZONES, Language, format_number, format_signed, plural_ru, region_name

LIST_SIZE = 3


def leaders(scores: Mapping[str, float | None], *, best: bool = True, size: int = LIST_SIZE) -> list[str]:
    """The ``size`` best (or worst) regions by score, extended to everyone tied with the last of them."""
    order = ranking_order(scores, descending=best)
    if len(order) <= size:
        return order
    cut = scores[order[size - 1]]
    return [pcode for i, pcode in enumerate(order) if i < size or scores[pcode] == cut]


def _join(items: list[str], language: Language) -> str:
    conjunction = {"kk": "және", "ru": "и", "en": "and"}[language]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def _listed(pcodes: list[str], scores: Mapping[str, float | None], language: Language) -> str:
    return _join(
        [f"{region_name(p, language)} ({format_number(scores[p], language, fixed=True)})" for p in pcodes], language
    )


def _sentence(phrase: str) -> str:
    """The phrase with its first letter in capitals (``str.capitalize`` would lower the rest)."""
    return phrase[:1].upper() + phrase[1:]


def _subject(domain_name: str | None, language: Language) -> str:
    if language == "kk":
        return f"«{domain_name}» доменінде" if domain_name else "Бала әл-ауқатының индексі бойынша"
    return f"В домене «{domain_name}»" if domain_name else "По индексу благополучия детей"


def _points_ru(value: float) -> str:
    # A fraction takes the genitive singular ("12,3 балла"); a whole number agrees as usual.
    if not float(value).is_integer():
        return "балла"
    return plural_ru(int(value), "балл", "балла", "баллов")


def domain_paragraphs(data: ReportData, domain: str | None, domain_name: str | None = None) -> list[str]:
    """The narrative of one domain (``domain=None``: the overall index) in the report's language."""
    language = data.language
    if language not in ("kk", "ru"):
        raise ValueError(f"the report's narrative is written in kk and ru, not {language!r}")
    scores = data.domain_scores(domain)
    zones = data.domain_zones(domain)
    scored = [p for p, s in scores.items() if s is not None]
    missing = sorted(p for p, s in scores.items() if s is None)
    subject = _subject(domain_name, language)
    if not scored:
        return [f"{subject} деректер жоқ." if language == "kk" else f"{subject} данных нет."]
    top, bottom = leaders(scores), leaders(scores, best=False)
    values = [float(scores[p] or 0.0) for p in scored]
    spread = max(values) - min(values)
    counts = {zone: sum(1 for p in scored if zones[p] == zone) for zone in ZONES}
    paragraphs: list[str] = []
    if language == "kk":
        paragraphs.append(
            f"{subject} ең жоғары балл жинаған өңірлер: {_listed(top, scores, language)}. "
            f"Ең төменгі балл жинаған өңірлер: {_listed(bottom, scores, language)}. "
            f"Ең жоғары және ең төменгі балл арасындағы айырма — {format_number(spread, language, fixed=True)} балл."
        )
        parts = [
            f"{word} аймаққа {counts[zone]} өңір"
            for zone, word in zip(ZONES, ("жоғары", "орташа", "төмен"), strict=True)
            if counts[zone]
        ]
        paragraphs.append(f"{_sentence(_join(parts, language))} кіреді.")
        if missing:
            names = _join([region_name(p, language) for p in missing], language)
            paragraphs.append(f"Деректер жеткіліксіз болғандықтан, мына өңірлерге балл есептелмеді: {names}.")
    else:
        paragraphs.append(
            f"{subject} наибольшие баллы у следующих регионов: {_listed(top, scores, language)}. "
            f"Наименьшие баллы: {_listed(bottom, scores, language)}. "
            f"Разрыв между наибольшим и наименьшим баллами составляет {format_number(spread, language, fixed=True)} "
            f"{_points_ru(round(spread, 1))}."
        )
        parts = []
        for zone, word in zip(ZONES, ("высокую", "среднюю", "низкую"), strict=True):
            if counts[zone]:
                noun = plural_ru(counts[zone], "регион", "региона", "регионов")
                parts.append(f"в {word} зону — {counts[zone]} {noun}")
        paragraphs.append(f"{_sentence(_join(parts, language))}.")
        if missing:
            names = _join([region_name(p, language) for p in missing], language)
            paragraphs.append(f"Из-за недостатка данных балл не рассчитан для: {names}.")
    paragraphs += _change_paragraph(data, domain, scores)
    return paragraphs


def _change_paragraph(data: ReportData, domain: str | None, scores: Mapping[str, float | None]) -> list[str]:
    """Who gained and lost most since the previous year, when its results were given."""
    if data.previous_year is None:
        return []
    before = data.previous_scores(domain)
    change = {
        p: round(float(scores[p] or 0.0) - float(before[p] or 0.0), 1)
        for p in scores
        if scores[p] is not None and before.get(p) is not None
    }
    if not change:
        return []
    language = data.language
    gained = [p for p in leaders(change) if change[p] > 0]
    lost = [p for p in leaders(change, best=False) if change[p] < 0]

    def listed(pcodes: list[str]) -> str:
        return _join([f"{region_name(p, language)} ({format_signed(change[p], language)})" for p in pcodes], language)

    sentences = []
    if language == "kk":
        if gained:
            sentences.append(f"{data.previous_year} жылмен салыстырғанда балы ең көп өскен өңірлер: {listed(gained)}.")
        if lost:
            sentences.append(f"Балы ең көп төмендеген өңірлер: {listed(lost)}.")
    else:
        if gained:
            sentences.append(f"По сравнению с {data.previous_year} годом больше всего выросли баллы: {listed(gained)}.")
        if lost:
            sentences.append(f"Больше всего снизились баллы: {listed(lost)}.")
    return [" ".join(sentences)] if sentences else []
