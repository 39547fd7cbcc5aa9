"""Reconcile a school's copy of the 2023–2025 plan (seed 001) with the national text (seed 000).

Each row of the copy is matched to its national measure (by number, checked by the name), its
fields are fixed from the national reading where they differ or are missing, and every difference
is listed in ``ParsedPlan.differences`` as a short sentence that names the measure. Differences in
whitespace alone are not differences: the national text's spacing comes from a PDF extraction.
Where the national text lost a field (seed 000 lost rows 1-5), the copy's reading is kept and the
difference says so.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from core.reference import resolve_agency_code
from plans.parsing.plan2023_text import compact
from plans.parsing.types import ParsedMeasure, ParsedPlan

_MATCH_RATIO = 0.8
_MAX_CHANGES = 3
_TEXT_FIELDS = (("name", "name"), ("completion_form", "completion form"), ("deadline", "deadline"))


def _same(a: str, b: str) -> bool:
    return compact(a) == compact(b)


def word_changes(copy: str, national: str) -> list[str]:
    """The words that differ, as "'copy' for 'national'" phrases; whitespace-only changes ignored.

    Words are compared first; inside a block of changed words the comparison goes down to the
    letters, so that "денгейлердің өкілеттіктерін бөлу" against "деңгейлердің өкілеттіктерінбөлу"
    reports only 'денгейлердің' for 'деңгейлердің'.
    """
    a, b = copy.split(), national.split()
    changes: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal" or "".join(a[i1:i2]) == "".join(b[j1:j2]):
            continue
        if tag == "delete":
            changes.append(f"{' '.join(a[i1:i2])!r} added")
        elif tag == "insert":
            changes.append(f"{' '.join(b[j1:j2])!r} omitted")
        else:
            changes.extend(_letter_changes(a[i1:i2], b[j1:j2]))
    return changes


def patched(copy: str, national: str) -> str:
    """The national wording with the copy's spacing: blocks that differ only in spaces keep the
    copy's (clean) spacing, the others take the national words."""
    a, b = copy.split(), national.split()
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        same = tag == "equal" or "".join(a[i1:i2]) == "".join(b[j1:j2])
        out.extend(a[i1:i2] if same else b[j1:j2])
    return " ".join(out)


def _letter_changes(ours: list[str], theirs: list[str]) -> list[str]:
    """Changed letters inside a block of words, shown as the copy's whole words and the national span."""
    joined_ours, joined_theirs = "".join(ours), "".join(theirs)
    starts = []
    position = 0
    for word in ours:
        starts.append(position)
        position += len(word)
    changes = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, joined_ours, joined_theirs, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        first = max(k for k, start in enumerate(starts) if start <= i1)
        last = max(k for k, start in enumerate(starts) if start <= max(i2 - 1, i1))
        begin, end = starts[first], starts[last] + len(ours[last])
        national_span = joined_theirs[max(begin + (j1 - i1), 0) : max(end + (j2 - i2), 0)]
        phrase = f"{' '.join(ours[first : last + 1])!r} for {national_span!r}"
        if phrase not in changes:
            changes.append(phrase)
    return changes


def _summary(changes: list[str]) -> str:
    shown = "; ".join(changes[:_MAX_CHANGES])
    more = len(changes) - _MAX_CHANGES
    return f"{shown}; and {more} more" if more > 0 else shown


def _name_score(copy: ParsedMeasure, national: ParsedMeasure) -> float:
    """How well two names match; the end of a name (a copy row that lost its start) matches the end."""
    a, b = compact(copy.name).casefold(), compact(national.name).casefold()
    if not a or not b:
        return 0.0
    if len(a) < len(b):
        b = b[-len(a) :]
    elif len(b) < len(a):
        a = a[-len(b) :]
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _ranges(numbers: Iterable[int]) -> str:
    """[1, 2, 12, 13, 14] -> "1-2, 12-14"."""
    parts: list[str] = []
    run: list[int] = []
    for number in sorted(numbers):
        if run and number != run[-1] + 1:
            parts.append(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]))
            run = []
        run.append(number)
    if run:
        parts.append(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]))
    return ", ".join(parts)


