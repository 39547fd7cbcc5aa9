"""Reference data: the regions and state agencies of the seeds, and the resolvers that map the
seeds' spellings (abbreviations, historical names, PDF-extraction damage) to stable codes.

Pure Python on purpose: importers, management commands and tests use it without a database, and
the Django models load their reference rows from the same YAML files (``core/data/``).

Matching is exact after normalisation. Nothing is guessed: a text that is not a known spelling
resolves to ``None``, because a wrong agency or region in an imported plan is worse than a gap
that an importer reports.
"""

from __future__ import annotations

import copy
import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_FILE = DATA_DIR / "regions.yaml"
AGENCIES_FILE = DATA_DIR / "agencies.yaml"

REGION_KINDS = frozenset({"oblast", "city"})
AGENCY_KINDS = frozenset({"ministry", "agency", "local", "other", "budget_source"})
ALIAS_LANGS = frozenset({"kk", "ru", "en"})
LOCAL_EXECUTIVE_CODE = "local_exec"

Unmarked = Literal["default", "oblast", "city", "none"]

# --- normalisation --------------------------------------------------------------------------

# Seed 002's PDF font maps ө, ұ, ү to these code points.
_DAMAGE = str.maketrans({"ӛ": "ө", "Ӛ": "Ө", "ҧ": "ұ", "Ҧ": "Ұ", "ҥ": "ү", "Ҥ": "Ү"})

# Latin letters that look like Cyrillic ones. Y/y are left out: they look like both У and Ү.
_LOOKALIKES = {
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М",
    "O": "О", "P": "Р", "T": "Т", "X": "Х", "Ə": "Ә",
    "a": "а", "c": "с", "e": "е", "h": "һ", "i": "і", "k": "к", "o": "о", "p": "р",
    "x": "х", "ə": "ә",
}  # fmt: skip
_LOOKALIKE_TABLE = str.maketrans(_LOOKALIKES)

_WORD_RE = re.compile(r"[^\W\d_]+")
_HTML_TAG_RE = re.compile(r"<[^>]{1,40}>")
_DASHES_RE = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
_QUOTES_RE = re.compile(r"[«»\"“”„‟'’‘`]")
_SPACE_BEFORE_PUNCT_RE = re.compile(r"\s+([,;:)])")
_SPACE_AFTER_PAREN_RE = re.compile(r"\(\s+")
# A word broken at the end of a line: "Еңбекми- ні", "облыста- рының".
_LINE_BREAK_HYPHEN_RE = re.compile(r"([^\W\d_]+)-\s+(?=[^\W\d_])")
_EDGE_PUNCT = " \t.,;:*-•·"


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def _fix_lookalikes(match: re.Match[str]) -> str:
    word = match.group(0)
    if any(_is_cyrillic(ch) for ch in word):
        return word.translate(_LOOKALIKE_TABLE)
    # An all-caps abbreviation typed entirely in look-alikes ("IIM") is Cyrillic too; a word with
    # any other Latin capital ("LED", "SAFE") is left alone.
    if word.isupper() and all(ch in _LOOKALIKES for ch in word):
        return word.translate(_LOOKALIKE_TABLE)
    return word


