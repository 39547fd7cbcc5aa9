"""Text repair for the 2026–2030 Concept's action plan (seed 004): the display form of a cell.

The extraction breaks words in three ways (seed 004 lines in brackets):

* letter spacing inside a cell: "д л я" (L1955), "видеонаблуде н и я" (L1865), "ш к о л" (L2116);
* words cut by a space: "искусственно го" (L1865), "предусмотрен ных" (L1865), "Правительств о" (L1945);
* words cut where a cell continues on another line: "психологичес" + "к о й поддержки" (L1842/L1844),
  "медико-генет" + "ической службы" (L2064/L2066).

No dictionary ships with Qorgau, so the repair uses the document's own prose as one: the Concept's
body text (1,800 lines before the table) spells almost every word of the table correctly. Pieces are
glued only when the glued word occurs in that prose and at least one piece does not, so two real words
("обязательным и", "Астаны и Алматы") are never glued. Every repair is returned so the reader can
report it on the measure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Letters of Russian and Kazakh words (the table mixes in Kazakh names: "Өркен", "Ұлытау").
_LETTERS = "а-яёәғқңөұүһі"
_WORD_RE = re.compile(rf"[{_LETTERS}]+", re.IGNORECASE)
# One whitespace-separated token: leading punctuation, a word (hyphens allowed inside), trailing
# punctuation. Tokens that are not of this shape (numbers, "mGov", "LED") are never glued.
_TOKEN_RE = re.compile(rf"^(?P<pre>[(\"«]*)(?P<word>[{_LETTERS}]+(?:-[{_LETTERS}]+)*)(?P<post>[.,;:)\"»]*)$", re.I)
_TAG_RE = re.compile(r"</?p>", re.IGNORECASE)
# A paragraph holding a single letter: the tail of a word the PDF put in its own paragraph
# ("<p>внесение в Аппарат Правительства</p> <p>а</p>", L1966).
_LONE_LETTER_PARAGRAPH_RE = re.compile(rf"<p>\s*([{_LETTERS}])\s*</p>", re.IGNORECASE)
# Case endings the extraction cut off on their own ("автомобильн ых", "ведомственно го", L1983, L1910).
# A closed list: a short word that merely is missing from the prose ("зон", "я") must not be glued.
_ENDINGS = frozenset({
    "го", "ого", "ых", "ных", "ым", "ми", "ами", "ями", "ия", "ию", "ой", "ом", "ая", "ое", "ые", "ов", "ах", "ях",
})  # fmt: skip
_MAX_PIECES = 6  # "осуществляю щ и м и" is the longest broken word of the table (L2116)


def vocabulary(lines: Iterable[str]) -> frozenset[str]:
    """Return the set of words (lower case, ё as е) used in ``lines``: the document's own spelling list."""
    words: set[str] = set()
    for line in lines:
        words.update(_fold(word) for word in _WORD_RE.findall(line))
    return frozenset(words)


def _fold(word: str) -> str:
    return word.casefold().replace("ё", "е")


def _glue_key(words: list[str]) -> str:
    """The vocabulary key of pieces glued together; a hyphenated first piece counts from its last part
    ("медико-генет" + "ической" is looked up as "генетической")."""
    return _fold(words[0].rsplit("-", 1)[-1] + "".join(words[1:]))


def _known(word: str, vocab: frozenset[str]) -> bool:
    return _fold(word.rsplit("-", 1)[-1]) in vocab


def repair_words(text: str, vocab: frozenset[str]) -> tuple[str, list[str]]:
    """Glue the pieces of words broken by spaces, using ``vocab`` as the dictionary.

    Three passes. (1) Runs of two or more one-letter tokens are letter-spaced words: a run is joined
    ("д л я" -> "для", "н и я" -> "ния"), keeping apart leading one-letter words when the rest is a
    word ("и и н ы х" -> "и иных"); a two-letter run is joined only when the dictionary knows the
    result ("п о" -> "по", but "и я" stays). (2) At each token the longest run of up to six tokens is
    glued whose concatenation is a word of ``vocab`` while at least one of its pieces is not
    ("искусственно го" -> "искусственного", "Правительств о" -> "Правительство"). (3) A joined
    letter run that is no word itself is the tail of the token before it when that is no word either
    ("видеонаблуде ния" -> "видеонаблудения", misspelt in the source, "автоматическ ого"); so is a
    case ending that is no word ("автомобильн ых", "ведомственно го").
    Only the first piece may carry leading punctuation or a capital, only the last trailing
    punctuation. Returns the text and the repairs as "old→new" strings.
    """
    repairs: list[str] = []
    tokens, runs = _join_letter_runs(text.split(), vocab, repairs)
    out: list[str] = []
    out_runs: list[bool] = []
    i = 0
    while i < len(tokens):
        glued = _glue_from(tokens, i, vocab)
        if glued is None:
            out.append(tokens[i])
            out_runs.append(runs[i])
            i += 1
            continue
        end, word = glued
        repairs.append(f"{' '.join(tokens[i:end])}→{word}")
        out.append(word)
        out_runs.append(False)
        i = end
    return " ".join(_glue_tails(out, out_runs, vocab, repairs)), repairs