def reconcile(copy: ParsedPlan, national: ParsedPlan) -> None:
    """Match, fix and compare every measure of ``copy`` against ``national`` (in place)."""
    differences = copy.differences
    by_number = {m.number: m for m in national.measures}
    heading_changes = [c for c in word_changes(copy.title, national.title) if _is_spelling(c)]
    if heading_changes:
        differences.append(f"Title: the copy writes {_summary(heading_changes)}.")
    if (copy.act.number, copy.act.date) != (national.act.number, national.act.date):
        differences.append(f"Act: the copy names decree {copy.act.number} of {copy.act.date}.")
    copy.title, copy.sections = national.title, list(national.sections)
    copy.period_start, copy.period_end = national.period_start, national.period_end
    for measure in copy.measures:
        counterpart = _counterpart(measure, national.measures, by_number, differences)
        if counterpart is None:
            continue
        measure.section = counterpart.section
        measure.warnings = [w for w in measure.warnings if "section heading" not in w]
        _check_alignment(measure, by_number, differences)
        _reconcile_fields(measure, counterpart, differences)
    shifted = [int(m.number) for m in copy.measures if any("columns shifted" in w for w in m.warnings)]
    if shifted:
        differences.append(
            f"Measures {_ranges(shifted)}: the copy's cells sit one row above their measure (columns shifted);"
            " re-aligned."
        )
    renumbered = [m for m in copy.measures if any("printed as" in w for w in m.warnings)]
    if renumbered:
        printed = ", ".join(w.split("'")[1] for m in renumbered for w in m.warnings if "printed as" in w)
        differences.append(f"Measures {_ranges(int(m.number) for m in renumbered)}: the copy numbers them {printed}.")
    for measure in copy.measures:
        for warning in measure.warnings:
            if "shifted up by one row" in warning:
                column, line = (
                    warning.split(" taken from line ")[0],
                    warning.split(" taken from line ")[1].split(" ")[0],
                )
                differences.append(
                    f"Measure {measure.number}: the copy has its {column} on line {line}, a row above; re-aligned."
                )
    present = {m.number for m in copy.measures}
    missing = [int(m.number) for m in national.measures if m.number not in present and m.number.isdigit()]
    if missing:
        differences.append(f"Measures {_ranges(missing)} of the national text are not in the copy.")


def _is_spelling(change: str) -> bool:
    """A one-word replacement by a similar word (a typo), not a different wording."""
    if " for " not in change:
        return False
    ours, theirs = (part.strip("'\"") for part in change.split(" for ", 1))
    if " " in ours or " " in theirs:
        return False
    return difflib.SequenceMatcher(None, ours, theirs).ratio() >= 0.75


def _counterpart(
    measure: ParsedMeasure,
    national: list[ParsedMeasure],
    by_number: dict[str, ParsedMeasure],
    differences: list[str],
) -> ParsedMeasure | None:
    """The national measure of a copy row: the same number if the names agree, else the best name."""
    candidate = by_number.get(measure.number)
    if candidate is not None and (not candidate.name or _name_score(measure, candidate) >= _MATCH_RATIO):
        return candidate
    best = max(national, key=lambda m: _name_score(measure, m), default=None)
    if best is not None and _name_score(measure, best) >= _MATCH_RATIO:
        differences.append(
            f"Measure {best.number}: the copy numbers it {measure.number or 'nothing'}; matched by its name."
        )
        measure.number = best.number
        return best
    differences.append(f"Measure {measure.number}: no national measure matches the copy's row {measure.name[:60]!r}.")
    return None


def _field_score(measure: ParsedMeasure, other: ParsedMeasure) -> int:
    return sum(
        (
            bool(measure.completion_form) and _same(measure.completion_form, other.completion_form),
            bool(measure.deadline) and _same(measure.deadline, other.deadline),
            bool(measure.executors) and measure.executors == other.executors,
        )
    )


def _check_alignment(measure: ParsedMeasure, by_number: dict[str, ParsedMeasure], differences: list[str]) -> None:
    """Report a row whose cells fit a neighbouring national measure better: a shift left in place."""
    if not measure.number.isdigit():
        return
    number = int(measure.number)
    own = by_number.get(measure.number)
    own_score = _field_score(measure, own) if own is not None else 0
    for neighbour in (number - 1, number + 1):
        other = by_number.get(str(neighbour))
        if other is not None and _field_score(measure, other) > own_score and _field_score(measure, other) >= 2:
            differences.append(
                f"Measure {measure.number}: the copy's cells match national measure {neighbour} (columns shifted);"
                " fields taken from the national text."
            )
            return


