"""Demo and synthetic data for Qorgau: ``manage.py seed_demo --scale small|national``.

What is created (SPEC §2.1, §4):

* **Territory.** The districts listed per region in ``data/demo_distribution.yaml`` (District rows and
  ``kind="district"`` organisation nodes under each region node).
* **Organisations.** Schools spread over the districts, per region in proportion to table 2.7 of seed
  002 (national: exactly the table's 7,687 schools; small: about 60, at least 2 per region); per
  region one psychological support centre (ЦПП), family support centre (ЦПС), health organisation,
  police unit, guardianship body and child-rights department; one Ministry of Education node.
* **Children.** Per region in proportion to table 2.7 pupils (national: 3,709,637; small: about
  3,000), aged 6–17 with a class that matches their age, sex from the region's boys/girls ratio
  (table 2.1), Kazakh or Russian names by the region's ``kazakh_name_share`` and valid, unique IINs.
* **Small scale only:** one or two legal representatives per child and consent records.
* **Staff** with role assignments, all with the password :data:`DEMO_PASSWORD`.

Everything is deterministic for a given seed and school year (UUIDs included) and written inside one
transaction and one audit context (``seed_demo --scale …``): a seed that fails leaves nothing behind.
The national scale streams children in batches (PostgreSQL ``COPY``, SQLite ``executemany``) with one
audit entry per batch, so memory stays flat however many children are written.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TextIO

from django.contrib.auth.hashers import check_password, make_password
from django.db import connections, transaction
from django.db.models import NOT_PROVIDED
from django.utils import timezone
from tqdm import tqdm

from core import audit
from core.demo_names import (
    NameMaker,
    kazakh_patronymic,
    kazakh_surname,
    load_distribution,
    load_names,
    russian_female_surname,
    russian_patronymic,
)
from core.iin import make_iin
from core.models import (
    Agency,
    Child,
    Consent,
    District,
    LegalRepresentative,
    Organisation,
    OrganisationKind,
    Region,
    RoleAssignment,
    User,
)
from core.models.territory import path_segment
from core.roles import Role

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "DemoDataExists",
    "DemoSeedError",
    "RegionPlan",
    "apportion",
    "current_school_year",
    "demo_logins",
    "plan",
    "seed",
]

Scale = Literal["small", "national"]
SCALES: tuple[str, ...] = ("small", "national")

DEMO_PASSWORD = "qorgau-demo-2026"  # noqa: S105 (a published demo password, never a real one)
DEFAULT_SEED = 2026
DEFAULT_BATCH_SIZE = 20_000
SMALL_SCHOOLS = 60
SMALL_CHILDREN = 3_000
SMALL_MIN_SCHOOLS_PER_REGION = 2
CLASS_SIZE = 25  # the legal maximum class size in Kazakhstan's schools
SHOWCASE_REGION = "KAZ004"  # the log-in table prefers users of this region (Almaty city)

# Relative size of grades 1..11: younger cohorts are larger, and many pupils leave for college
# after grade 9.
GRADE_WEIGHTS: tuple[float, ...] = (1.10, 1.10, 1.08, 1.06, 1.05, 1.04, 1.02, 1.00, 0.98, 0.72, 0.68)
# Share of pupils taught in Kazakh among children with Kazakh (Central Asian) and Russian names.
KK_SCHOOLING_IF_KAZAKH_NAME = 0.88
KK_SCHOOLING_IF_RUSSIAN_NAME = 0.04
# Class letters: Kazakh-medium classes first, in Kazakh alphabetical order; a school with no Kazakh
# classes uses the Russian alphabet.
KK_LETTERS = "АӘБВГҒДЕЖЗИКЛМНОП"
RU_LETTERS = "АБВГДЕЖЗИКЛМНОПРС"
MOBILE_CODES = ("700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778")

# Username prefix per role; school roles add ".<pcode>.<school number>", regional ones ".<pcode>".
USERNAME_PREFIX: dict[str, str] = {
    Role.PSYCHOLOGIST: "psych",
    Role.SOCIAL_PEDAGOGUE: "socped",
    Role.DIRECTOR: "director",
    Role.CPP_SPECIALIST: "cpp",
    Role.CASE_MANAGER: "casemgr",
    Role.HEALTH: "health",
    Role.POLICE: "police",
    Role.GUARDIANSHIP: "guardian",
    Role.FAMILY_SUPPORT: "family",
    Role.PLAN_EXECUTOR: "executor",
    Role.ANALYST: "analyst",
    Role.SYSTEM_ADMIN: "admin",
}


class DemoSeedError(RuntimeError):
    """The demo seed cannot run (or cannot finish) on this database; nothing was written."""


class DemoDataExists(DemoSeedError):
    """The database already holds schools; the demo seed refuses to mix with them."""


# --- Planning (pure, no database) --------------------------------------------------------------------


def apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainders), then raise each share to ``minimum``.

    The shares sum to ``total`` unless ``minimum`` had to raise some of them.
    """
    if not weights:
        return []
    weight_sum = float(sum(weights))
    if weight_sum <= 0:
        raise ValueError("weights must have a positive sum")
    quotas = [total * w / weight_sum for w in weights]
    shares = [int(q) for q in quotas]
    rest = total - sum(shares)
    by_remainder = sorted(range(len(quotas)), key=lambda i: (shares[i] - quotas[i], i))
    for i in by_remainder[:rest]:
        shares[i] += 1
    return [max(minimum, s) for s in shares]