def _glue_tails(tokens: list[str], runs: list[bool], vocab: frozenset[str], repairs: list[str]) -> list[str]:
    """Pass (3) of :func:`repair_words`: glue word tails to the broken word before them."""
    final: list[str] = []
    for token, from_run in zip(tokens, runs, strict=True):
        previous = _TOKEN_RE.match(final[-1]) if final else None
        tail = _TOKEN_RE.match(token)
        # A tail: a joined letter run, or a case ending that is no word ("автомобильн ых", L1983).
        is_tail = (
            tail is not None
            and not tail["pre"]
            and tail["word"].islower()
            and not _known(tail["word"], vocab)
            and (from_run or tail["word"] in _ENDINGS)
        )
        if is_tail and previous is not None and not previous["post"] and not _known(previous["word"], vocab):
            repairs.append(f"{final[-1]} {token}→{final[-1]}{token}")
            final[-1] += token
            continue
        final.append(token)
    return final


def _glue_from(tokens: list[str], start: int, vocab: frozenset[str]) -> tuple[int, str] | None:
    """The longest gluable run starting at ``start``: (end index, glued token) or None."""
    first = _TOKEN_RE.match(tokens[start])
    if first is None or first["post"]:
        return None
    pieces = [first["word"]]
    best: tuple[int, str] | None = None
    for end in range(start + 1, min(start + _MAX_PIECES, len(tokens))):
        match = _TOKEN_RE.match(tokens[end])
        if match is None or match["pre"] or not match["word"][0].islower():
            break
        pieces.append(match["word"])
        if _glue_key(pieces) in vocab and not all(_known(piece, vocab) for piece in pieces):
            best = (end + 1, first["pre"] + "".join(pieces) + match["post"])
        if match["post"]:
            break
    return best


def _is_letter(token: str) -> bool:
    return len(token) == 1 and bool(_WORD_RE.fullmatch(token))


def _join_letter_runs(tokens: list[str], vocab: frozenset[str], repairs: list[str]) -> tuple[list[str], list[bool]]:
    """Pass (1) of :func:`repair_words`: the tokens after joining letter runs, and which came from a run."""
    out: list[str] = []
    from_run: list[bool] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if _is_letter(token):
            run.append(token)
            continue
        if len(run) >= 2:
            run = _glue_run_to_previous(out, run, vocab, repairs)
        # Keep leading one-letter words apart when the rest of the run is a word: "и и н ы х".
        split = next(
            (
                k
                for k in range(len(run) - 1)
                if all(_known(t, vocab) for t in run[:k]) and _fold("".join(run[k:])) in vocab
            ),
            None,
        )
        if len(run) >= 3 or (len(run) == 2 and split == 0):
            split = split or 0
            out.extend(run[:split])
            from_run.extend([False] * split)
            out.append("".join(run[split:]))
            from_run.append(True)
            repairs.append(f"{' '.join(run[split:])}→{''.join(run[split:])}")
        else:
            out.extend(run)
            from_run.extend([False] * len(run))
        run = []
        if token:
            out.append(token)
            from_run.append(False)
    return out, from_run


def _glue_run_to_previous(out: list[str], run: list[str], vocab: frozenset[str], repairs: list[str]) -> list[str]:
    """Glue the longest head of a letter run to the broken word before it ("законодательс" + "т в о м"
    of "т в о м о", L2116); return the rest of the run."""
    previous = _TOKEN_RE.match(out[-1]) if out else None
    if previous is None or previous["post"] or _known(previous["word"], vocab):
        return run
    for size in range(len(run), 0, -1):
        if _glue_key([previous["word"], *run[:size]]) in vocab:
            glued = out[-1] + "".join(run[:size])
            repairs.append(f"{out[-1]} {' '.join(run[:size])}→{glued}")
            out[-1] = glued
            return run[size:]
    return run


