"""Deadlines of plan measures, as written in kk or ru, turned into schedules of periods (SPEC §2.5).

A period is ``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``. The parser reads the forms the state plans use:

* a month of a year: ``2024 жылғы желтоқсан``, ``Декабрь 2026 года``, with a day (``2008 жылғы 20
  қараша``, ``до 1 июля 2026 года``: the day goes to the note, the schedule is by month);
* a quarter or a half-year of a year: ``2008 жылғы III тоқсан``, ``IV квартал 2026 года``,
  ``2026 жылғы 1-ші жартыжылдық``;
* year ranges: ``2023-2025 жылдар`` (every year), ``август 2026-2030 годов`` (every August),
  ``2008 - 2009 жылдар 10 қаңтар және 10 шілде``;
* recurring forms over the plan period: ``жыл сайын`` / ``ежегодно`` (every year), ``жыл сайын
  маусым, желтоқсан``, ``два раза в год (май, октябрь)``, ``тоқсан сайын`` / ``ежеквартально``,
  ``жартыжылдықта бір рет``, ``ай сайын`` / ``ежемесячно``;
* several dated steps (draft-law timelines, "approve the plan, then report every March"): the
  schedule is the union of the steps, and the note says which step falls when.

Two decisions, documented here because the documents leave them open:

* a half-year is read as its last quarter (``H1`` -> ``Qn`` 2, ``H2`` -> 4): a deadline of "the first
  half-year" is due when that half ends, and periods have no half-year form (SPEC §3);
* a month or quarter range (``2024 жылғы сәуір – желтоқсан – сынақтан өткізу``) is due when it
  ends: the schedule gets its last month, the note keeps the whole range.

Nothing is guessed: a text with no date, a month without a year outside a recurring form, a stray
number or a date word the parser cannot place (``в течение года``, ``10 числа``) makes the deadline
unparsed (empty schedule, text kept, the reason in the note). A year outside the plan period is kept
in the schedule and noted. The text is read through :func:`core.reference.normalize`, which repairs
the PDF damage (letter-spaced words, words hyphenated at line ends, Latin look-alike letters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from core.reference import normalize, resolve_agency_code

__all__ = ["Deadline", "detect_language", "month_number", "parse_deadline", "period_sort_key"]


@dataclass(frozen=True)
class Deadline:
    """A deadline as written (``text``) and as read.

    ``schedule`` lists the periods in which something is due, in time order; ``recurring`` is true
    when the deadline repeats (every year, every quarter, every August of a year range);
    ``unparsed`` is true when the text could not be read, in which case ``schedule`` is empty and
    ``note`` says why. ``note`` also carries what the schedule cannot hold: step names, days of
    the month, ranges and years outside the plan period.
    """

    text: str
    schedule: list[str]
    recurring: bool
    unparsed: bool
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """The ``parse_deadline --json`` document (SPEC §3), with the note."""
        return {
            "text": self.text,
            "schedule": list(self.schedule),
            "recurring": self.recurring,
            "unparsed": self.unparsed,
            "note": self.note,
        }


# --- vocabulary ----------------------------------------------------------------------------

_KK_MONTHS = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)  # fmt: skip
# Russian months by stem; the ending carries the case (январь, января, январе).
_RU_MONTHS = (
    r"январ[ьяюе]", r"феврал[ьяюе]", r"март[аеу]?", r"апрел[ьяюе]", r"ма[йяюе]", r"июн[ьяюе]",
    r"июл[ьяюе]", r"август[аеу]?", r"сентябр[ьяюе]", r"октябр[ьяюе]", r"ноябр[ьяюе]", r"декабр[ьяюе]",
)  # fmt: skip
_KK_LETTER = "а-яәіңғүұқөһ"


def _loose(word: str) -> str:
    # The PDF splits words with a stray space ("сәу ір"): allow one between any two letters.
    return r"\s?".join(re.escape(ch) for ch in word)


# Kazakh months take case endings ("қаңтарға", "желтоқсандағы", "шілдеге"): up to six letters.
_MONTH_PATTERNS = [rf"{_loose(kk)}[{_KK_LETTER}]{{0,6}}|{ru}" for kk, ru in zip(_KK_MONTHS, _RU_MONTHS, strict=True)]

_ROMAN = r"[iіv](?:\s?[iіv]){0,3}"
_ORDINAL_WORD = r"бірінші|екінші|үшінші|төртінші|перв\w*|втор\w*|трет\w*|четверт\w*"
_NUMERAL = rf"(?:{_ROMAN}|[1-4]|{_ORDINAL_WORD})(?:\s?-\s?(?:ші|шы|інші|ыншы|нші|ншы|і|ы|й|го|м|ом|е))?"
_NUMERALS = rf"{_NUMERAL}(?:\s?(?:-|,|және|и)\s?{_NUMERAL})*"

# Words that join or frame dates without changing them: "by", "not later than", "within", "and",
# "then". Multi-word forms first: the alternation takes the first that matches.
_GLUE = (
    r"не\s+позднее|не\s+позже|в\s+течение|в\s+срок\s+до|дейін\w*|кешіктірмей|ішінде|мерзімі|срок"
    r"|до|к|по|с|со|в|во|на|и|және|далее|затем"
)

# One alternation, tried in this order at each position: multi-word forms before single words.
_TOKEN_SPEC: list[tuple[str, str]] = [
    ("every_year", r"жыл\s?сайын\w*|ежегодн\w*|каждый\s+год|(?:(?:один|1)\s+)?раз\s+в\s+год|жылына\s+(?:бір|1)\s+рет"),
    ("twice", r"(?:два|2)\s+раза\s+в\s+год|жылына\s+(?:екі|2)\s+рет"),
    (
        "every_half",
        r"жарты\s?жылдық\s+сайын|жарты\s?жылдықта\s+(?:бір|1)\s+рет|жарты\s?жылда\s+(?:бір|1)\s+рет"
        r"|(?:(?:один|1)\s+)?раз\s+в\s+(?:полугодие|полгода)|ежеполугодн\w*|каждое\s+полугодие",
    ),
    (
        "every_quarter",
        r"тоқсан\s+сайын|тоқсанына\s+(?:бір|1)\s+рет|ежеквартальн\w*|(?:(?:один|1)\s+)?раз\s+в\s+квартал|каждый\s+квартал",
    ),
    ("every_month", r"ай\s+сайын|ежемесячн\w*|каждый\s+месяц"),
    ("quarter", rf"(?<![^\W\d_])(?<!\d)(?P<q>{_NUMERALS})(?:\s?-)?\s?(?:тоқсан\w*|квартал\w*)"),
    ("half", rf"(?<![^\W\d_])(?<!\d)(?P<h>{_NUMERALS})(?:\s?-)?\s?(?:жарты\s?жылдық\w*|жартыс\w*|полугоди\w*)"),
    ("year_range", r"(?<!\d)(?P<y1>(?:19|20)\d\d)\s?-\s?(?P<y2>(?:19|20)\d\d)(?!\d)"),
    ("year", r"(?<!\d)(?:19|20)\d\d(?!\d)"),
    *((f"month{n}", rf"(?<![^\W\d_])(?:{p})(?![^\W\d_])") for n, p in enumerate(_MONTH_PATTERNS, start=1)),
    (
        "year_word",
        r"(?<![^\W\d_])(?:жылғы|жылдың|жылы|жылдар\w*|жылға|жылда|жыл|жж|ж|года|годов|годы|году|годах|год|гг|г)(?![^\W\d_])",
    ),
    ("number", r"(?<!\d)\d{1,2}(?!\d)(?:\s?-\s?(?:ы|і|сы|сі|нан|нен|го|е|ого)(?![^\W\d_]))?"),
    ("glue", rf"(?<![^\W\d_])(?:{_GLUE})(?![^\W\d_])"),
    ("sep", r";"),
    ("dash", r"-"),
    ("comma", r","),
    ("word", r"[^\W\d_]+"),
    ("digits", r"\d+"),
    ("space", r"\s+"),
    ("other", r"."),
]
_TOKEN_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _TOKEN_SPEC))
_MARKERS = {
    "every_year": "year",
    "twice": "twice",
    "every_half": "half",
    "every_quarter": "quarter",
    "every_month": "month",
}
# Tokens that can sit inside a date expression; a unit of them must hold at least one date token.
_DATE_KINDS = frozenset({"year", "year_range", "year_word", "month", "quarter", "half", "number", *_MARKERS})
_JOIN_KINDS = frozenset({"glue", "dash", "comma"})

# Words in a step name that mean the parser missed part of the date, or that the date is a start,
# not a deadline ("2024 жылдан бастап", "после"): the deadline is then left unparsed.
_DATE_WORD_RE = re.compile(
    r"(?<![^\W\d_])(?:жыл\w*|год\w*|ай|айы\w*|айд\w*|месяц\w*|тоқсан\w*|квартал\w*|числ\w*|күн\w*|дн\w*|день"
    r"|полугод\w*|жарты\w*|апта\w*|недел\w*|сайын|еже\w+|бастап|кейін|после|начиная|кроме|қоспағанда|уақыт\w*"
    r"|постоянно|тұрақты\w*|мере|қажет\w*)(?![^\W\d_])"
)
_KK_SPECIFIC_RE = re.compile(r"[әіңғүұқөһ]|(?<![^\W\d_])жыл")


# --- tokens and units ----------------------------------------------------------------------


@dataclass
class _Token:
    kind: str
    text: str
    start: int
    end: int
    value: int = 0  # month number, or a number's value
    values: tuple[int, ...] = ()  # quarter / half numerals; years of a range
    is_range: bool = False  # quarter / half numerals joined by a dash ("і-іі тоқсан")


@dataclass
class _Sub:
    """A part of a year: a month, quarter or half-year (with a range's first value and a day)."""

    kind: str  # "month" | "quarter" | "half"
    value: int
    first: int | None = None  # the start of a range ("сәуір – желтоқсан"): value is its end
    day: int | None = None


@dataclass
class _Group:
    """One dated item: explicit years (or the plan's years under a recurring marker) and their parts."""

    years: list[int] | None
    ranged: bool = False
    marker: str | None = None
    subs: list[_Sub] = field(default_factory=list)
    label: str = ""


class _Unreadable(Exception):
    """The text holds something the parser cannot place; the message goes to the note."""


_ORDINAL_SUFFIX_RE = re.compile(r"\s?-\s?(?:ші|шы|інші|ыншы|нші|ншы|і|ы|й|го|м|ом|е)(?![^\W\d_])")
_ORDINAL_WORDS = {"бірінші": 1, "екінші": 2, "үшінші": 3, "төртінші": 4}
_RU_ORDINAL_STEMS = {"перв": 1, "втор": 2, "трет": 3, "четв": 4}
_ROMAN_VALUES = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _numeral_value(text: str, limit: int) -> int:
    raw = text.replace(" ", "")
    if raw.isdigit():
        value = int(raw)
    elif raw in _ORDINAL_WORDS:
        value = _ORDINAL_WORDS[raw]
    elif raw[:4] in _RU_ORDINAL_STEMS:
        value = _RU_ORDINAL_STEMS[raw[:4]]
    else:
        # Roman numerals arrive in Latin letters or Cyrillic look-alikes ("ііі", "іv"): read them as Latin.
        value = _ROMAN_VALUES.get(raw.replace("і", "i"), 0)
    if not 1 <= value <= limit:
        raise _Unreadable(f"cannot read the numeral {text!r}")
    return value


def _numerals(text: str, limit: int) -> tuple[tuple[int, ...], bool]:
    """The numbers of a quarter or half-year expression and whether they form a range:
    ``"iii"`` -> ((3,), False); ``"i-ii"`` -> ((1, 2), True); ``"1-ші, 2-ші"`` -> ((1, 2), False)."""
    bare = _ORDINAL_SUFFIX_RE.sub("", text)
    parts = re.split(r"\s?(-|,)\s?|\s(?:және|и)\s", bare)
    numerals = [part for part in parts[::2] if part and part.strip()]
    separators = [part for part in parts[1::2] if part]
    values = tuple(_numeral_value(numeral.strip(), limit) for numeral in numerals)
    is_range = len(values) == 2 and separators == ["-"]
    return values, is_range


def _prepare(text: str) -> str:
    clean = normalize(text)
    # Digits spaced by the PDF ("2 0 қараша", "1 0 шілде"): join runs of single digits.
    return re.sub(r"(?<!\d)\d(?: \d)+(?!\d)", lambda m: m.group(0).replace(" ", ""), clean)


def _tokenize(clean: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKEN_RE.finditer(clean):
        # lastgroup is the outer (token) group: it closes after its named sub-groups.
        kind = match.lastgroup or "other"
        if kind in ("space", "other"):
            continue
        token = _Token(kind, match.group(0), match.start(), match.end())
        if kind.startswith("month") and kind != "month":
            token.kind, token.value = "month", int(kind[5:])
        elif kind in ("quarter", "half"):
            token.values, token.is_range = _numerals(
                match.group("q" if kind == "quarter" else "h"), 4 if kind == "quarter" else 2
            )
        elif kind == "year_range":
            token.values = (int(match.group("y1")), int(match.group("y2")))
        elif kind == "year":
            token.value = int(token.text)
        elif kind == "number":
            token.value = int(re.match(r"\d+", token.text).group(0))  # type: ignore[union-attr]
        tokens.append(token)
    return tokens


def _units(tokens: list[_Token]) -> list[tuple[int, int]]:
    """Index ranges [i, j) of the date expressions: runs of date and joining tokens, trimmed of
    joining tokens at both ends, holding at least one date token."""
    units: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if tokens[i].kind not in _DATE_KINDS:
            i += 1
            continue
        j = i
        last_date = i
        while j < len(tokens) and (tokens[j].kind in _DATE_KINDS or tokens[j].kind in _JOIN_KINDS):
            if tokens[j].kind in _DATE_KINDS:
                last_date = j
            j += 1
        units.append((i, last_date + 1))
        i = last_date + 1
    return units


# --- reading units into dated groups --------------------------------------------------------


def _previous_date_kind(tokens: list[_Token], k: int) -> str | None:
    for token in reversed(tokens[:k]):
        if token.kind in _DATE_KINDS:
            return token.kind
    return None


def _items(tokens: list[_Token]) -> list[tuple[str, Any, int]]:
    """Flatten a unit into (kind, payload, token index) items: "years" with a _Group, "sub" with a
    _Sub, "marker" with a frequency. Month and quarter ranges are merged here."""
    items: list[tuple[str, Any, int]] = []
    day: int | None = None
    consumed: set[int] = set()  # dashes read as a month range
    for k, token in enumerate(tokens):
        if token.kind == "year":
            items.append(("years", _Group([token.value]), k))
        elif token.kind == "year_range":
            first, last = token.values
            if last <= first:
                raise _Unreadable(f"the year range {token.text!r} does not run forward")
            items.append(("years", _Group(list(range(first, last + 1)), ranged=True), k))
        elif token.kind == "year_word":
            if _previous_date_kind(tokens, k) not in ("year", "year_range"):
                raise _Unreadable(f"{token.text!r} without a year")
        elif token.kind in _MARKERS:
            items.append(("marker", _MARKERS[token.kind], k))
        elif token.kind == "number":
            if k + 1 >= len(tokens) or tokens[k + 1].kind != "month":
                raise _Unreadable(f"cannot place the number {token.text!r}")
            if not 1 <= token.value <= 31:
                raise _Unreadable(f"{token.value} is not a day of a month")
            day = token.value
        elif token.kind == "month":
            previous = items[-1] if items else None
            joint = _range_joint(tokens, k)
            if joint is not None and previous is not None and previous[0] == "sub" and previous[1].kind == "month":
                start = previous[1]
                if start.first is not None or token.value <= start.value:
                    raise _Unreadable(f"cannot read the month range ending {token.text!r}")
                start.first, start.value, start.day = start.value, token.value, day
                consumed.add(joint)
            else:
                items.append(("sub", _Sub("month", token.value, day=day), k))
            day = None
        elif token.kind in ("quarter", "half"):
            if token.is_range:
                first, last = token.values
                if last <= first:
                    raise _Unreadable(f"the range {token.text!r} does not run forward")
                items.append(("sub", _Sub(token.kind, last, first=first), k))
            else:
                items.extend(("sub", _Sub(token.kind, value), k) for value in token.values)
    for k, token in enumerate(tokens):
        # Any other dash joins two dated groups ("2024 жылғы қараша – 2025 жылғы ақпан"): a range
        # across years, which the schedule cannot say without guessing which end is meant.
        if token.kind == "dash" and k not in consumed:
            raise _Unreadable("a range between two dates")
    return items


_ABLATIVE_RE = re.compile(r"(?:дан|ден|тан|тен|нан|нен)$")


def _range_joint(tokens: list[_Token], k: int) -> int | None:
    """The index of what makes the month at ``k`` the end of a range with the month before it:
    a dash ("сәуір – желтоқсан", "қаңтар – 10 шілде"), Russian "по" ("с января по март") or
    nothing after a Kazakh ablative ("қаңтардан наурызға дейін"). None when it is not a range."""
    j = k - 1
    if j >= 0 and tokens[j].kind == "number":
        j -= 1  # the end's day: "қаңтар – 10 шілде"
    if j >= 1 and tokens[j - 1].kind == "month":
        joint = tokens[j]
        if joint.kind == "dash" or (joint.kind == "glue" and joint.text == "по"):
            return j
    if j >= 0 and tokens[j].kind == "month" and _ABLATIVE_RE.search(tokens[j].text.replace(" ", "")):
        return k
    return None


def _read_unit(tokens: list[_Token], language: str) -> list[_Group]:
    """Bind the parts of the year to their years: in Kazakh the year comes first ("2024 жылғы
    желтоқсан"), in Russian last ("декабрь 2026 года"). A part with no year of its own belongs to
    the unit's recurring marker ("жыл сайын маусым", "два раза в год (май, октябрь)")."""
    items = _items(tokens)
    groups: list[_Group] = []
    pending: list[_Sub] = []
    markers = {payload for kind, payload, _ in items if kind == "marker"}
    for kind, payload, _ in items:
        if kind == "years":
            payload.subs.extend(pending)
            pending = []
            groups.append(payload)
        elif kind == "sub":
            if language == "kk" and groups:
                groups[-1].subs.append(payload)
            else:
                pending.append(payload)
    if len(markers) > 1:
        raise _Unreadable("two different frequencies in one date")
    marker = markers.pop() if markers else None
    if pending:
        if groups:
            groups[-1].subs.extend(pending)  # "2026 года, декабрь"
        elif marker is not None:
            groups.append(_Group(None, marker=marker, subs=pending))
        else:
            raise _Unreadable("a month, quarter or half-year without a year")
    if not groups and marker is not None:
        groups.append(_Group(None, marker=marker))
    for group in groups:
        group.marker = marker
    return groups


# --- step names -----------------------------------------------------------------------------

_LABEL_EDGE_RE = re.compile(rf"^(?:[\s\-,.:;()]|(?:{_GLUE})(?![^\W\d_]))+|(?:[\s\-,.:;()]|(?<![^\W\d_])(?:{_GLUE}))+$")


def _label(clean: str, start: int, end: int) -> str:
    text = " ".join(clean[start:end].split())
    previous = None
    while text != previous:
        previous = text
        text = _LABEL_EDGE_RE.sub("", text)
    if text.count("(") != text.count(")"):
        text = text.replace("(", "").replace(")", "").strip()
    if re.search(r"\d", text) or _DATE_WORD_RE.search(text):
        # A step name never holds a date: a number or date word left over is a date the parser missed.
        raise _Unreadable(f"cannot read {text!r}")
    return text


def _read(tokens: list[_Token], clean: str, language: str) -> list[_Group]:
    """All dated groups of the text, each with its step name.

    Steps are separated by ";" when the text has them. Within a step, a name goes with the date
    it follows ("октябрь 2027 года разработка проекта Закона"), unless the text opens with a
    name, in which case names go with the date that follows them ("в Мажилис – декабрь 2026 года").
    """
    segments: list[list[_Token]] = [[]]
    bounds: list[tuple[int, int]] = []
    seg_start = 0
    for token in tokens:
        if token.kind == "sep":
            bounds.append((seg_start, token.start))
            seg_start = token.end
            segments.append([])
        else:
            segments[-1].append(token)
    bounds.append((seg_start, len(clean)))
    groups: list[_Group] = []
    for segment, (lo, hi) in zip(segments, bounds, strict=True):
        units = _units(segment)
        if not units:
            if _label(clean, lo, hi):
                raise _Unreadable(f"no date in {' '.join(clean[lo:hi].split())!r}")
            continue
        spans = [(segment[i].start, segment[j - 1].end) for i, j in units]
        gaps = [(lo, spans[0][0])] + [(spans[n][1], spans[n + 1][0]) for n in range(len(spans) - 1)]
        gaps.append((spans[-1][1], hi))
        names = [_label(clean, a, b) for a, b in gaps]
        leading = bool(names[0])
        for n, (i, j) in enumerate(units):
            unit_groups = _read_unit(segment[i:j], language)
            if leading:
                name = names[n] if n < len(units) - 1 else " ".join(filter(None, names[n : n + 2]))
            else:
                name = names[n + 1] if n > 0 else " ".join(filter(None, names[0:2]))
            for group in unit_groups:
                group.label = name
            groups.extend(unit_groups)
    return groups


# --- expansion into periods -----------------------------------------------------------------


def period_sort_key(period: str) -> tuple[int, int, int]:
    """Sort periods in time order by when they end; at the same end a month comes before the
    quarter, and the quarter before the year ("2024-12" < "2024-Q4" < "2024")."""
    year = int(period[:4])
    if len(period) == 4:
        return (year, 12, 2)
    if period[5] == "Q":
        return (year, int(period[6]) * 3, 1)
    return (year, int(period[5:7]), 0)


def _summary(periods: list[str]) -> str:
    return ", ".join(periods) if len(periods) <= 3 else f"{periods[0]}..{periods[-1]}"


def _expand(group: _Group, plan_years: list[int], notes: list[str]) -> list[str]:
    years = group.years if group.years is not None else plan_years
    marker = group.marker
    if not group.subs:
        if marker == "quarter":
            return [f"{y}-Q{q}" for y in years for q in range(1, 5)]
        if marker == "month":
            return [f"{y}-{m:02d}" for y in years for m in range(1, 13)]
        if marker in ("half", "twice"):
            notes.append("twice a year with no months named: read as each half-year's last quarter (Q2, Q4)")
            return [f"{y}-Q{q}" for y in years for q in (2, 4)]
        return [str(y) for y in years]
    if marker == "twice" and len(group.subs) != 2:
        raise _Unreadable(f"twice a year, but {len(group.subs)} months named")
    periods: list[str] = []
    for sub in group.subs:
        if sub.kind == "month":
            these = [f"{y}-{sub.value:02d}" for y in years]
            if sub.first is not None:
                starts = [f"{y}-{sub.first:02d}" for y in years]
                notes.append(
                    f"{', '.join(f'{a}..{b}' for a, b in zip(starts, these, strict=True))} read as due at its end"
                )
        elif sub.kind == "quarter":
            these = [f"{y}-Q{sub.value}" for y in years]
            if sub.first is not None:
                notes.append(f"quarters {sub.first}-{sub.value} read as due at the end, {_summary(these)}")
        else:
            these = [f"{y}-Q{sub.value * 2}" for y in years]
            span = f"half-years {sub.first}-{sub.value}" if sub.first is not None else f"half-year {sub.value}"
            notes.append(f"{span} read as its last quarter, {_summary(these)}")
        if sub.day is not None:
            notes.append(f"day {sub.day} of {_summary(these)} (the schedule is by month)")
        periods.extend(these)
    return periods


_MONTH_WORD_RES = [re.compile(rf"(?:{pattern})") for pattern in _MONTH_PATTERNS]


def month_number(word: str) -> int | None:
    """The month (1-12) a kk or ru month word names in any case form ("қаңтарға", "апреля",
    "желтоқсандағы"), or None. The word is compared in its normalised form."""
    clean = normalize(word)
    for number, pattern in enumerate(_MONTH_WORD_RES, start=1):
        if pattern.fullmatch(clean):
            return number
    return None


def _names_agencies(label: str) -> bool:
    """True when a step name is only agency abbreviations ("іім, жао"): the executors' cell glued to
    the deadline by the extraction, not a step."""
    for separator in (",", None):
        parts = [part.strip() for part in label.split(separator) if part.strip()]
        if parts and all(resolve_agency_code(part) for part in parts):
            return True
    return False


def detect_language(text: str) -> str:
    """ "kk" when the text has Kazakh letters or the word жыл, else "ru"."""
    return "kk" if _KK_SPECIFIC_RE.search(text.casefold()) else "ru"


def _unparsed(text: str, reason: str) -> Deadline:
    return Deadline(text=text, schedule=[], recurring=False, unparsed=True, note=reason)


def parse_deadline(text: str, start: int, end: int, language: str | None = None) -> Deadline:
    """Read a measure's deadline ``text`` (kk or ru) of a plan running from ``start`` to ``end``.

    Recurring forms ("жыл сайын", "ежегодно", "два раза в год") expand over the years
    ``start``..``end``. ``language`` ("kk" or "ru") decides whether a month belongs to the year
    before it (kk) or after it (ru) when a text names several; it is detected when None.
    Raises ValueError when ``start > end`` or the language is unknown; an unreadable text is not
    an error but an unparsed :class:`Deadline`.
    """
    if start > end:
        raise ValueError(f"the plan period starts ({start}) after it ends ({end})")
    if language is None:
        language = detect_language(text or "")
    if language not in ("kk", "ru"):
        raise ValueError(f"unknown language {language!r}: expected 'kk' or 'ru'")
    if not text or not text.strip():
        return _unparsed(text, "empty deadline")
    clean = _prepare(text)
    notes: list[str] = []
    try:
        groups = _read(_tokenize(clean), clean, language)
        if not groups:
            return _unparsed(text, "no date found")
        plan_years = list(range(start, end + 1))
        schedule: set[str] = set()
        steps: list[str] = []
        for group in groups:
            periods = _expand(group, plan_years, notes)
            if group.label and _names_agencies(group.label):
                notes.append(f"{group.label!r} after the date names agencies: the executors' cell glued to it?")
                group.label = ""
            schedule.update(periods)
            if group.label:
                steps.append(f"{_summary(sorted(periods, key=period_sort_key))}: {group.label}")
    except _Unreadable as exc:
        return _unparsed(text, str(exc))
    outside = sorted({int(p[:4]) for p in schedule} - set(plan_years))
    if outside:
        notes.append(f"{', '.join(map(str, outside))} outside the plan period {start}-{end}")
    recurring = any(group.marker is not None or (group.ranged and len(group.years or []) > 1) for group in groups)
    return Deadline(
        text=text,
        schedule=sorted(schedule, key=period_sort_key),
        recurring=recurring,
        unparsed=False,
        note="; ".join(dict.fromkeys(steps + notes)),
    )