@dataclass(frozen=True)
class RegionPlan:
    """What the seed creates in one region: districts, and the pupils of each school."""

    pcode: str
    name_en: str
    p_male: float  # boys / (boys + girls), table 2.1
    kazakh_share: float  # kazakh_name_share (an estimate, see the YAML)
    districts: tuple[dict[str, str], ...]
    school_sizes: tuple[int, ...]  # pupils per school, in school-number order

    @property
    def schools(self) -> int:
        return len(self.school_sizes)

    @property
    def pupils(self) -> int:
        return sum(self.school_sizes)


def plan(scale: Scale = "small", *, seed: int = DEFAULT_SEED, fraction: float = 1.0) -> list[RegionPlan]:
    """The deterministic plan of schools and pupils per region, from ``demo_distribution.yaml``.

    ``national``: table 2.7's schools and pupils per region, times ``fraction`` (1.0 = the whole
    country; at least one school per region). ``small``: about 60 schools (at least 2 per region) and
    3,000 pupils, apportioned by the same table. School sizes vary (log-normal weights), so city
    schools are larger than village ones where the table says so.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}, not {scale!r}")
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], not {fraction}")
    regions: dict[str, dict[str, Any]] = load_distribution()["regions"]
    pcodes = sorted(regions)
    if scale == "national":
        if fraction == 1:
            school_counts = [int(regions[p]["schools"]) for p in pcodes]
            pupil_counts = [int(regions[p]["pupils"]) for p in pcodes]
        else:
            school_counts = [max(1, round(regions[p]["schools"] * fraction)) for p in pcodes]
            pupil_counts = [round(regions[p]["pupils"] * fraction) for p in pcodes]
    else:
        school_counts = apportion(
            SMALL_SCHOOLS, [regions[p]["schools"] for p in pcodes], minimum=SMALL_MIN_SCHOOLS_PER_REGION
        )
        pupil_counts = apportion(SMALL_CHILDREN, [regions[p]["pupils"] for p in pcodes])

    rnd = random.Random(f"qorgau-demo-plan-{seed}")
    plans = []
    for pcode, n_schools, n_pupils in zip(pcodes, school_counts, pupil_counts, strict=True):
        region = regions[pcode]
        weights = [rnd.lognormvariate(0.0, 0.45) for _ in range(n_schools)]
        plans.append(
            RegionPlan(
                pcode=pcode,
                name_en=str(region["name_en"]),
                p_male=region["boys"] / (region["boys"] + region["girls"]),
                kazakh_share=float(region["kazakh_name_share"]),
                districts=tuple({"kk": d["kk"], "ru": d["ru"]} for d in region["districts"]),
                school_sizes=tuple(apportion(n_pupils, weights)),
            )
        )
    return plans


def current_school_year(today: dt.date | None = None) -> int:
    """The year in which the current school year began (it begins on 1 September)."""
    today = today or timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


# --- Names of places and organisations -----------------------------------------------------------------

_KK_TO_LATIN = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n",
    "ң": "ng", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip


def transliterate(text: str) -> str:
    """A simple Kazakh Cyrillic → Latin transliteration for English names (``Түркістан`` → ``Turkistan``)."""
    out = []
    for char in text:
        latin = _KK_TO_LATIN.get(char.lower())
        if latin is None:
            out.append(char)
        else:
            out.append(latin.capitalize() if char.isupper() else latin)
    return "".join(out)


def district_name_en(name_kk: str) -> str:
    """English name of a district from its Kazakh name: ``Аягөз ауданы`` → ``Ayagoz District``."""
    for suffix, english in ((" ауданы", "District"), (" қаласы", "City")):
        if name_kk.endswith(suffix):
            return f"{transliterate(name_kk.removesuffix(suffix))} {english}"
    return transliterate(name_kk)


def school_names(number: int) -> dict[str, str]:
    """Names of general secondary school № ``number`` in kk, ru and en."""
    return {
        "name_kk": f"№{number} жалпы білім беретін мектеп",
        "name_ru": f"Средняя школа №{number}",
        "name_en": f"School No. {number}",
    }


# kind -> (kk, ru, en) name templates of the regional organisations; {kk}/{ru}/{en} = region name.
REGIONAL_ORGANISATIONS: dict[str, tuple[str, str, str]] = {
    OrganisationKind.CPP: (
        "Психологиялық қолдау орталығы ({kk})",
        "Центр психологической поддержки ({ru})",
        "Psychological Support Centre ({en})",
    ),
    OrganisationKind.CPS: (
        "Отбасын қолдау орталығы ({kk})",
        "Центр поддержки семьи ({ru})",
        "Family Support Centre ({en})",
    ),
    OrganisationKind.HEALTH: (
        "Балалар ауруханасы ({kk})",
        "Детская больница ({ru})",
        "Children's Hospital ({en})",
    ),
    OrganisationKind.POLICE: (
        "Полиция департаменті, кәмелетке толмағандар ісі жөніндегі инспекция ({kk})",
        "Департамент полиции, инспекция по делам несовершеннолетних ({ru})",
        "Police Department, Juvenile Inspectorate ({en})",
    ),
    OrganisationKind.GUARDIANSHIP: (
        "Қорғаншылық және қамқоршылық органы ({kk})",
        "Орган опеки и попечительства ({ru})",
        "Guardianship and Trusteeship Authority ({en})",
    ),
    OrganisationKind.CHILD_RIGHTS: (
        "Балалардың құқықтарын қорғау департаменті ({kk})",
        "Департамент по защите прав детей ({ru})",
        "Department for the Protection of Children's Rights ({en})",
    ),
}
# kind -> code of the agency (core/data/agencies.yaml) the organisation belongs to, when it is clear.
ORGANISATION_AGENCY: dict[str, str] = {
    OrganisationKind.MINISTRY: "edu",
    OrganisationKind.POLICE: "mvd",
    OrganisationKind.HEALTH: "health",
    OrganisationKind.CHILD_RIGHTS: "child_rights_committee",
}
MINISTRY_NAMES = {
    "name_kk": "Қазақстан Республикасы Оқу-ағарту министрлігі",
    "name_ru": "Министерство просвещения Республики Казахстан",
    "name_en": "Ministry of Education of the Republic of Kazakhstan",
}


# --- Children ------------------------------------------------------------------------------------------

# A generated child: (iin, last, first, middle, birth ordinal, sex, class name, language, kazakh name)
ChildTuple = tuple[str, str, str, str, int, str, str, str, bool]


class ChildMaker:
    """Deterministic generator of the pupils of one school after another.

    IINs are unique over the whole run: a counter per (birth date, sex) gives the serial (digits
    8–11), skipping serials for which no check digit exists.
    """

    def __init__(self, seed: int, school_year: int) -> None:
        self._rnd = random.Random(f"qorgau-demo-children-{seed}").random
        self._uuid_bits = random.Random(f"qorgau-demo-uuid-{seed}").getrandbits
        self.names = NameMaker(seed)
        self.school_year = school_year
        self._grade_cum = [sum(GRADE_WEIGHTS[: i + 1]) for i in range(len(GRADE_WEIGHTS))]
        # Birth window of grade g: 1 September (Y-6-g) .. 31 August (Y-5-g), Y = school_year.
        self._windows = [
            (
                dt.date(school_year - 6 - g, 9, 1).toordinal(),
                dt.date(school_year - 5 - g, 9, 1).toordinal() - dt.date(school_year - 6 - g, 9, 1).toordinal(),
            )
            for g in range(1, 12)
        ]
        self._serials: dict[int, int] = {}
        self._dates: dict[int, dt.date] = {}

    def date(self, ordinal: int) -> dt.date:
        """The date of a proleptic ordinal (cached: children share a few thousand birth dates)."""
        found = self._dates.get(ordinal)
        if found is None:
            found = self._dates[ordinal] = dt.date.fromordinal(ordinal)
        return found

    def uuid_hex(self) -> str:
        """A version-4 UUID as 32 hex digits, from the seeded generator (so the seed is repeatable)."""
        bits = self._uuid_bits(128)
        bits = (bits & ~(0xF000 << 64) | (0x4000 << 64)) & ~(0xC000 << 48) | (0x8000 << 48)
        return f"{bits:032x}"

    def iin(self, ordinal: int, sex: str) -> str:
        """The next unused valid IIN for this birth date and sex."""
        key = ordinal * 2 + (sex == "F")
        serial = self._serials.get(key, 0)
        birth_date = self.date(ordinal)
        while True:
            if serial > 9999:
                raise DemoSeedError(f"more than 10,000 demo children born on {birth_date} ({sex})")
            value = make_iin(birth_date, sex, serial)
            serial += 1
            if value is not None:
                self._serials[key] = serial
                return value

    def school(self, n: int, p_male: float, kazakh_share: float) -> list[ChildTuple]:
        """The ``n`` pupils of one school, grouped into classes of at most :data:`CLASS_SIZE`."""
        rnd = self._rnd
        cum = self._grade_cum
        top = cum[-1]
        pupils: list[tuple[int, str, str, bool]] = []
        for _ in range(n):
            grade = bisect.bisect_right(cum, rnd() * top) + 1
            sex = "M" if rnd() < p_male else "F"
            kazakh = rnd() < kazakh_share
            kk_share = KK_SCHOOLING_IF_KAZAKH_NAME if kazakh else KK_SCHOOLING_IF_RUSSIAN_NAME
            pupils.append((min(grade, 11), sex, "kk" if rnd() < kk_share else "ru", kazakh))

        class_of = _class_names(pupils)
        person = self.names.person
        windows = self._windows
        out: list[ChildTuple] = []
        for i, (grade, sex, language, kazakh) in enumerate(pupils):
            start, days = windows[grade - 1]
            ordinal = start + int(rnd() * days)
            last, first, middle = person(sex, kazakh)
            out.append((self.iin(ordinal, sex), last, first, middle, ordinal, sex, class_of[i], language, kazakh))
        return out


def _class_names(pupils: Sequence[tuple[int, str, str, bool]]) -> list[str]:
    """Class name (``7А``, ``7Ә``…) of each pupil: per grade, Kazakh-medium classes first."""
    by_group: dict[tuple[int, str], list[int]] = {}
    for i, (grade, _sex, language, _kazakh) in enumerate(pupils):
        by_group.setdefault((grade, language), []).append(i)
    letters = KK_LETTERS if any(p[2] == "kk" for p in pupils) else RU_LETTERS
    names = [""] * len(pupils)
    for grade in range(1, 12):
        next_letter = 0
        for language in ("kk", "ru"):
            members = by_group.get((grade, language), [])
            if not members:
                continue
            n_classes = math.ceil(len(members) / CLASS_SIZE)
            for j, i in enumerate(members):
                k = next_letter + j * n_classes // len(members)
                letter = letters[k % len(letters)] + (str(k // len(letters) + 1) if k >= len(letters) else "")
                names[i] = f"{grade}{letter}"
            next_letter += n_classes
    return names


def mobile_phone(rnd: Callable[[], float]) -> str:
    """A Kazakhstan mobile number, ``+7 7xx xxx xx xx``, drawn with ``rnd``."""
    code = MOBILE_CODES[int(rnd() * len(MOBILE_CODES))]
    number = int(rnd() * 10_000_000)
    return f"+7 {code} {number // 10000:03d} {number // 100 % 100:02d} {number % 100:02d}"


# --- Representatives and consents (small scale) ----------------------------------------------------------


class FamilyMaker:
    """Parents that fit the child: the father's first name matches the child's patronymic and the
    family surname is shared (the mother keeps her own surname in some families)."""

    def __init__(self, seed: int, school_year: int) -> None:
        self._rnd = random.Random(f"qorgau-demo-families-{seed}").random
        self.names = NameMaker(seed + 1)
        self.school_year = school_year
        self._serials: dict[tuple[dt.date, str], int] = {}
        names = load_names()
        kz, ru = names["kazakh"], names["russian"]
        self.father_of: dict[str, str] = {}
        for father in kz["male_first"]:
            for is_female in (False, True):
                for modern in (False, True):
                    self.father_of[kazakh_patronymic(father, is_female, modern)] = father
        exceptions = {k: list(v) for k, v in ru["patronymic"]["exceptions"].items()}
        for father in ru["male_first"]:
            for is_female in (False, True):
                self.father_of[russian_patronymic(father, is_female, exceptions)] = father
        # Surname forms: female -> male and male -> female.
        self.male_form: dict[str, str] = {}
        self.female_form: dict[str, str] = {}
        for stem in kz["surname_stems"]:
            for uly in (False, True):
                male, female = kazakh_surname(stem, False, uly), kazakh_surname(stem, True, uly)
                self.male_form[female] = male
                self.female_form[male] = female
        rules = [list(r) for r in ru["surname_female_rules"]]
        for male in ru["surname_male"]:
            female = russian_female_surname(male, rules)
            self.male_form[female] = male
            self.female_form[male] = female

    def phone(self) -> str:
        """A Kazakhstan mobile number, ``+7 7xx xxx xx xx``."""
        return mobile_phone(self._rnd)

    def _adult_iin(self, child_birth: dt.date, sex: str) -> str:
        rnd = self._rnd
        year = child_birth.year - 22 - int(rnd() * 18)
        birth = dt.date(year, 1, 1) + dt.timedelta(days=int(rnd() * 365))
        serial = self._serials.get((birth, sex), 0)
        while True:
            value = make_iin(birth, sex, serial)
            serial += 1
            if value is not None:
                self._serials[birth, sex] = serial
                return value

    def representatives(self, child: ChildTuple, birth_date: dt.date) -> list[tuple[str, str, str, str]]:
        """One or two parents of ``child``: (relation, full name, IIN, phone), mother first."""
        rnd = self._rnd
        _iin, last, _first, middle, _ordinal, _sex, _class, _language, kazakh = child
        has_mother = rnd() < 0.93
        has_father = (rnd() < 0.62) if has_mother else True
        family_male = self.male_form.get(last, last)
        parents = []
        if has_mother:
            m_last, m_first, m_middle = self.names.person("F", kazakh)
            if rnd() < 0.75:
                m_last = self.female_form.get(family_male, family_male)
            parents.append(("mother", f"{m_last} {m_first} {m_middle}", self._adult_iin(birth_date, "F"), self.phone()))
        if has_father:
            _l, f_first, f_middle = self.names.person("M", kazakh)
            f_first = self.father_of.get(middle, f_first)
            parents.append(
                ("father", f"{family_male} {f_first} {f_middle}", self._adult_iin(birth_date, "M"), self.phone())
            )
        return parents

    def consent_date(self, today: dt.date) -> dt.date:
        """A day in September of the school year (never in the future)."""
        day = dt.date(self.school_year, 9, 1) + dt.timedelta(days=int(self._rnd() * 25))
        return min(day, today)

    def chance(self, p: float) -> bool:
        return self._rnd() < p


# --- Raw child writer (national scale) -----------------------------------------------------------------

_CHILD_FIELDS = (
    "uuid",
    "created_at",
    "updated_at",
    "version",
    "iin",
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "sex",
    "organisation",
    "class_name",
    "language",
)


class ChildWriter:
    """Writes child rows without the ORM: PostgreSQL ``COPY`` or SQLite ``executemany``.

    Columns the seed does not know (added to :class:`Child` later) get their model default; a new
    NOT NULL column without one stops the seed with a clear error rather than a half-written table.
    """

    def __init__(self, using: str = "default") -> None:
        self.connection = connections[using]
        self.vendor = self.connection.vendor
        meta = Child._meta
        self.columns: list[str] = [str(meta.get_field(name).column) for name in _CHILD_FIELDS]  # type: ignore[union-attr]
        self.extra: tuple[Any, ...] = ()
        extra_values = []
        for f in meta.concrete_fields:
            if f.primary_key or f.name in _CHILD_FIELDS:
                continue
            if f.has_default():
                self.columns.append(str(f.column))
                extra_values.append(f.get_db_prep_save(f.get_default(), self.connection))
            elif not f.null and getattr(f, "db_default", NOT_PROVIDED) is NOT_PROVIDED:
                raise DemoSeedError(f"core.demo cannot fill {meta.db_table}.{f.column}: NOT NULL without a default")
        self.extra = tuple(extra_values)
        now = timezone.now()
        # The timestamp as the backend stores it (SQLite: naive UTC text; PostgreSQL: ISO 8601).
        self.timestamp = (
            now.isoformat() if self.vendor == "postgresql" else str(self.connection.ops.adapt_datetimefield_value(now))
        )
        quote = self.connection.ops.quote_name
        self.table = quote(meta.db_table)
        self.column_sql = ", ".join(quote(c) for c in self.columns)

    def row(self, maker: ChildMaker, child: ChildTuple, organisation_id: int) -> tuple[Any, ...]:
        """The database row of one generated child."""
        iin, last, first, middle, ordinal, sex, class_name, language, _kazakh = child
        ts = self.timestamp
        return (
            maker.uuid_hex(),
            ts,
            ts,
            1,
            iin,
            last,
            first,
            middle,
            maker.date(ordinal).isoformat(),
            sex,
            organisation_id,
            class_name,
            language,
            *self.extra,
        )

    def write(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """Insert ``rows`` (any iterable: they are consumed as they are sent) in the current transaction.

        Returns how many rows were written. On PostgreSQL the rows are generated while the server
        is already inserting the previous ones, so Python and the database work at the same time.
        """
        self.connection.ensure_connection()
        raw = self.connection.connection
        count = 0
        if self.vendor == "postgresql":
            with raw.cursor() as cursor, cursor.copy(f"COPY {self.table} ({self.column_sql}) FROM STDIN") as copy:
                write_row = copy.write_row
                for count, row in enumerate(rows, start=1):  # noqa: B007 (count is the result)
                    write_row(row)
            return count

        def counted() -> Iterator[tuple[Any, ...]]:
            nonlocal count
            for count, row in enumerate(rows, start=1):  # noqa: B007 (count is the result)
                yield row

        marks = ", ".join(["%s"] * len(self.columns))
        sql = f"INSERT INTO {self.table} ({self.column_sql}) VALUES ({marks})"  # noqa: S608 (quoted model names)
        if self.vendor == "sqlite":
            raw.executemany(sql.replace("%s", "?"), counted())
        else:
            with self.connection.cursor() as cursor:
                cursor.executemany(sql, list(counted()))
        return count


# --- The seed --------------------------------------------------------------------------------------------


@dataclass
class _Staff:
    username: str
    role: str
    organisation: Organisation
    include_subtree: bool
    kazakh: bool
    is_staff: bool = False


@dataclass
class _Region:
    plan: RegionPlan
    region: Region
    node: Organisation
    districts: list[Organisation] = field(default_factory=list)
    schools: list[Organisation] = field(default_factory=list)
    services: dict[str, Organisation] = field(default_factory=dict)


def _placeholder_path() -> str:
    """A unique temporary path for a node whose primary key is not known yet."""
    return "~" + uuid.uuid4().hex


def _create_nodes(nodes: list[Organisation]) -> list[Organisation]:
    """Insert organisation nodes (parents already saved) and give them their materialised paths."""
    if not nodes:
        return nodes
    for node in nodes:
        node.path = _placeholder_path()
    created = Organisation.objects.bulk_create(nodes, batch_size=2000)
    parent_paths = {n.pk: n.path for n in Organisation.objects.filter(pk__in={n.parent_id for n in created})}
    for node in created:
        node.path = parent_paths[node.parent_id] + path_segment(node.pk)
    # Part of the creation already audited above (as in Organisation.save): the plain manager, so
    # that the path assignment does not add entries of its own.
    Organisation._base_manager.bulk_update(created, ["path"], batch_size=2000)
    return created


def _agency_ids() -> dict[str, int]:
    """Organisation kind -> agency id, for the agencies present in the reference data."""
    by_code = dict(Agency.objects.filter(code__in=set(ORGANISATION_AGENCY.values())).values_list("code", "pk"))
    return {kind: by_code[code] for kind, code in ORGANISATION_AGENCY.items() if code in by_code}


def _territory(plans: list[RegionPlan]) -> tuple[Organisation, list[_Region], dict[str, int]]:
    """Country node, region nodes, districts (rows and nodes), reusing whatever exists already."""
    country = Organisation.objects.filter(kind=OrganisationKind.COUNTRY).order_by("path").first()
    if country is None:
        raise DemoSeedError("the organisation tree has no country node: run `manage.py migrate` first")
    regions = {r.pcode: r for r in Region.objects.all()}
    nodes = {n.region_id: n for n in Organisation.objects.filter(kind=OrganisationKind.REGION, parent=country)}
    out: list[_Region] = []
    for p in plans:
        region = regions.get(p.pcode)
        if region is None or region.pk not in nodes:
            raise DemoSeedError(f"region {p.pcode} is missing from the reference data: run `manage.py migrate`")
        out.append(_Region(plan=p, region=region, node=nodes[region.pk]))

    # District rows.
    existing = {(d.region_id, d.name_ru): d for d in District.objects.filter(region__in=[r.region for r in out])}
    new_rows = [
        District(region=r.region, name_kk=d["kk"], name_ru=d["ru"], name_en=district_name_en(d["kk"]))
        for r in out
        for d in r.plan.districts
        if (r.region.pk, d["ru"]) not in existing
    ]
    for created in District.objects.bulk_create(new_rows):
        existing[created.region_id, created.name_ru] = created
    # District nodes.
    district_nodes = {n.district_id: n for n in Organisation.objects.filter(kind=OrganisationKind.DISTRICT)}
    to_create = []
    for r in out:
        for d in r.plan.districts:
            row = existing[r.region.pk, d["ru"]]
            if row.pk not in district_nodes:
                to_create.append(
                    Organisation(
                        kind=OrganisationKind.DISTRICT,
                        parent=r.node,
                        region=r.region,
                        district=row,
                        name_kk=row.name_kk,
                        name_ru=row.name_ru,
                        name_en=row.name_en,
                    )
                )
    for node in _create_nodes(to_create):
        district_nodes[node.district_id] = node
    for r in out:
        r.districts = [district_nodes[existing[r.region.pk, d["ru"]].pk] for d in r.plan.districts]
    return country, out, {"districts": len(new_rows), "district_nodes": len(to_create)}


def _organisations(country: Organisation, regions: list[_Region]) -> tuple[Organisation, int]:
    """Schools (spread round-robin over the districts), the regional services and the ministry."""
    agencies = _agency_ids()
    schools: list[Organisation] = []
    services: list[Organisation] = []
    for r in regions:
        if not r.districts:
            raise DemoSeedError(f"region {r.plan.pcode} has no districts in demo_distribution.yaml")
        for number in range(1, r.plan.schools + 1):
            district = r.districts[(number - 1) % len(r.districts)]
            schools.append(
                Organisation(
                    kind=OrganisationKind.SCHOOL,
                    parent=district,
                    region=r.region,
                    district_id=district.district_id,
                    **school_names(number),
                )
            )
        for kind, (kk, ru, en) in REGIONAL_ORGANISATIONS.items():
            names = {"kk": r.region.name_kk, "ru": r.region.name_ru, "en": r.region.name_en}
            services.append(
                Organisation(
                    kind=kind,
                    parent=r.node,
                    region=r.region,
                    agency_id=agencies.get(kind),
                    name_kk=kk.format(**names),
                    name_ru=ru.format(**names),
                    name_en=en.format(**names),
                )
            )
    created_schools = _create_nodes(schools)
    created_services = _create_nodes(services)
    by_region = {r.region.pk: r for r in regions}
    for school in created_schools:
        by_region[school.region_id].schools.append(school)  # type: ignore[index]
    for service in created_services:
        by_region[service.region_id].services[service.kind] = service  # type: ignore[index]

    ministry = Organisation.objects.filter(kind=OrganisationKind.MINISTRY, parent=country).first()
    created = len(created_schools) + len(created_services)
    if ministry is None:
        ministry = _create_nodes(
            [
                Organisation(
                    kind=OrganisationKind.MINISTRY, parent=country, agency_id=agencies.get("ministry"), **MINISTRY_NAMES
                )
            ]
        )[0]
        created += 1
    return ministry, created


def _staff_plan(scale: Scale, country: Organisation, ministry: Organisation, regions: list[_Region]) -> list[_Staff]:
    """Who gets a demo account: see :func:`seed`."""
    staff: list[_Staff] = []
    for r in regions:
        pcode = r.plan.pcode.lower()
        kazakh = r.plan.kazakh_share >= 0.5
        n_districts = len(r.districts)
        for number, school in enumerate(r.schools, start=1):
            # National scale: only the first school of each district (schools go round-robin).
            if scale == "national" and number > n_districts:
                break
            for role in (Role.PSYCHOLOGIST, Role.DIRECTOR):
                staff.append(_Staff(f"{USERNAME_PREFIX[role]}.{pcode}.{number}", role, school, False, kazakh))
            if number == 1:
                role = Role.SOCIAL_PEDAGOGUE
                staff.append(_Staff(f"{USERNAME_PREFIX[role]}.{pcode}.{number}", role, school, False, kazakh))
        for role, org, subtree in (
            (Role.CASE_MANAGER, r.node, True),
            (Role.CPP_SPECIALIST, r.node, True),
            (Role.POLICE, r.services[OrganisationKind.POLICE], False),
            (Role.HEALTH, r.services[OrganisationKind.HEALTH], False),
            (Role.GUARDIANSHIP, r.services[OrganisationKind.GUARDIANSHIP], False),
            (Role.FAMILY_SUPPORT, r.services[OrganisationKind.CPS], False),
        ):
            staff.append(_Staff(f"{USERNAME_PREFIX[role]}.{pcode}", role, org, subtree, kazakh))
    staff.append(_Staff(USERNAME_PREFIX[Role.ANALYST], Role.ANALYST, country, True, True))
    staff.append(_Staff(USERNAME_PREFIX[Role.PLAN_EXECUTOR], Role.PLAN_EXECUTOR, ministry, False, True))
    staff.append(_Staff(USERNAME_PREFIX[Role.SYSTEM_ADMIN], Role.SYSTEM_ADMIN, country, True, True, is_staff=True))
    return staff


def _create_staff(staff: list[_Staff], seed: int) -> tuple[dict[int, User], list[str]]:
    """Users and role assignments; returns the psychologist per school id and the usernames skipped.

    A username that exists already (say, an ``admin`` made with ``createsuperuser``) is left alone:
    neither its password nor its roles are touched.
    """
    existing = set(User.objects.filter(username__in=[s.username for s in staff]).values_list("username", flat=True))
    staff = [s for s in staff if s.username not in existing]
    password = make_password(DEMO_PASSWORD)  # hashed once: Argon2 costs ~50 ms per hash
    names = NameMaker(seed + 2)
    rnd = random.Random(f"qorgau-demo-staff-{seed}").random
    users = []
    for s in staff:
        # Most school psychologists and social pedagogues are women.
        sex = "F" if rnd() < (0.85 if s.role in {Role.PSYCHOLOGIST, Role.SOCIAL_PEDAGOGUE} else 0.5) else "M"
        last, first, _middle = names.person(sex, s.kazakh)
        users.append(
            User(
                username=s.username,
                password=password,
                first_name=first,
                last_name=last,
                preferred_language="kk" if s.kazakh else "ru",
                phone=mobile_phone(rnd),
                is_staff=s.is_staff,
            )
        )
    users = User.objects.bulk_create(users)
    if users:
        audit.record("bulk_create", model=User, count=len(users), detail="seed_demo demo users")
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=u, role=s.role, organisation=s.organisation, include_subtree=s.include_subtree)
            for u, s in zip(users, staff, strict=True)
        ]
    )
    psychologists = {s.organisation.pk: u for u, s in zip(users, staff, strict=True) if s.role == Role.PSYCHOLOGIST}
    return psychologists, sorted(existing)


def _children_small(
    regions: list[_Region], maker: ChildMaker, seed: int, psychologists: dict[int, User]
) -> dict[str, int]:
    """Children, their representatives and consents through the ORM (small scale)."""
    families = FamilyMaker(seed, maker.school_year)
    today = timezone.localdate()
    children: list[Child] = []
    generated: list[ChildTuple] = []
    for r in regions:
        for school, size in zip(r.schools, r.plan.school_sizes, strict=True):
            for c in maker.school(size, r.plan.p_male, r.plan.kazakh_share):
                iin, last, first, middle, ordinal, sex, class_name, language, _kazakh = c
                generated.append(c)
                children.append(
                    Child(
                        uuid=uuid.UUID(maker.uuid_hex()),
                        iin=iin,
                        last_name=last,
                        first_name=first,
                        middle_name=middle,
                        birth_date=maker.date(ordinal),
                        sex=sex,
                        organisation=school,
                        class_name=class_name,
                        language=language,
                    )
                )
    children = Child.objects.bulk_create(children, batch_size=2000)

    representatives: list[LegalRepresentative] = []
    first_rep: list[int] = []  # index into representatives of each child's first representative
    for child, c in zip(children, generated, strict=True):
        first_rep.append(len(representatives))
        for relation, full_name, iin, phone in families.representatives(c, child.birth_date):
            representatives.append(
                LegalRepresentative(child=child, full_name=full_name, relation=relation, iin=iin, phone=phone)
            )
    representatives = LegalRepresentative.objects.bulk_create(representatives, batch_size=2000)

    consents: list[Consent] = []
    counter = 0
    for child, rep_index in zip(children, first_rep, strict=True):
        rep = representatives[rep_index]
        recorded_by = psychologists.get(child.organisation_id)
        if families.chance(0.96):
            counter += 1
            consents.append(
                Consent(
                    child=child,
                    representative=rep,
                    purpose=Consent.Purpose.DATA_PROCESSING,
                    granted=True,
                    given_on=families.consent_date(today),
                    document=f"№{counter}/{maker.school_year}",
                    recorded_by=recorded_by,
                )
            )
        if families.chance(0.90):
            counter += 1
            consents.append(
                Consent(
                    child=child,
                    representative=rep,
                    purpose=Consent.Purpose.SCREENING,
                    granted=families.chance(0.93),  # some parents refuse screening
                    given_on=families.consent_date(today),
                    document=f"№{counter}/{maker.school_year}",
                    recorded_by=recorded_by,
                )
            )
    Consent.objects.bulk_create(consents, batch_size=2000)
    return {"children": len(children), "representatives": len(representatives), "consents": len(consents)}


def _children_streamed(
    regions: list[_Region],
    maker: ChildMaker,
    batch_size: int,
    progress: bool,
    stderr: TextIO | None,
) -> dict[str, int]:
    """Children only, streamed in batches of ``batch_size`` rows, one audit entry per batch."""
    writer = ChildWriter()
    total = sum(r.plan.pupils for r in regions)
    row = writer.row

    def rows() -> Iterator[tuple[Any, ...]]:
        for r in regions:
            for school, size in zip(r.schools, r.plan.school_sizes, strict=True):
                school_id = school.pk
                for c in maker.school(size, r.plan.p_male, r.plan.kazakh_share):
                    yield row(maker, c, school_id)

    all_rows = rows()
    batches = written = 0
    with tqdm(
        total=total,
        unit=" children",
        unit_scale=True,
        desc="children",
        file=stderr or sys.stderr,
        disable=not progress,
        mininterval=0.5,
    ) as bar:
        # Never more than one school's pupils in memory: each batch is generated as it is sent.
        while n := writer.write(itertools.islice(all_rows, batch_size)):
            batches += 1
            written += n
            audit.record("bulk_create", model=Child, count=n, detail=f"seed_demo batch {batches}")
            bar.update(n)
    return {"children": written, "representatives": 0, "consents": 0, "batches": batches}


def seed(
    scale: Scale = "small",
    *,
    seed: int = DEFAULT_SEED,
    fraction: float = 1.0,
    batch_size: int = DEFAULT_BATCH_SIZE,
    if_empty: bool = False,
    progress: bool = False,
    school_year: int | None = None,
    stderr: TextIO | None = None,
) -> dict[str, Any]:
    """Create the demo data set and return a summary (counts, seconds, children per second).

    ``small``: about 60 schools, 3,000 children with representatives and consents, and per school a
    psychologist and a director (plus a social pedagogue at each region's first school). ``national``:
    table 2.7 in full (times ``fraction``), children only, streamed in batches of ``batch_size``; staff
    only at the first school of each district. Both: per region a case manager and a ЦПП specialist
    (region node, with subtree) and a police, health, guardianship and family-support user at their
    organisation; nationally an ``analyst``, a plan ``executor`` (ministry) and an ``admin``.

    Refuses (:class:`DemoDataExists`) when schools exist already, unless ``if_empty``: then nothing is
    written and the summary says ``skipped``. Deterministic for a given ``seed`` and ``school_year``
    (default: the current one).
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}, not {scale!r}")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    plans = plan(scale, seed=seed, fraction=fraction)  # validates fraction before anything is written
    if Organisation.objects.filter(kind=OrganisationKind.SCHOOL).exists():
        if if_empty:
            return {"skipped": True, "scale": scale, "logins": demo_logins()}
        raise DemoDataExists(
            "The database already has schools; the demo seed only runs on an empty organisation tree. "
            "Use --if-empty to skip quietly, or start from a fresh database."
        )
    school_year = school_year or current_school_year()
    started = time.perf_counter()
    with audit.system_context(f"seed_demo --scale {scale}"), transaction.atomic():
        country, regions, territory_counts = _territory(plans)
        ministry, organisations = _organisations(country, regions)
        staff = _staff_plan(scale, country, ministry, regions)
        psychologists, skipped_users = _create_staff(staff, seed)
        children_started = time.perf_counter()
        maker = ChildMaker(seed, school_year)
        if scale == "small":
            counts = _children_small(regions, maker, seed, psychologists)
        else:
            counts = _children_streamed(regions, maker, batch_size, progress, stderr)
    # Measured after the commit, which checks the deferred foreign keys of every child row.
    children_seconds = time.perf_counter() - children_started
    rows = counts["children"] + counts["representatives"] + counts["consents"]
    seconds = time.perf_counter() - started
    return {
        "skipped": False,
        "scale": scale,
        "seed": seed,
        "fraction": fraction,
        "school_year": f"{school_year}-{school_year + 1}",
        "regions": len(regions),
        **territory_counts,
        "schools": sum(len(r.schools) for r in regions),
        "organisations": organisations + territory_counts["district_nodes"],
        **counts,
        "users": len(staff) - len(skipped_users),
        "existing_usernames_left_alone": skipped_users,
        "seconds": round(seconds, 3),
        "children_seconds": round(children_seconds, 3),
        # Children (small scale: with their representatives and consents) written per second.
        "children_per_second": round(counts["children"] / children_seconds) if children_seconds else None,
        "rows_per_second": round(rows / children_seconds) if children_seconds else None,
        "logins": demo_logins(),
    }