def _join_spaced_letters(text: str) -> str:
    """Join letter-spaced words of the 2007 PDF: "Ү Е Ұ" -> "ҮЕҰ", "Т а л а п" -> "Талап".

    Words of a spaced phrase are separated by two or more spaces ("Ү к і м е т т і к  е м е с"),
    so the text is cut into chunks there. A chunk made only of one-character tokens is joined
    ("Б П", "н і ,"); inside other chunks a run needs three or more one-letter tokens, which
    keeps ordinary one-letter words ("Астаны и Алматы", "и в") apart.
    """
    chunks = re.split(r"(\s{2,}|\n)", text)
    out: list[str] = []
    for chunk in chunks:
        if not chunk or chunk.isspace():
            out.append(chunk)
            continue
        tokens = [piece for piece in chunk.split(" ") if piece]
        if len(tokens) >= 2 and all(len(piece) == 1 for piece in tokens) and sum(map(str.isalpha, tokens)) >= 2:
            out.append("".join(tokens))  # a whole chunk of spaced letters: "Б П", "н і ,"
            continue
        joined: list[str] = []
        run: list[str] = []
        for piece in [*tokens, ""]:
            if len(piece) == 1 and (piece.isalpha() or piece == "-"):
                run.append(piece)
                continue
            if len(run) >= 3 and sum(t.isalpha() for t in run) >= 2:
                joined.append("".join(run))
            else:
                joined.extend(run)
            run = []
            if piece:
                joined.append(piece)
        out.append(" ".join(joined))
    return "".join(out)


def _join_line_break_hyphens(match: re.Match[str]) -> str:
    word = match.group(1)
    following = match.string[match.end()]
    if not following.islower():
        return match.group(0)  # "ХЕҰ- ИПЕК" or a list dash: not a broken word
    # Keep the hyphen after an abbreviation: "ОМ- ге" is the case form "ОМ-ге".
    return f"{word}-" if word.isupper() and len(word) > 1 else word


