"""Display cleaning for the 2007 programme (seed 003): the text as a person would write it.

:func:`core.reference.normalize` gives a case-folded comparison key; a plan reader needs the readable
form of a cell instead, so the repairs are done here without folding case. The damage this PDF
extraction shows, with examples from seed 003:

* letter-spaced words: ``Т а л а п`` (L1143), ``Ү Е Ұ`` (L1134), ``2 0`` (L1251), ``I I I`` (L1140);
* a detached Kazakh ``і`` inside a word: ``мүдделер ін`` (L1381), ``дег і`` (L1760), ``л ікт і`` (L1627);
* words broken at a line end: ``Респуб-`` / ``ликалық`` (L1497-1498), ``жи-`` / ``нақтау`` (L1127-1128);
* Latin look-alikes: ``IIМ`` (L1241, Latin I), ``І V`` (L2032, Cyrillic І in a Roman numeral);
* split decimals: ``5 ,075`` (L1491), ``0 , 0 6 1`` (L2256);
* a stray ``»`` glued to an opening quote: ``налған»"Халықара-`` (L1375).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Latin capitals and small letters that look like Cyrillic ones (as in core.reference; Y/y left out).
_LATIN_TO_CYRILLIC = str.maketrans({
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М",
    "O": "О", "P": "Р", "T": "Т", "X": "Х",
    "a": "а", "c": "с", "e": "е", "i": "і", "k": "к", "o": "о", "p": "р", "x": "х",
})  # fmt: skip
_ROMAN_TO_LATIN = str.maketrans({"І": "I", "Х": "X"})
_ROMAN_RE = re.compile(r"^[IІVХX]+$")
_WORD_RE = re.compile(r"[^\W\d_]+")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")

# Fragments the PDF detaches from the word they belong to (the glyph і gets a space before it):
# "мүдделер ін" (L1381), "жөнін- дег і" (L1760), "Жергі- л ікт і" (L1627). None is a Kazakh word on
# its own, so gluing them to the previous word is safe; "іс", "ісі" (real words) are not listed.
_DETACHED_I = frozenset({"і", "ін", "ің", "ік", "ікт"})

# Compounds whose own hyphen fell at a line end: "ғылыми-" / "әдістемелік" (L1504-1505, L1651 and
# L1659), "мінез-" / "құлықты" (L1787-1788). Any other line-end hyphen is a soft break.
COMPOUND_HEADS = frozenset({"ғылыми", "мінез"})

_MONTHS = "қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан"
MONTH_RE = re.compile(rf"(?<![^\W\d_])({_MONTHS})", re.IGNORECASE)


def _is_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC_RE.search(text))


def _join_letter_spacing(line: str) -> str:
    """Join letter-spaced words of one line.

    Words of a spaced phrase are separated by two or more spaces (``д о с ы  -  Д р у г``, L2838), so
    the line is cut into chunks there. Inside a chunk, a run of two or more one-character tokens is
    one word (``Т а л а п``, ``т а у ) ,``); a lone one-character token stays (``жылғы I``, L1173).
    """
    chunks = [chunk for chunk in re.split(r"\s{2,}", line.strip()) if chunk]
    out: list[str] = []
    for chunk in chunks:
        tokens = chunk.split(" ")
        words: list[str] = []
        run: list[str] = []
        for token in [*tokens, ""]:
            if len(token) == 1:
                run.append(token)
                continue
            if len(run) >= 2:
                words.append("".join(run))
            else:
                words.extend(run)
            run = []
            if token:
                words.append(token)
        glued: list[str] = []
        for word in words:
            if glued and word in _DETACHED_I and _is_cyrillic(glued[-1][-1:]):
                glued[-1] += word
            elif glued and glued[-1] == "л" and word.startswith("і"):
                glued[-1] += word  # "л ікт і" (L1627): the spaced "лікті" of "Жергілікті"
            else:
                glued.append(word)
        out.append(" ".join(glued))
    return " ".join(out)


def _fix_lookalikes(match: re.Match[str]) -> str:
    word = match.group(0)
    if _ROMAN_RE.match(word):
        return word.translate(_ROMAN_TO_LATIN)  # "І V" (L2032) is the quarter IV
    if _is_cyrillic(word):
        return word.translate(_LATIN_TO_CYRILLIC)  # "IIМ" (L1241)
    return word


def _join_two(left: str, right: str) -> str:
    """Join two consecutive lines (or cell fragments) of one cell, undoing line-end hyphenation."""
    if not left:
        return right
    if not right:
        return left
    if left.endswith("-") and not left.endswith(" -"):
        head = re.split(r"[\s(\"]", left[:-1])[-1]
        if right[:1].islower():
            if head.lower() in COMPOUND_HEADS or (head.isupper() and len(head) > 1):
                return left + right  # "ғылыми-әдістемелік", "БҒМ-ге"
            return left[:-1] + right  # "Респуб-" + "ликалық"
        return f"{left} {right}"
    if right.startswith("-") and right[1:2].isalpha():
        return left + right  # "мектеп" + "-интернаттардың" (L2671-2672)
    return f"{left} {right}"


def _fix_spacing(text: str) -> str:
    text = re.sub(r"(?<=\d)\s*,\s*(?=\d)", ",", text)  # "5 ,075", "0 , 0 6 1" after joining
    text = re.sub(r"\s+([,;:.)])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    # Quotes: the extraction leaves a space inside them ('" Балалық шақ', L2836-2837); straight
    # quotes alternate opening and closing, so the spaces are removed by parity.
    parts = text.split('"')
    if len(parts) % 2 == 1:
        for index in range(1, len(parts), 2):
            parts[index] = parts[index].strip()
        text = '"'.join(parts)
    return " ".join(text.split())


def clean_lines(lines: Iterable[str]) -> str:
    """Return the readable one-line text of a cell given its raw lines."""
    text = ""
    for raw in lines:
        line = raw.replace("\u00ad", "").replace("\u00a0", " ").replace('»"', ' "')
        line = _join_letter_spacing(line)
        text = _join_two(text, line)
    text = _WORD_RE.sub(_fix_lookalikes, text)
    return _fix_spacing(text)


def join_fragments(left: str, right: str) -> str:
    """Join two already cleaned fragments of one cell (split by a page break or by interleaving)."""
    return _fix_spacing(_join_two(left, right))


def parse_decimal(text: str) -> float:
    """Read an amount as printed: decimal comma, spaces as thousand separators ("1 404,427")."""
    return float(re.sub(r"\s", "", text).replace(",", "."))
