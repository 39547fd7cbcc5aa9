"""Data and a fast name generator for Qorgau's demo-data generator.

Pure Python (no Django import), so it can be used from management commands,
benchmarks and plain pytest alike.

* :func:`load_distribution` reads ``data/demo_distribution.yaml``: per-region
  schools, pupils and children (from the official annual report on children,
  seed 002) plus clearly marked estimates (Kazakh-name share, districts).
* :func:`load_names` reads ``data/names.yaml``: Kazakh and Russian name lists.
* :class:`NameMaker` turns those lists into gendered (last, first, middle) name
  triples, deterministically for a given seed and fast enough for millions of
  calls (all forms are precomputed; a call is a handful of ``random()`` draws).
"""

from __future__ import annotations

import functools
import random
from pathlib import Path
from typing import Any

import yaml

DATA_DIR: Path = Path(__file__).with_name("data")

# Letters after which a Russian-style suffix is -ев rather than -ов.
_EV_FINALS = frozenset("аеёиоуыэюяәөұүіжшчщц")

_MALE = "M"
_FEMALE = "F"
_SEX_ALIASES = {"M": _MALE, "m": _MALE, "F": _FEMALE, "f": _FEMALE}


@functools.cache
def load_distribution() -> dict[str, Any]:
    """Return the parsed ``demo_distribution.yaml`` (cached; do not mutate it)."""
    with (DATA_DIR / "demo_distribution.yaml").open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


@functools.cache
def load_names() -> dict[str, Any]:
    """Return the parsed ``names.yaml`` (cached; do not mutate it)."""
    with (DATA_DIR / "names.yaml").open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


# --- Kazakh forms -----------------------------------------------------------


def _ov_ev_base(stem: str) -> str:
    """Return ``stem`` with the masculine Russian-style suffix (-ов or -ев).

    ``Ахмет`` -> ``Ахметов``, ``Жұмабай`` -> ``Жұмабаев``, ``Мұса`` -> ``Мұсаев``.
    """
    if stem.endswith("й"):
        return stem[:-1] + "ев"
    if stem[-1].lower() in _EV_FINALS:
        return stem + "ев"
    return stem + "ов"


def kazakh_surname(stem: str, female: bool, uly: bool = False) -> str:
    """Build a Kazakh surname from ``stem``.

    Russian-style by default (``Ахметов`` / ``Ахметова``); with ``uly=True`` the
    Kazakh style (``Ахметұлы`` / ``Ахметқызы``).
    """
    if uly:
        return stem + ("қызы" if female else "ұлы")
    base = _ov_ev_base(stem)
    return base + "а" if female else base


def kazakh_patronymic(father: str, female: bool, modern: bool) -> str:
    """Build a Kazakh patronymic from the father's first name.

    ``modern=True``: ``Серікұлы`` / ``Серікқызы``; otherwise the Russian-style
    ``Серікович`` / ``Серіковна`` (``Жұмабай`` -> ``Жұмабаевич`` / ``Жұмабаевна``).
    """
    if modern:
        return father + ("қызы" if female else "ұлы")
    base = _ov_ev_base(father)  # ...ов / ...ев
    return base + ("на" if female else "ич")


# --- Russian forms ----------------------------------------------------------


def russian_female_surname(male: str, rules: list[list[str]]) -> str:
    """Return the female form of a Russian male surname.

    ``rules`` is an ordered list of ``[male_ending, female_ending]`` pairs; the
    first match is replaced. Surnames matching no rule (-енко, -ук, German
    surnames) are returned unchanged.
    """
    for ending, female_ending in rules:
        if male.endswith(ending):
            return male[: -len(ending)] + female_ending
    return male


