"""Shared set-up of the screening benchmarks: plausible answers, a national data set, a campaign, participants.

Imported by ``bench/screening_score.py``, ``paper_import.py``, ``student_submissions.py`` and
``screening_dashboard.py``; not a benchmark itself. Call :func:`seed_national.setup_django` (through
:func:`national_database` or directly) before the functions that touch the database.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import json
import os
import random
import sys
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
from seed_national import migrate, recreate_database, setup_django
from tqdm import tqdm

CODES = ("asq", "phq_a", "gad7")
BENCH_REASON = "bench"
ASQ_DECLINED = 0.003  # "I prefer not to answer" to one ASQ item (a positive screen)
ASQ_ACUTE = 0.15  # share of positive screens answering yes to asq5 ("right now")
ITEM_9_CUM = (0.6, 0.9)  # PHQ item 9, when not 0: 1, 2 or 3 as 6:3:1 (as in screening.demo)

# A participant's outcome: consent, status, mode, started_at, completed_at, risk_level, risk_rule,
# risk_fired, flags (see :func:`copy_participants`).
Outcome = tuple[str, str, str, Any, Any, str, str, list[str], list[str]]


def database_url(default_name: str) -> str:
    """``DATABASE_URL``, or a scratch database of the local server; refuses anything but PostgreSQL."""
    url = os.environ.get("DATABASE_URL") or f"postgres://postgres@127.0.0.1:5432/{default_name}"
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must be a PostgreSQL URL: this benchmark compares against bare PostgreSQL")
    return url


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``; NaN when there are none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


# --- Answers --------------------------------------------------------------------------------------------


class AnswerMaker:
    """Plausible answers of one student after another to asq, phq_a and gad7 (seeded, so repeatable).

    The same distributions as the screening demo (``screening.demo``): a per-student symptom load
    makes symptoms cluster; ASQ items are rarely "yes" and now and then declined (both a positive
    screen, which then asks asq5); PHQ item 9 is rarer than the other symptoms.
    """

    def __init__(self, seed: int) -> None:
        from screening.demo import ASQ_YES, ITEM_9_ANY, SYMPTOM
        from screening.instruments import get_instrument

        self.random = random.Random(seed).random
        self.asq_yes = ASQ_YES
        self.item9 = ITEM_9_ANY
        self.symptom = SYMPTOM
        items = {code: get_instrument(code).question_codes() for code in CODES}
        self.asq_items = [c for c in items["asq"] if c != "asq5"]
        self.phq_items = [c for c in items["phq_a"] if c != "phq9"]
        self.gad_items = items["gad7"]

    def student(self) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        """One student's answers: (asq, phq_a, gad7), values as stored (0–3, 0/1, ``"declined"``)."""
        rnd = self.random
        load = rnd() ** 3
        yes = self.asq_yes * (1 + 4 * load)
        asq: dict[str, Any] = {}
        positive = False
        for code in self.asq_items:
            draw = rnd()
            if draw < ASQ_DECLINED:
                asq[code], positive = "declined", True
            elif draw < ASQ_DECLINED + yes:
                asq[code], positive = 1, True
            else:
                asq[code] = 0
        if positive:
            asq["asq5"] = 1 if rnd() < ASQ_ACUTE else 0
        weights = [w * (1 - load) if i == 0 else w * (1 + 2 * load) for i, w in enumerate(self.symptom)]
        cum = [sum(weights[: i + 1]) for i in range(len(weights))]
        top = cum[-1]
        phq = {code: min(3, bisect.bisect_right(cum, rnd() * top)) for code in self.phq_items}
        phq["phq9"] = bisect.bisect_right(ITEM_9_CUM, rnd()) + 1 if rnd() < self.item9 * (1 + 4 * load) else 0
        gad = {code: min(3, bisect.bisect_right(cum, rnd() * top)) for code in self.gad_items}
        return asq, phq, gad


# --- The database ---------------------------------------------------------------------------------------


def national_database(url: str, *, fraction: float, reuse: bool, seed: int = 2026, progress: bool = True) -> bool:
    """A database with the national demo seed at ``fraction``; returns True if an existing one was reused.

    With ``reuse`` a database that already holds schools (e.g. kept by another benchmark with
    ``--keep``) is used as it is; otherwise the database is re-created, migrated and seeded.
    """
    if reuse and _has_schools(url):
        setup_django(url)
        return True
    recreate_database(url)
    setup_django(url)
    from core import demo

    migrate()
    print(f"seeding the national demo data set (fraction {fraction}) …", file=sys.stderr)
    demo.seed("national", seed=seed, fraction=fraction, progress=progress)
    return False


def _has_schools(url: str) -> bool:
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT count(*) FROM core_organisation WHERE kind = 'school'").fetchone()
    except psycopg.Error:
        return False
    return bool(row and row[0])


def bench_user(username: str, role: str) -> Any:
    """A user holding ``role`` at the country node with its whole subtree (created once)."""
    from core import audit
    from core.models import Organisation, OrganisationKind, RoleAssignment, User

    with audit.system_context(BENCH_REASON):
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": "Bench"})
        if created:
            country = Organisation.objects.get(kind=OrganisationKind.COUNTRY)
            RoleAssignment.objects.create(user=user, role=role, organisation=country, include_subtree=True)
    return user