def join_pieces(head: str, tail: str, vocab: frozenset[str]) -> tuple[str, str | None]:
    """Join two parts of one cell that the extraction put on different lines.

    A space separates them unless the last word of ``head`` and the first word of ``tail`` are the
    two halves of one word of ``vocab`` ("здравоохране" + "ния", "медико-генет" + "ической"), or
    ``head`` ends with a line-break hyphen. Returns the text and the repair made, if any.
    """
    head, tail = head.strip(), tail.strip()
    if not head or not tail:
        return head or tail, None
    head_tokens, tail_tokens = head.split(), tail.split()
    last = _TOKEN_RE.match(head_tokens[-1])
    if last is not None and not last["post"]:
        # The tail may start letter-spaced ("к о й поддержки", L1844): try growing its first word.
        for size in range(1, min(_MAX_PIECES, len(tail_tokens)) + 1):
            parts = [_TOKEN_RE.match(token) for token in tail_tokens[:size]]
            if any(p is None or p["pre"] or not p["word"][0].islower() for p in parts):
                break
            words = [last["word"]] + [p["word"] for p in parts if p is not None]
            if _glue_key(words) in vocab and not _known(last["word"], vocab):
                post = parts[-1]["post"] if parts[-1] is not None else ""
                glued = last["pre"] + "".join(words) + post
                text = " ".join([*head_tokens[:-1], glued, *tail_tokens[size:]])
                return text, f"{head_tokens[-1]}|{' '.join(tail_tokens[:size])}→{glued}"
    return f"{head} {tail}", None


def strip_markup(text: str) -> tuple[str, list[str]]:
    """Remove the ``<p>`` tags some rows carry (L1871, L1952), dropping a paragraph that holds one
    stray letter; returns the text and a note per dropped letter."""
    notes = [f"dropped stray paragraph '{m.group(1)}'" for m in _LONE_LETTER_PARAGRAPH_RE.finditer(text)]
    text = _LONE_LETTER_PARAGRAPH_RE.sub(" ", text)
    return _TAG_RE.sub(" ", text), notes


_ENUM_SPACE_RE = re.compile(r"(?<!\S)(\d{1,2}) \)")  # "2 ) подключения" (L1883)
_PAREN_INNER_RE = re.compile(r"\(\s+([^()]*?)\s+\)")  # "( по согласованию )" (L1914)
_SPACE_BEFORE_PUNCT_RE = re.compile(r"\s+([,;:])")  # "детей , в том числе" (L2116)
_SPACED_DIGITS_RE = re.compile(r"(?<![\d,.])(\d) (\d)(?![\d,.])")  # "строительства 1 0 современных" (L2038)
_YEAR_RANGE_RE = re.compile(r"(\d{4})\s*-\s+(\d{4})")  # "август 2026- 2030 годов" (L1865)


def tidy(text: str) -> str:
    """Collapse whitespace and undo the extraction's stray spaces around punctuation."""
    text = " ".join(text.split())
    text = _ENUM_SPACE_RE.sub(r"\1)", text)
    text = _PAREN_INNER_RE.sub(r"(\1)", text)
    text = _SPACE_BEFORE_PUNCT_RE.sub(r"\1", text)
    text = _YEAR_RANGE_RE.sub(r"\1-\2", text)
    return text.strip()


def join_spaced_digits(text: str) -> tuple[str, list[str]]:
    """Join a number the extraction spaced out ("1 0 современных" -> "10", L2038); returns the repairs."""
    repairs = [f"{m.group(0)}→{m[1]}{m[2]}" for m in _SPACED_DIGITS_RE.finditer(text)]
    return _SPACED_DIGITS_RE.sub(r"\1\2", text), repairs


def stray_letters(text: str, vocab: frozenset[str]) -> list[str]:
    """One- and two-letter tokens that are no word of ``vocab``, with their context: extraction residue
    the reader leaves as written ("здравоохранения и я Республики", L2060; "занимающихся я", L1943).
    An abbreviation with its dot ("и др.") is not residue."""
    tokens = text.split()
    found = []
    for index, token in enumerate(tokens):
        match = _TOKEN_RE.match(token)
        if match is None or len(match["word"]) > 2 or match["post"].startswith(".") or _known(match["word"], vocab):
            continue
        found.append(" ".join(tokens[max(0, index - 2) : index + 3]))
    return found
