"""Display cleaning for the 2023–2025 plan readers (seeds 000 and 001).

``core.reference.normalize`` gives a comparison form (case-folded). The readers also need the text
as a person would read it: letter-spaced words joined ("т а л а п" -> "талап"), the narrow table
columns of seed 000 re-joined into one line, with words that the PDF broke at a column edge glued
back ("бұзушылықта" + "рды" -> "бұзушылықтарды").

Whether a line break falls between two words or inside one is not marked in seed 000: a line that
ends with a space ends a word, but a line filled to the column edge has no trailing space either way.
The reader then asks the document itself: a word list (``Lexicon``) built from the tokens that stand
between spaces somewhere in the same text decides the doubtful breaks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

KK_MONTHS = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)  # fmt: skip
MONTH_RE = "(?:" + "|".join(KK_MONTHS) + ")"

_EDGE = "\"'«»()[],.;:!?–—-%"
_WHITESPACE_RE = re.compile(r"\s+")
_CLOSING_PUNCT = tuple(",.;:)")


def squash(text: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends."""
    return _WHITESPACE_RE.sub(" ", text).strip()


def compact(text: str) -> str:
    """The text without any whitespace: two readings that differ only in spacing compare equal."""
    return _WHITESPACE_RE.sub("", text)


def _bare(token: str) -> str:
    return token.strip(_EDGE).casefold()


_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


class Lexicon:
    """Words known to be whole because the document shows them between spaces.

    A token counts unless it may be a piece of a word broken at a line edge: the first token of a
    line that follows a line ending without a space, or the last token of a line that ends without
    a space. Month names are added because deadline cells hold them alone.
    """

    def __init__(self, lines: Iterable[str]) -> None:
        """Collect the whole words of ``lines`` (raw lines, before any cleaning)."""
        words: set[str] = set(KK_MONTHS)
        previous_open = False  # the previous line ended without a space: it may continue here
        for raw in lines:
            line = raw.rstrip("\n")
            tokens = fix_spacing(line).split()
            ends_with_space = line.endswith((" ", "\t"))
            for index, token in enumerate(tokens):
                if index == 0 and previous_open and not line.startswith(" "):
                    continue
                if index == len(tokens) - 1 and not ends_with_space:
                    continue
                bare = _bare(token)
                if len(bare) >= 2 and _WORD_RE.fullmatch(bare):
                    words.add(bare)
            previous_open = bool(line.strip()) and not ends_with_space
        self.words = frozenset(words)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and _bare(word) in self.words


def _join_single_letter_runs(chunk: str, min_run: int, min_alnum: int) -> str:
    tokens = [piece for piece in chunk.split(" ") if piece]
    out: list[str] = []
    run: list[str] = []
    for piece in [*tokens, ""]:
        if len(piece) == 1 and piece not in "–—":
            run.append(piece)
            continue
        if len(run) >= min_run and sum(ch.isalnum() for ch in run) >= min_alnum:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if piece:
            out.append(piece)
    return " ".join(out)


def fix_spacing(line: str) -> str:
    """Join the letter-spaced words of one line: "т а л а п  етілмейді" -> "талап етілмейді".

    The PDF justified narrow cells by spacing out the letters; words of such a line are then two
    or more spaces apart, so the line is cut into chunks there. A chunk made only of one-character
    tokens is one word ("қ ұ қ ы қ", "О М ,", "1 1"); inside other chunks a run needs three such
    tokens ("ОМ, АҚДМ т а л а п"), which keeps "5 %-ы" and "1 343,8" apart.
    """
    parts = re.split(r"(\s{2,})", line)
    out: list[str] = []
    for part in parts:
        if not part or part.isspace():
            out.append(part)
            continue
        tokens = part.split()
        whole = len(tokens) >= 2 and all(len(t) == 1 for t in tokens)
        lead = part[: len(part) - len(part.lstrip())]
        trail = part[len(part.rstrip()) :]
        out.append(
            lead + (_join_single_letter_runs(part, 2, 1) if whole else _join_single_letter_runs(part, 3, 2)) + trail
        )
    return "".join(out)