def _reconcile_fields(measure: ParsedMeasure, national: ParsedMeasure, differences: list[str]) -> None:
    number = measure.number
    if not national.name:
        differences.append(
            f"Measure {number}: lost in the extraction of the national text; the copy's reading is kept unchecked."
        )
        return
    partial_copy = any("only the end of the name" in w for w in measure.warnings)
    for attribute, label in _TEXT_FIELDS:
        ours, theirs = getattr(measure, attribute), getattr(national, attribute)
        if attribute == "name" and partial_copy:
            theirs_end = theirs[-len(ours) :] if ours else ""
            changes = word_changes(ours, theirs_end) if ours else []
            detail = f" (and it writes {_summary(changes)})" if changes and not _same(ours, theirs_end) else ""
            differences.append(f"Measure {number}: only the end of the name is in the copy{detail}.")
            measure.name = theirs
            continue
        if (
            attribute == "name"
            and len(compact(theirs)) < len(compact(ours))
            and national.warnings
            and any("start of the row" in w for w in national.warnings)
        ):
            changes = word_changes(ours[-len(theirs) :], theirs)
            differences.append(
                f"Measure {number}: the national text has only the end of the name; the copy's full name is kept"
                + (f" (the copy writes {_summary(changes)})." if changes else ".")
            )
            continue
        if _same(ours, theirs):
            continue
        if not theirs:
            differences.append(f"Measure {number}: the national text has no {label}; the copy's {ours!r} is kept.")
            continue
        if not ours:
            differences.append(f"Measure {number}: the copy has no {label}; the national text has {theirs!r}.")
            measure.warnings = [w for w in measure.warnings if f"{label} missing" not in w]
            measure.warnings.append(f"{label} taken from the national text")
        else:
            differences.append(f"Measure {number}, {label}: the copy differs: {_summary(word_changes(ours, theirs))}.")
            theirs = patched(ours, theirs)
        setattr(measure, attribute, theirs)
    _reconcile_executors(measure, national, differences)
    _reconcile_funding(measure, national, differences)


def _reconcile_executors(measure: ParsedMeasure, national: ParsedMeasure, differences: list[str]) -> None:
    number = measure.number
    ours, theirs = measure.executors, national.executors
    if not theirs:
        if ours:
            differences.append(f"Measure {number}: the national text has no executors; the copy's are kept.")
        return
    if not ours:
        differences.append(f"Measure {number}: the copy has no executors; the national text has {', '.join(theirs)}.")
    elif ours != theirs:
        matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            left, right = ours[i1:i2], theirs[j1:j2]
            if tag == "replace" and len(left) == len(right):
                for a, b in zip(left, right, strict=True):
                    same = resolve_agency_code(a) is not None and resolve_agency_code(a) == resolve_agency_code(b)
                    note = " (the same agency)" if same else ""
                    differences.append(
                        f"Measure {number}: executor {a} in the copy where the national text has {b}{note}."
                    )
            elif tag == "delete":
                differences.append(f"Measure {number}: the copy adds executor(s) {', '.join(left)}.")
            elif tag == "insert":
                differences.append(f"Measure {number}: the copy lacks executor(s) {', '.join(right)}.")
            else:
                differences.append(
                    f"Measure {number}: the copy lists executors {', '.join(left)} where the national text has"
                    f" {', '.join(right)}."
                )
    if ours and sorted(map(_code, measure.by_agreement)) != sorted(map(_code, national.by_agreement)):
        differences.append(
            f"Measure {number}: 'by agreement' marks differ (copy {measure.by_agreement}, national"
            f" {national.by_agreement})."
        )
    measure.warnings = [w for w in measure.warnings if "executors missing" not in w and "not a known agency" not in w]
    if ours != theirs:
        measure.warnings.append("executors taken from the national text")
    measure.executors = list(theirs)
    measure.lead_executor = national.lead_executor
    measure.by_agreement = list(national.by_agreement)


def _code(name: str) -> str:
    """An executor's agency code, or its text when it does not resolve."""
    return resolve_agency_code(name) or name


def _reconcile_funding(measure: ParsedMeasure, national: ParsedMeasure, differences: list[str]) -> None:
    number = measure.number
    ours, theirs = measure.funding, national.funding
    if not theirs.text:
        return
    if not ours.text:
        differences.append(f"Measure {number}: the copy has no funding cells; the national text has {theirs.text!r}.")
    elif not _same(ours.text, theirs.text):
        differences.append(
            f"Measure {number}, funding: the copy differs: {_summary(word_changes(ours.text, theirs.text))}."
        )
    if ours.text and [(a.year, a.mln_kzt) for a in ours.amounts] != [(a.year, a.mln_kzt) for a in theirs.amounts]:
        differences.append(f"Measure {number}: the copy's amounts differ from the national text's.")
    if ours.text and ours.sources != theirs.sources:
        differences.append(
            f"Measure {number}: funding sources {ours.sources} in the copy, {theirs.sources} in the national text."
        )
    if not _same(ours.text, theirs.text):
        measure.warnings = [w for w in measure.warnings if "funding" not in w and "amount" not in w]
        measure.warnings.append("funding taken from the national text")
        measure.funding = theirs