def demo_logins(showcase: str = SHOWCASE_REGION) -> list[dict[str, str]]:
    """One demo log-in per role (preferring the showcase region), for users whose password is the demo one.

    Each entry: ``role``, ``username``, ``organisation_id`` and ``organisation`` (English name).
    """
    showcase = showcase.lower()
    candidates: dict[str, list[RoleAssignment]] = {}
    for role, prefix in USERNAME_PREFIX.items():
        qs = RoleAssignment.objects.filter(role=role).select_related(
            "user", "organisation__district", "organisation__region"
        )
        if role in {Role.ANALYST, Role.PLAN_EXECUTOR, Role.SYSTEM_ADMIN}:
            qs = qs.filter(user__username=prefix)
        else:
            qs = qs.filter(user__username__startswith=f"{prefix}.kaz")
        found = list(qs.order_by("user__username")[:200])
        found.sort(key=lambda a: (f".{showcase}" not in a.user.username, len(a.user.username), a.user.username))
        candidates[role] = found

    # Demo users share one password hash: verify it once, then compare strings.
    demo_hashes: set[str] = set()
    other_hashes: set[str] = set()

    def is_demo(user: User) -> bool:
        if user.password in demo_hashes:
            return True
        if user.password in other_hashes or not user.is_active:
            return False
        ok = check_password(DEMO_PASSWORD, user.password)
        (demo_hashes if ok else other_hashes).add(user.password)
        return ok

    logins = []
    for role in USERNAME_PREFIX:
        for assignment in candidates[role]:
            if is_demo(assignment.user):
                org = assignment.organisation
                label = org.name_en or org.name_ru
                if org.kind in {OrganisationKind.SCHOOL, OrganisationKind.DISTRICT} and org.region:
                    where = [x.name_en for x in (org.district, org.region) if x and x.name_en not in label]
                    label = ", ".join([label, *where])
                logins.append(
                    {
                        "role": str(role),
                        "username": assignment.user.username,
                        "organisation_id": str(org.pk),
                        "organisation": label,
                    }
                )
                break
    return logins
