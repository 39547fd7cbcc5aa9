"""Shared set-up of the case benchmarks: a national organisation tree with staff, and cases with tasks.

Imported by ``bench/cases_escalation.py`` and ``bench/case_list.py``; not a benchmark itself. Rows are
written with ``COPY`` (the set-up is not what is measured); every table gets ``ANALYZE`` afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from typing import Any

from tqdm import tqdm

BENCH = "bench"


def organisations(schools_per_region: int) -> dict[str, Any]:
    """Per region: a district node and ``schools_per_region`` schools, each with a psychologist and a director;
    a regional case manager with the subtree. Returns ids by region code."""
    from django.contrib.auth.hashers import make_password

    from core import audit
    from core.models import Organisation, OrganisationKind, RoleAssignment, User
    from core.roles import Role

    out: dict[str, Any] = {}
    with audit.system_context(BENCH):
        password = make_password(None)  # nobody signs in as a bench user
        for n, region in enumerate(
            tqdm(
                Organisation.objects.filter(kind=OrganisationKind.REGION).order_by("path"),
                desc="organisations",
                unit="region",
            )
        ):
            pcode = region.region.pcode if region.region else f"R{n}"
            district = Organisation.objects.create(
                kind=OrganisationKind.DISTRICT, parent=region, name_kk="Аудан", name_ru="Район", region=region.region
            )
            schools = [
                Organisation(
                    kind=OrganisationKind.SCHOOL,
                    parent=district,
                    name_kk=f"№{i} мектеп",
                    name_ru=f"Школа №{i}",
                    region=region.region,
                )
                for i in range(schools_per_region)
            ]
            for school in schools:
                school.save()  # the materialised path is computed on save
            users = User.objects.bulk_create(
                [
                    User(username=f"{role}.{pcode}.{i}", password=password)
                    for i in range(len(schools))
                    for role in ("psy", "dir")
                ]
                + [User(username=f"mgr.{pcode}", password=password)]
            )
            manager = users[-1]
            RoleAssignment.objects.bulk_create(
                [
                    RoleAssignment(user=users[2 * i], role=Role.PSYCHOLOGIST, organisation=s)
                    for i, s in enumerate(schools)
                ]
                + [
                    RoleAssignment(user=users[2 * i + 1], role=Role.DIRECTOR, organisation=s)
                    for i, s in enumerate(schools)
                ]
                + [RoleAssignment(user=manager, role=Role.CASE_MANAGER, organisation=region, include_subtree=True)]
            )
            out[pcode] = {
                "region": region,
                "schools": [s.pk for s in schools],
                "manager": manager,
                "region_id": region.region_id,
            }
    return out


def cases_with_tasks(
    orgs: dict[str, Any], cases: int, tasks_per_case: int, *, overdue: bool, seed: int = 7, region: str | None = None
) -> None:
    """``cases`` open cases spread over the schools, each with ``tasks_per_case`` open tasks (all overdue if
    ``overdue``), one child each; written with COPY."""
    from django.db import connection

    rnd = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    chosen = [orgs[region]] if region else list(orgs.values())
    schools = [(pk, info["region_id"]) for info in chosen for pk in info["schools"]]
    connection.ensure_connection()
    raw = connection.connection
    categories = ["suicide_risk", "bullying", "violence_physical", "cyberbullying", "difficult_life_situation"]
    title = json.dumps({"kk": "Қадам", "ru": "Шаг", "en": "Step"})
    with raw.cursor() as cur:
        # One child per case (children are not what is measured: minimal rows).
        with cur.copy(
            "COPY core_child (uuid, created_at, updated_at, version, last_name, first_name, middle_name, "
            "birth_date, sex, organisation_id, class_name, language) FROM STDIN"
        ) as copy:
            for i in tqdm(range(cases), desc="children", unit="row", unit_scale=True):
                org, _region = schools[i % len(schools)]
                copy.write_row(
                    (uuid.uuid4(), now, now, 1, f"Bench{i}", "Child", "", dt.date(2012, 1, 1), "F", org, "7А", "kk")
                )
        cur.execute("SELECT min(id) FROM core_child WHERE last_name = 'Bench0'")
        first_child = cur.fetchone()[0]
        with cur.copy(
            "COPY cases_case (uuid, created_at, updated_at, version, number, category, risk_level, source, "
            "status, organisation_id, region_id, summary, protocol_code, protocol_version, "
            "opened_at, escalations, outcome) FROM STDIN"
        ) as copy:
            for i in tqdm(range(cases), desc="cases", unit="row", unit_scale=True):
                org, region = schools[i % len(schools)]
                opened = now - dt.timedelta(hours=rnd.randint(24, 24 * 60))
                copy.write_row(
                    (
                        uuid.uuid4(),
                        opened,
                        opened,
                        1,
                        f"B-{i:08d}",
                        rnd.choice(categories),
                        rnd.choice(["low", "moderate", "high", "acute"]),
                        "staff",
                        rnd.choice(["open", "assessment", "planning", "in_progress", "monitoring"]),
                        org,
                        region,
                        "",
                        "bench",
                        "1",
                        opened,
                        0,
                        "",
                    )
                )
        cur.execute("SELECT min(id) FROM cases_case")
        first_case = cur.fetchone()[0]
        with cur.copy("COPY cases_casechild (uuid, created_at, updated_at, case_id, child_id) FROM STDIN") as copy:
            for i in range(cases):
                copy.write_row((uuid.uuid4(), now, now, first_case + i, first_child + i))
        if tasks_per_case:
            with cur.copy(
                "COPY cases_casetask (uuid, created_at, updated_at, version, case_id, position, step_code, "
                "title, responsible_role, responsible_agency, due_at, calendar, record_kind, "
                "record_required, escalate_role, escalate_agency, status, record) "
                "FROM STDIN"
            ) as copy:
                for i in tqdm(range(cases), desc="tasks", unit="case", unit_scale=True):
                    for t in range(tasks_per_case):
                        due = (
                            now - dt.timedelta(minutes=rnd.randint(1, 10000))
                            if overdue
                            else now + dt.timedelta(days=rnd.randint(1, 30))
                        )
                        copy.write_row(
                            (
                                uuid.uuid4(),
                                now,
                                now,
                                1,
                                first_case + i,
                                t,
                                f"step{t}",
                                title,
                                "psychologist",
                                "",
                                due,
                                "24x7",
                                "note",
                                True,
                                "director" if t % 3 else "",
                                "" if t % 3 else "child_rights_committee",
                                "open",
                                "",
                            )
                        )
        cur.execute("ANALYZE")
    raw.commit()