def russian_patronymic(father: str, female: bool, exceptions: dict[str, list[str]]) -> str:
    """Build a Russian patronymic from the father's first name.

    Иван -> Иванович / Ивановна; Сергей -> Сергеевич / Сергеевна;
    Юрий -> Юрьевич / Юрьевна; Игорь -> Игоревич / Игоревна; irregular names
    (Илья -> Ильич / Ильинична, ...) come from ``exceptions``.
    """
    if father in exceptions:
        male_form, female_form = exceptions[father]
        return female_form if female else male_form
    if father.endswith("ий"):
        base = father[:-2] + "ьев"
    elif father.endswith(("й", "ь")):
        base = father[:-1] + "ев"
    else:
        base = father + "ов"
    return base + ("на" if female else "ич")


# --- Generator --------------------------------------------------------------


class NameMaker:
    """Deterministic generator of (last_name, first_name, middle_name) triples.

    Every form is precomputed in ``__init__``; :meth:`person` only draws a few
    floats from its own :class:`random.Random`, so the output depends on the
    seed and the sequence of calls alone (not on the global random state).
    """

    def __init__(self, seed: int) -> None:
        """Precompute all name forms and seed a private random generator."""
        self.seed = seed
        self._random = random.Random(seed).random
        names = load_names()
        kz = names["kazakh"]
        ru = names["russian"]
        self.kazakh_uly_share: float = float(kz["surname_forms"]["uly_share"])
        self.kazakh_modern_patronymic_share: float = float(kz["patronymic"]["modern_share"])

        kz_fathers = tuple(kz["male_first"])
        ru_fathers = tuple(ru["male_first"])
        stems = tuple(kz["surname_stems"])
        rules = [list(r) for r in ru["surname_female_rules"]]
        exceptions = {k: list(v) for k, v in ru["patronymic"]["exceptions"].items()}
        ru_male_surnames = tuple(ru["surname_male"])

        # Per (sex, kazakh): tuple of precomputed sequences, unpacked in person().
        self._tables: dict[tuple[str, bool], tuple[Any, ...]] = {}
        for sex in (_MALE, _FEMALE):
            female = sex == _FEMALE
            self._tables[sex, True] = (
                tuple(kazakh_surname(s, female) for s in stems),
                tuple(kazakh_surname(s, female, uly=True) for s in stems),
                tuple(kz["female_first" if female else "male_first"]),
                tuple(kazakh_patronymic(f, female, modern=True) for f in kz_fathers),
                tuple(kazakh_patronymic(f, female, modern=False) for f in kz_fathers),
            )
            self._tables[sex, False] = (
                tuple(russian_female_surname(s, rules) if female else s for s in ru_male_surnames),
                tuple(ru["female_first" if female else "male_first"]),
                tuple(russian_patronymic(f, female, exceptions) for f in ru_fathers),
            )

    def person(self, sex: str, kazakh: bool) -> tuple[str, str, str]:
        """Return ``(last_name, first_name, middle_name)`` for one person.

        ``sex`` is ``"M"`` or ``"F"`` (lower case accepted); ``kazakh`` picks the
        Kazakh lists (otherwise Russian/Slavic). Female forms are used for ``"F"``.
        """
        try:
            table = self._tables[_SEX_ALIASES[sex], bool(kazakh)]
        except KeyError:
            raise ValueError(f"sex must be 'M' or 'F', not {sex!r}") from None
        rnd = self._random
        if kazakh:
            surnames, uly_surnames, firsts, modern, old = table
            if rnd() < self.kazakh_uly_share:
                last = uly_surnames[int(rnd() * len(uly_surnames))]
                middles = modern  # families using ұлы/қызы surnames use the modern patronymic too
            else:
                last = surnames[int(rnd() * len(surnames))]
                middles = modern if rnd() < self.kazakh_modern_patronymic_share else old
            return last, firsts[int(rnd() * len(firsts))], middles[int(rnd() * len(middles))]
        surnames, firsts, middles = table
        return (
            surnames[int(rnd() * len(surnames))],
            firsts[int(rnd() * len(firsts))],
            middles[int(rnd() * len(middles))],
        )