def merge_split_words(text: str, lexicon: Lexicon) -> str:
    """Join short pieces of one word that the PDF spaced unevenly: "б іл ім" -> "білім".

    Only when the joined word is in the document's own word list and a piece is not.
    """
    tokens = text.split(" ")
    out: list[str] = []
    index = 0
    while index < len(tokens):
        merged = False
        for width in (4, 3, 2):
            window = tokens[index : index + width]
            if len(window) < width or not all(t.isalpha() for t in window):
                continue
            if max(len(t) for t in window) > 4 and min(len(t) for t in window) > 2:
                continue
            joined = "".join(window)
            if joined in lexicon and any(t not in lexicon for t in window):
                out.append(joined)
                index += width
                merged = True
                break
        if not merged:
            out.append(tokens[index])
            index += 1
    return " ".join(out)


# Kazakh case and plural endings: a long token ending in one of them is usually a whole word.
_WORD_ENDINGS = (
    "ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге", "қа", "ке", "на", "не", "да", "де", "та", "те",
    "ды", "ді", "ты", "ті", "ны", "ні", "ын", "ін", "мен", "бен", "пен", "дан", "ден", "тан", "тен",
    "нан", "нен", "лар", "лер", "дар", "дер", "тар", "тер",
)  # fmt: skip
_LONG_TAIL = 5
_ABBREVIATION_RE = re.compile(r"^[А-ЯӘҒҚҢӨҰҮҺІ]{2,}(?:-|$)")
# A glued line this short is the end of a word; a longer one may be broken again ("қ-педагогикал").
_SHORT_TAIL = 6


def _separator(previous_raw: str, previous: str, following: str, lexicon: Lexicon, previous_was_tail: bool) -> str:
    """What goes between two lines of one table cell: a space, or nothing (a broken word).

    ``previous`` is the previous line (cleaned); ``previous_was_tail`` says it was itself glued to
    the line above, so it ends a word (a word is not broken twice in these columns).
    """
    if following.startswith(_CLOSING_PUNCT):
        return ""
    if following.startswith('"') and (len(following) == 1 or following[1] == " "):
        return ""  # a closing quote pushed to the next line: 'туралы' + '" Қазақстан'
    if previous.endswith("(") or previous == '"' or previous.endswith(' "'):
        return ""  # an opening parenthesis or quote stays with its word
    if previous_raw.endswith((" ", "\t")) or previous_was_tail:
        return " "
    if re.search(r"[^\W\d_]-$", previous):
        return ""  # a compound split at its hyphen: "медициналық-" + "әлеуметтік"
    if not previous[-1:].isalpha():
        return " "
    head = previous.split(" ")[-1]
    tail_match = _WORD_RE.match(following)
    if tail_match is None:
        return " "
    tail = tail_match.group(0)
    if _bare(head + tail) in lexicon.words:
        return ""
    if " " in previous:
        # Several words on a line that ends at the column edge: the break is between words.
        return " "
    if _ABBREVIATION_RE.match(head) or tail[:1].isupper():
        return " "  # an abbreviation ("ОМ-ге") or a capitalised word does not continue a word
    if len(tail) >= _LONG_TAIL - 1 and tail in lexicon:
        return " "
    if len(tail) >= _LONG_TAIL and head.casefold().endswith(_WORD_ENDINGS):
        return " "
    # A single long token that fills the column: the PDF broke a word that did not fit.
    return ""


def join_cell_lines(lines: Iterable[str], lexicon: Lexicon, *, whole_words: bool = False) -> str:
    """Join the lines of one table cell of seed 000 into one clean line.

    ``whole_words``: the cell's lines always end at a word (executor lists, dates, amounts), so
    they are joined with a space.
    """
    text = ""
    previous_raw = previous_line = ""
    previous_was_tail = False
    for raw in lines:
        raw = raw.rstrip("\n")
        fixed = merge_split_words(squash(fix_spacing(raw)), lexicon)
        if not fixed:
            continue
        if text:
            separator = _separator(previous_raw, previous_line, fixed, lexicon, previous_was_tail)
            if whole_words and separator == "" and not fixed.startswith(_CLOSING_PUNCT):
                separator = " "
            word_break = separator == "" and text[-1:].isalpha() and fixed[:1].isalpha()
            text += separator + fixed
            previous_was_tail = word_break and " " not in fixed and len(fixed) <= _SHORT_TAIL
        else:
            text = fixed
        previous_raw, previous_line = raw, fixed
    return squash(text)