def normalize(text: str) -> str:
    """Return the comparison form of ``text``.

    Repairs the seeds' extraction damage (ӛ/ҧ/ҥ for ө/ұ/ү, Latin look-alike letters inside
    Cyrillic words or in all-caps abbreviations such as ``IIМ``, letter-spaced words, words
    hyphenated across a line break, HTML tags), unifies dashes, drops quotes, collapses
    whitespace, trims edge punctuation (trailing dots, commas) and case-folds. ``ё`` becomes
    ``е``. The result is only for comparison, never for display.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    # A tab separates table cells: keep it a chunk boundary for _join_spaced_letters.
    text = text.replace("\u00ad", "").replace("\u00a0", " ").replace("\t", "  ")
    text = _HTML_TAG_RE.sub(" ", text)
    text = text.translate(_DAMAGE)
    text = _join_spaced_letters(text)
    text = _DASHES_RE.sub("-", text)
    text = _LINE_BREAK_HYPHEN_RE.sub(_join_line_break_hyphens, text)
    text = _WORD_RE.sub(_fix_lookalikes, text)
    text = _QUOTES_RE.sub("", text)
    text = " ".join(text.split())
    text = _SPACE_BEFORE_PUNCT_RE.sub(r"\1", text)
    text = _SPACE_AFTER_PAREN_RE.sub("(", text)
    text = text.strip(_EDGE_PUNCT)
    return text.casefold().replace("ё", "е")


# Kazakh case endings written after a hyphen on abbreviations: "ОМ-ге", "ШҚО-да", "ОАМ-мен".
_CASE_SUFFIX_RE = re.compile(
    r"^(?P<stem>.+\S)-(?:"
    r"ның|нің|дың|дің|тың|тің|ға|ге|қа|ке|на|не|а|е|ны|ні|ды|ді|ты|ті|н|"
    r"да|де|та|те|нда|нде|дан|ден|тан|тен|нан|нен|мен|бен|пен|"
    r"дағы|дегі|тағы|тегі|ндағы|ндегі"
    r")$"
)


def _strip_case_suffix(key: str) -> str:
    match = _CASE_SUFFIX_RE.match(key)
    return match.group("stem") if match else key


# --- regions --------------------------------------------------------------------------------

_OBLAST_MARKER_RE = re.compile(r"^(?:облыс\w*|област\w*|обл|region|oblast|province)$")
_CITY_MARKER_RE = re.compile(r"^(?:қ|г|қала\w*|город\w*|city)$")
# "г.Алматы", "қ.Алматы": give the abbreviated marker its own token.
_GLUED_MARKER_RE = re.compile(r"(?<![^\W\d_])(г|қ|обл)\.(?=[^\W\d_])")


def _region_tokens(text: str) -> list[tuple[str, str | None]]:
    """Split a normalised region text into (token, marker kind or None) pairs."""
    text = _GLUED_MARKER_RE.sub(r"\1. ", text)
    pairs: list[tuple[str, str | None]] = []
    for token in text.split():
        bare = token.strip(".,;:()")
        if _OBLAST_MARKER_RE.match(bare):
            pairs.append((bare, "oblast"))
        elif _CITY_MARKER_RE.match(bare):
            pairs.append((bare, "city"))
        elif bare:
            pairs.append((bare, None))
    return pairs


def normalize_region(text: str) -> str:
    """Return the comparison form of a region name: :func:`normalize` without the words that
    only say "oblast" or "city" (облысы and its case forms, область/области/областей, обл.,
    қ., қаласы/қала…, г., город…, region, city), so that "Түркістан облысында",
    "Туркестанской области" and "Turkistan Region" reduce to their name part."""
    return " ".join(token for token, marker in _region_tokens(normalize(text)) if marker is None)


def _region_markers(text: str) -> set[str]:
    """Return the kinds of marker in ``text``: empty, {"oblast"}, {"city"} or both."""
    return {marker for _, marker in _region_tokens(normalize(text)) if marker}


# --- loading and validation -----------------------------------------------------------------


def _load_yaml_list(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ValueError(f"{path.name}: expected a list of mappings")
    return data


def _check_fields(path: Path, record: dict[str, Any], label: str, required: Iterable[str]) -> None:
    for field in required:
        if not isinstance(record.get(field), str) or not record[field].strip():
            raise ValueError(f"{path.name}: {label}: missing or empty field {field!r}")


def _check_aliases(path: Path, record: dict[str, Any], label: str) -> None:
    aliases = record.get("aliases")
    if not isinstance(aliases, list):
        raise ValueError(f"{path.name}: {label}: 'aliases' must be a list")
    for alias in aliases:
        if not isinstance(alias, dict) or set(alias) != {"text", "lang", "former"}:
            raise ValueError(f"{path.name}: {label}: alias {alias!r} must have text, lang, former")
        if not isinstance(alias["text"], str) or not normalize(alias["text"]):
            raise ValueError(f"{path.name}: {label}: empty alias text {alias!r}")
        if alias["lang"] not in ALIAS_LANGS:
            raise ValueError(f"{path.name}: {label}: alias {alias['text']!r} has lang {alias['lang']!r}")
        if not isinstance(alias["former"], bool):
            raise ValueError(f"{path.name}: {label}: alias {alias['text']!r}: 'former' must be true/false")


def _spellings(record: dict[str, Any]) -> list[str]:
    """Every text a record can be found by: its names and its aliases."""
    names = [record[field] for field in ("name_kk", "name_ru", "name_en")]
    return names + [alias["text"] for alias in record["aliases"]]


@functools.cache
def _regions() -> tuple[dict[str, Any], ...]:
    records = _load_yaml_list(REGIONS_FILE)
    seen: set[str] = set()
    for record in records:
        label = str(record.get("pcode"))
        _check_fields(
            REGIONS_FILE, record, label, ("pcode", "kind", "name_kk", "name_ru", "name_en", "capital", "capital_kk")
        )
        if not re.fullmatch(r"KAZ\d{3}", record["pcode"]):
            raise ValueError(f"regions.yaml: bad pcode {record['pcode']!r}")
        if record["pcode"] in seen:
            raise ValueError(f"regions.yaml: duplicate pcode {record['pcode']!r}")
        seen.add(record["pcode"])
        if record["kind"] not in REGION_KINDS:
            raise ValueError(f"regions.yaml: {label}: kind {record['kind']!r} not in {sorted(REGION_KINDS)}")
        _check_aliases(REGIONS_FILE, record, label)
    return tuple(records)


@functools.cache
def _agencies() -> tuple[dict[str, Any], ...]:
    records = _load_yaml_list(AGENCIES_FILE)
    codes: set[str] = set()
    for record in records:
        label = str(record.get("code"))
        _check_fields(AGENCIES_FILE, record, label, ("code", "kind", "name_kk", "name_ru", "name_en"))
        if not re.fullmatch(r"[a-z][a-z0-9_]*", record["code"]):
            raise ValueError(f"agencies.yaml: code {record['code']!r} is not an ASCII slug")
        if record["code"] in codes:
            raise ValueError(f"agencies.yaml: duplicate code {record['code']!r}")
        codes.add(record["code"])
        if record["kind"] not in AGENCY_KINDS:
            raise ValueError(f"agencies.yaml: {label}: kind {record['kind']!r} not in {sorted(AGENCY_KINDS)}")
        _check_aliases(AGENCIES_FILE, record, label)
    for record in records:
        successor = record.get("successor")
        if successor is not None and (successor not in codes or successor == record["code"]):
            raise ValueError(f"agencies.yaml: {record['code']}: unknown successor {successor!r}")
    if LOCAL_EXECUTIVE_CODE not in codes:
        raise ValueError(f"agencies.yaml: the local executive bodies entry {LOCAL_EXECUTIVE_CODE!r} is missing")
    return tuple(records)


def region_records() -> list[dict[str, Any]]:
    """Return the 20 regions from ``data/regions.yaml`` (validated; a fresh copy each call)."""
    _region_index()  # validates the aliases too
    return copy.deepcopy(list(_regions()))


def agency_records() -> list[dict[str, Any]]:
    """Return the agencies and budget sources from ``data/agencies.yaml`` (validated; a copy)."""
    _agency_index()
    return copy.deepcopy(list(_agencies()))


class _RegionKey:
    """What one normalised region name can denote: at most one region per kind, and at most one
    region that owns the name without a marker (the default for unmarked text)."""

    __slots__ = ("by_kind", "sources", "unmarked")

    def __init__(self) -> None:
        self.by_kind: dict[str, str] = {}
        self.unmarked: str | None = None
        self.sources: dict[str, str] = {}  # pcode -> one spelling, for error messages


@functools.cache
def _region_index() -> dict[str, _RegionKey]:
    index: dict[str, _RegionKey] = {}
    for record in _regions():
        pcode, kind = record["pcode"], record["kind"]
        for text in _spellings(record):
            key = normalize_region(text)
            if not key:
                raise ValueError(f"regions.yaml: {pcode}: spelling {text!r} has no name part")
            markers = _region_markers(text)
            if markers - {kind}:
                raise ValueError(f"regions.yaml: {pcode} is a {kind} but spelling {text!r} says {markers}")
            marker = markers.pop() if markers else None
            entry = index.setdefault(key, _RegionKey())
            other = entry.by_kind.get(kind)
            if other is not None and other != pcode:
                raise ValueError(
                    f"regions.yaml: {text!r} ({pcode}) and {entry.sources[other]!r} ({other}) "
                    f"both normalise to {key!r} for a {kind}"
                )
            if marker is None:
                if entry.unmarked is not None and entry.unmarked != pcode:
                    raise ValueError(
                        f"regions.yaml: bare {key!r} is claimed by {pcode} ({text!r}) and by "
                        f"{entry.unmarked} ({entry.sources[entry.unmarked]!r})"
                    )
                entry.unmarked = pcode
            entry.by_kind[kind] = pcode
            entry.sources.setdefault(pcode, text)
    return index


@functools.cache
def _region_capitals() -> dict[str, frozenset[str]]:
    return {
        record["pcode"]: frozenset({normalize_region(record["capital"]), normalize_region(record["capital_kk"])})
        for record in _regions()
    }


def resolve_region_code(text: str, *, unmarked: Unmarked = "default") -> str | None:
    """Return the ADM1 p-code (``KAZ001``…``KAZ020``) of the region ``text`` names, or None.

    ``text`` may be any spelling in ``regions.yaml`` — kk/ru/en names, abbreviations (ШҚО, ВКО),
    former names (Нұр-Сұлтан, Оңтүстік Қазақстан облысы), with or without an oblast marker
    (облысы, область, обл., region) or city marker (қ., қаласы, г., город, city), in any case
    form of the marker word ("Ұлытау облысында"), and with a Kazakh case ending after a hyphen
    ("ШҚО-да"). "ҚР" (the whole country) and anything unknown give None.

    Almaty is both a city (KAZ004) and an oblast (KAZ005):

    * a city marker selects the city: "Алматы қ.", "Алматы қаласы", "г. Алматы" -> KAZ004;
    * an oblast marker selects the oblast: "Алматы облысы", "Алматинская область" -> KAZ005;
    * bare Cyrillic "Алматы" -> KAZ005, the convention of seed 002's regional tables, which list
      the oblasts by short name and the cities with "қ."; bare Latin "Almaty" -> KAZ004, the
      convention of the geojson. Where a source lists cities without a marker (002 L9378-9382,
      the Russian text of 004), pass ``unmarked="city"``; ``unmarked="none"`` refuses bare
      ambiguous names, ``unmarked="oblast"`` forces the oblast.

    A city marker on an oblast's name is accepted only when the city is that oblast's centre
    ("Қарағанды қаласы" -> Karaganda region, since the city lies in it); "г. Абай" (a town in
    Karaganda region) gives None. An oblast marker on a city's name ("Шымкент облысы") and
    contradictory markers give None.
    """
    key = normalize_region(text)
    if not key:
        return None
    index = _region_index()
    entry = index.get(key) or index.get(_strip_case_suffix(key))
    if entry is None:
        return None
    markers = _region_markers(text)
    if len(markers) > 1:
        return None  # "Алматы облысы қ.": contradictory
    marker = markers.pop() if markers else None
    if marker == "oblast":
        return entry.by_kind.get("oblast")
    if marker == "city":
        if "city" in entry.by_kind:
            return entry.by_kind["city"]
        oblast = entry.by_kind.get("oblast")
        if oblast is not None and key in _region_capitals()[oblast]:
            return oblast
        return None
    if len(entry.by_kind) == 1:
        return next(iter(entry.by_kind.values()))
    if unmarked == "default":
        return entry.unmarked
    if unmarked in ("oblast", "city"):
        return entry.by_kind.get(unmarked)
    return None


# --- agencies -------------------------------------------------------------------------------

# "(келісу бойынша)" = "(by agreement)", "(жинақтау)" = "(consolidates)", "(свод)": executor
# annotations; "(көзделген бюджет қаражаты шегінде)" follows РБ/ЖБ in 000's funding column.
_ANNOTATION_RE = re.compile(
    r"\s*\(?\s*(?:келісу бойынша|келісім бойынша|по согласованию(?: с [^()]+)?|жинақтау|свод|"
    r"к[өо]зделген бюджет қаражаты шегінде)\s*\)*\s*$"
    # ... or its first word, when a page break cut the cell: "ҮЕҰ (келісім" (003 L1202).
    r"|\s*\((?:келісім|келісу)\s*$"
)
_COUNTRY_RE = re.compile(
    r"(?<![^\W\d_])(?:қазақстан республикасы(?:ның|ндағы)?|республики казахстан|"
    r"в республике казахстан)(?![^\W\d_])"
)
_COUNTRY_TOKENS = frozenset({"қр", "рк"})
# "Астана қаласының әкімдігі", "акиматы Актюбинской и Туркестанской областей": an akimat is a
# local executive body whatever region it belongs to.
_AKIMAT_WORDS = frozenset({
    "әкімдік", "әкімдігі", "әкімдіктер", "әкімдіктері",
    "акимат", "акиматы", "акиматов",
})  # fmt: skip


def normalize_agency(text: str) -> str:
    """Return the comparison form of an agency or budget-source name: :func:`normalize` without
    the country ("Қазақстан Республикасының", "ҚР", "Республики Казахстан", "РК") and without
    trailing executor annotations ("(келісу бойынша)", "(по согласованию)", "(жинақтау)")."""
    key = normalize(text)
    previous = None
    while key != previous:
        previous = key
        # An annotation alone ("көзделген бюджет қаражаты шегінде") is a name, not an annotation.
        key = _ANNOTATION_RE.sub("", key) or key
        key = _COUNTRY_RE.sub(" ", key)
        tokens = key.split()
        while tokens and tokens[0] in _COUNTRY_TOKENS:
            tokens.pop(0)
        while tokens and tokens[-1] in _COUNTRY_TOKENS:
            tokens.pop()
        key = " ".join(tokens).strip(_EDGE_PUNCT)
        if key.startswith("(") and ")" not in key:
            key = key[1:]
        if key.endswith(")") and "(" not in key:
            key = key[:-1]
        if key.endswith("("):  # "БП (" where the annotation went to the next cell
            key = key[:-1]
        key = key.strip(_EDGE_PUNCT)
    return key


@functools.cache
def _agency_index() -> dict[str, str]:
    index: dict[str, str] = {}
    sources: dict[str, str] = {}
    for record in _agencies():
        code = record["code"]
        for text in _spellings(record):
            key = normalize_agency(text)
            if not key:
                raise ValueError(f"agencies.yaml: {code}: spelling {text!r} normalises to nothing")
            other = index.get(key)
            if other is not None and other != code:
                raise ValueError(
                    f"agencies.yaml: {text!r} ({code}) and {sources[key]!r} ({other}) both normalise to {key!r}"
                )
            index[key] = code
            sources.setdefault(key, text)
    return index


def resolve_agency_code(text: str) -> str | None:
    """Return the code of the agency or budget source ``text`` names, or None.

    ``text`` is one executor or funding entry as written in a seed: an abbreviation in any of its
    spellings (ІІМ, IIМ with Latin I, ОМ-ге, ҚСЖАК, ЦДИжАӚМ), a full or former name, with or
    without the country ("ҚР ДСМ", "Министерство юстиции Республики Казахстан") and a trailing
    annotation ("БП (келісу бойынша)", "УПР (по согласованию)", "БҒМ (жинақтау)", "МИО по
    согласованию с МП" -> the executor, МИО). Equivalent
    abbreviations resolve to the same code (Еңбекмині, ЕжХӘҚМ, МТСЗН, МТКСЗН -> ``labour``).

    Only exact matches after normalisation count; the one rule beyond them: a text that begins with
    the word akimat ("акиматы Актюбинской и Туркестанской областей", "акиматы городов Астаны, Алматы и
    Павлодарской области"), or ends with it and has no comma ("Астана қаласының әкімдігі"), resolves
    to the local executive bodies — which region's akimat it
    is, is for :func:`resolve_region_code` on the rest of the text. Lists of several executors
    ("РБ, МБ, ВБС", "МИИЦР МП") and unknown names give None.
    """
    key = normalize_agency(text)
    if not key:
        return None
    index = _agency_index()
    code = index.get(key)
    if code is None:
        code = index.get(_strip_case_suffix(key))
    if code is None:
        # Akimats named by their regions: "Астана қаласының әкімдігі", "акиматы Актюбинской и
        # Туркестанской областей", "акиматы городов Астаны, Алматы и Павлодарской области" (after the
        # leading word, commas separate regions). Otherwise a comma means a list; the caller splits it.
        tokens = key.split()
        if tokens[0] in _AKIMAT_WORDS or ("," not in key and tokens[-1] in _AKIMAT_WORDS):
            code = LOCAL_EXECUTIVE_CODE
    return code