def open_campaign(user: Any, title: str, codes: tuple[str, ...] = CODES) -> Any:
    """An open country-wide campaign with ``codes``, made by the app's own actions (participants: see below)."""
    from core import audit
    from core.models import Organisation, OrganisationKind
    from screening import actions
    from screening.models import Campaign, InstrumentVersion

    versions = [InstrumentVersion.objects.filter(code=c).order_by("-created_at").first() for c in codes]
    country = Organisation.objects.get(kind=OrganisationKind.COUNTRY)
    today = dt.date.today()
    with audit.user_context(user, BENCH_REASON):
        campaign = actions.create_campaign(
            user,
            title=title,
            selection=actions.Selection(organisation=country),  # no grades or classes: no participants yet
            instruments=versions,  # type: ignore[arg-type]
            starts_on=today - dt.timedelta(days=1),
            ends_on=today + dt.timedelta(days=13),
        )
        return actions.set_status(user, campaign, Campaign.Status.OPEN)


@functools.cache
def _code_alphabet() -> tuple[str, int]:
    from screening.models.campaigns import CODE_ALPHABET, CODE_LENGTH

    return CODE_ALPHABET, CODE_LENGTH


def code_for(n: int) -> str:
    """The ``n``-th student code: a bijection of n (n < 31**8) onto the codes, so codes never repeat."""
    alphabet, length = _code_alphabet()
    base = len(alphabet)
    value = (n * 1_000_003) % base**length  # 1,000,003 is prime, so coprime with 31**8: a permutation
    chars = []
    for _ in range(length):
        value, digit = divmod(value, base)
        chars.append(alphabet[digit])
    return "".join(chars)


def ready(rnd: Callable[[], float]) -> Outcome:
    """Consent granted, code issued, nothing answered yet."""
    return ("granted", "ready", "", None, None, "", "", [], [])


def copy_participants(
    url: str,
    campaign: Any,
    *,
    limit: int | None = None,
    outcome: Callable[[Callable[[], float]], Outcome] = ready,
    seed: int = 2026,
) -> int:
    """Put children (the first ``limit`` by id, or all) into ``campaign`` with one ``COPY``; returns how many.

    Each row carries the child's school, district and region as ``actions.add_participants`` would
    (``actions.territory_of`` per school) and what ``outcome`` draws (consent, status, risk…). Written
    in one transaction with one audit entry, in a system audit context.
    """
    from django.db import connection, transaction

    from core import audit
    from core.models import Organisation, OrganisationKind
    from screening import actions
    from screening.models import Participant

    territory = {
        school.pk: actions.territory_of(school)
        for school in Organisation.objects.filter(kind=OrganisationKind.SCHOOL).only("pk", "path", "region_id")
    }
    rnd = random.Random(f"{seed}-{campaign.pk}").random
    now = dt.datetime.now(dt.UTC)
    first_code = campaign.pk * 10_000_000
    columns = (
        "uuid, created_at, updated_at, campaign_id, child_id, school_id, district_id, region_id, class_name, code, "
        "language, consent, status, mode, started_at, completed_at, risk_level, risk_rule, risk_fired, flags"
    )

    def rows(children: Iterator[tuple[int, int, str, str]]) -> Iterator[tuple[Any, ...]]:
        for n, (child_id, school_id, class_name, language) in enumerate(children):
            consent, status, mode, started, completed, level, rule, fired, flags = outcome(rnd)
            district, region = territory[school_id]
            yield (
                uuid.uuid4(),
                now,
                now,
                campaign.pk,
                child_id,
                school_id,
                district,
                region,
                class_name,
                code_for(first_code + n),
                language or "kk",
                consent,
                status,
                mode,
                started,
                completed,
                level,
                rule,
                json.dumps(fired),
                json.dumps(flags),
            )

    with psycopg.connect(url) as reader, reader.cursor(name="children") as children:
        total = reader.execute("SELECT count(*) FROM core_child").fetchone()[0]  # type: ignore[index]
        total = min(total, limit) if limit else total
        children.itersize = 20_000
        children.execute(
            "SELECT id, organisation_id, class_name, language FROM core_child ORDER BY id LIMIT %s", [total]
        )
        written = 0
        with audit.system_context(BENCH_REASON), transaction.atomic():
            connection.ensure_connection()
            with (
                connection.connection.cursor() as cursor,
                cursor.copy(f"COPY screening_participant ({columns}) FROM STDIN") as copy,
                tqdm(total=total, unit=" participants", unit_scale=True, desc="participants", mininterval=0.5) as bar,
            ):
                for row in rows(children):
                    copy.write_row(row)
                    written += 1
                    if written % 10_000 == 0:
                        bar.update(10_000)
                bar.update(written % 10_000)
            audit.record("bulk_create", model=Participant, count=written, detail=f"bench: campaign {campaign.pk}")
    return written


def vacuum_analyze(url: str, *tables: str) -> None:
    """``VACUUM (ANALYZE)`` the tables, as autovacuum would soon after a load (visibility map for index-only scans)."""
    with psycopg.connect(url, autocommit=True) as conn:
        for table in tables:
            conn.execute(f"VACUUM (ANALYZE) {table}")
