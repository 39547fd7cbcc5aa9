"""Tests of the demo data seed (core.demo and ``manage.py seed_demo``).

The small seed runs once per test class inside a transaction that is rolled back afterwards; each test
runs in its own savepoint on top of it. Speed is measured by ``bench/seed_national.py``, not here;
what keeps the small seed fast (a bounded number of queries, one password hash) is checked instead.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.http import HttpRequest
from django.test import Client

from core import audit, demo
from core.demo_names import load_distribution, load_names
from core.iin import check_iin
from core.models import (
    AuditEntry,
    Child,
    Consent,
    District,
    LegalRepresentative,
    Organisation,
    OrganisationKind,
    RoleAssignment,
    User,
)
from core.roles import Role

SCHOOL_YEAR = 2026
PHONE = re.compile(r"^\+7 7\d\d \d{3} \d{2} \d{2}$")


def _kazakh_first_names() -> set[str]:
    kz = load_names()["kazakh"]
    return set(kz["male_first"]) | set(kz["female_first"])


def _grade(class_name: str) -> int:
    return int(re.match(r"\d+", class_name).group())  # type: ignore[union-attr]


@pytest.fixture(scope="class")
def small(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The small demo seed, rolled back when the class is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = demo.seed("small", school_year=SCHOOL_YEAR)
        yield summary
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("small")
class TestSmallSeed:
    def test_summary_counts_match_the_database(self, small: dict[str, Any]) -> None:
        assert not small["skipped"]
        assert small["children"] == Child.objects.count() == demo.SMALL_CHILDREN
        assert small["schools"] == Organisation.objects.filter(kind=OrganisationKind.SCHOOL).count()
        assert small["representatives"] == LegalRepresentative.objects.count()
        assert small["consents"] == Consent.objects.count()
        assert small["seconds"] > 0 and small["rows_per_second"] > 0

    def test_territory(self) -> None:
        regions = load_distribution()["regions"]
        for pcode, region in regions.items():
            names = set(District.objects.filter(region__pcode=pcode).values_list("name_ru", flat=True))
            assert names == {d["ru"] for d in region["districts"]}, pcode
            nodes = Organisation.objects.filter(kind=OrganisationKind.DISTRICT, region__pcode=pcode)
            assert nodes.count() == len(region["districts"])
            assert all(n.parent.kind == OrganisationKind.REGION and n.path.startswith(n.parent.path) for n in nodes)
        assert Organisation.objects.filter(kind=OrganisationKind.MINISTRY).count() == 1
        for kind in demo.REGIONAL_ORGANISATIONS:
            assert Organisation.objects.filter(kind=kind, parent__kind=OrganisationKind.REGION).count() == 20

    def test_schools_in_every_region_in_proportion(self) -> None:
        per_region = Counter(
            Organisation.objects.filter(kind=OrganisationKind.SCHOOL).values_list("region__pcode", flat=True)
        )
        assert len(per_region) == 20
        assert min(per_region.values()) >= demo.SMALL_MIN_SCHOOLS_PER_REGION
        assert 55 <= sum(per_region.values()) <= 70
        # Turkistan has the most schools (1,004) and pupils (517,721) in table 2.7.
        assert per_region["KAZ018"] == max(per_region.values())
        assert per_region["KAZ018"] > per_region["KAZ019"]  # Ulytau: 88 schools
        children = Counter(Child.objects.values_list("organisation__region__pcode", flat=True))
        assert children["KAZ018"] == max(children.values())

    def test_schools_hang_under_districts_with_valid_paths(self) -> None:
        for school in Organisation.objects.filter(kind=OrganisationKind.SCHOOL).select_related("parent"):
            assert school.parent.kind == OrganisationKind.DISTRICT
            assert school.district_id == school.parent.district_id and school.region_id == school.parent.region_id
            assert school.path.startswith(school.parent.path) and len(school.path) == len(school.parent.path) + 6
            assert school.name_ru.startswith("Средняя школа №") and school.name_kk.endswith("мектеп")

    def test_iins_valid_unique_and_consistent(self) -> None:
        rows = list(Child.objects.values_list("iin", "birth_date", "sex"))
        assert len({iin for iin, _, _ in rows}) == len(rows)
        for iin, birth_date, sex in rows:
            info = check_iin(iin)
            assert info.valid, (iin, info.error)
            assert info.birth_date == birth_date and info.sex == sex

    def test_ages_match_classes(self) -> None:
        start = dt.date(SCHOOL_YEAR, 9, 1)
        for birth_date, class_name in Child.objects.values_list("birth_date", "class_name"):
            grade = _grade(class_name)
            assert 1 <= grade <= 11
            age = start.year - birth_date.year - ((start.month, start.day) < (birth_date.month, birth_date.day))
            assert age in {grade + 5, grade + 6}, (birth_date, class_name)
            assert 6 <= age <= 17

    def test_sex_and_names_follow_the_region(self) -> None:
        kazakh = _kazakh_first_names()
        shares = {}
        for pcode in ("KAZ018", "KAZ015"):  # Turkistan 0.98, North Kazakhstan 0.38
            names = list(Child.objects.filter(organisation__region__pcode=pcode).values_list("first_name", "language"))
            shares[pcode] = sum(first in kazakh for first, _ in names) / len(names)
        assert shares["KAZ018"] > 0.9
        assert 0.15 < shares["KAZ015"] < 0.65
        boys = Child.objects.filter(sex="M").count() / Child.objects.count()
        assert 0.46 < boys < 0.57
        kk_language = Child.objects.filter(organisation__region__pcode="KAZ018", language="kk").count()
        assert kk_language / Child.objects.filter(organisation__region__pcode="KAZ018").count() > 0.75

    def test_representatives_and_consents(self) -> None:
        per_child = Counter(LegalRepresentative.objects.values_list("child_id", flat=True))
        assert len(per_child) == Child.objects.count()
        assert set(per_child.values()) <= {1, 2}
        for rep in LegalRepresentative.objects.select_related("child")[:300]:
            assert PHONE.match(rep.phone), rep.phone
            assert check_iin(rep.iin).valid
            assert rep.relation in {"mother", "father"}
            if rep.relation == "father":
                assert rep.full_name.split()[0] == rep.child.last_name or rep.child.sex == "F"
        purposes = Counter(Consent.objects.values_list("purpose", "granted"))
        assert purposes["data_processing", True] > 0.9 * Child.objects.count()
        assert purposes["screening", False] > 0  # some parents refused screening
        assert purposes["screening", True] > purposes["screening", False]

    def test_every_role_has_a_demo_user(self, small: dict[str, Any]) -> None:
        roles = set(RoleAssignment.objects.values_list("role", flat=True))
        assert roles == set(Role.values)
        assert {x["role"] for x in small["logins"]} == set(Role.values)
        admin = User.objects.get(username="admin")
        assert admin.is_staff
        assert admin.assignments.get().role == Role.SYSTEM_ADMIN
        # Hashed once (Argon2 costs ~50 ms a hash): every demo user shares the same hash.
        assert User.objects.values("password").distinct().count() == 1
        # Staff at every school: a psychologist and a director.
        schools = Organisation.objects.filter(kind=OrganisationKind.SCHOOL)
        for role in (Role.PSYCHOLOGIST, Role.DIRECTOR):
            assert RoleAssignment.objects.filter(role=role).values("organisation").distinct().count() == schools.count()
        case_manager = RoleAssignment.objects.get(user__username="casemgr.kaz004")
        assert case_manager.include_subtree and case_manager.organisation.kind == OrganisationKind.REGION

    def test_psychologist_logs_in_and_sees_only_their_school(self) -> None:
        user = User.objects.get(username="psych.kaz004.1")
        client = Client()
        # django-axes needs the request to authenticate.
        assert client.login(request=HttpRequest(), username=user.username, password=demo.DEMO_PASSWORD)
        school = user.assignments.get().organisation
        visible = Child.objects.restrict(user, "view")
        assert visible.count() == Child.objects.filter(organisation=school).count() > 0
        assert set(visible.values_list("organisation_id", flat=True)) == {school.pk}
        case_manager = User.objects.get(username="casemgr.kaz004")
        regional = Child.objects.restrict(case_manager, "view")
        assert regional.count() == Child.objects.filter(organisation__region__pcode="KAZ004").count()

    def test_writes_were_audited(self) -> None:
        entries = AuditEntry.objects.filter(reason__contains="seed_demo")
        models = set(entries.values_list("model", flat=True))
        assert {"core.child", "core.legalrepresentative", "core.consent", "core.organisation"} <= models
        assert {"core.roleassignment", "core.user"} <= models
        assert sum(entries.filter(model="core.child").values_list("count", flat=True)) == Child.objects.count()

    def test_if_empty_creates_nothing(self) -> None:
        before = (Organisation.objects.count(), Child.objects.count(), User.objects.count(), AuditEntry.objects.count())
        out = StringIO()
        call_command("seed_demo", "--if-empty", stdout=out)
        after = (Organisation.objects.count(), Child.objects.count(), User.objects.count(), AuditEntry.objects.count())
        assert after == before
        assert "already present" in out.getvalue()
        assert "psych.kaz004.1" in out.getvalue() and demo.DEMO_PASSWORD in out.getvalue()

    def test_second_seed_is_refused(self) -> None:
        with pytest.raises(CommandError, match="already has schools"):
            call_command("seed_demo", stdout=StringIO())


@pytest.mark.django_db
def test_command_prints_summary_and_one_login_per_role() -> None:
    out = StringIO()
    call_command("seed_demo", "--school-year", str(SCHOOL_YEAR), stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "Demo data created (small scale" in text
    assert f"password for all: {demo.DEMO_PASSWORD}" in text
    for username in ("psych.kaz004.1", "director.kaz004.1", "socped.kaz004.1", "casemgr.kaz004", "analyst", "admin"):
        assert re.search(rf"^\s+{re.escape(username)}\s", text, re.MULTILINE), username
    assert "Case manager, regional child-rights department" in text  # English role labels


@pytest.mark.django_db
def test_small_seed_uses_a_bounded_number_of_queries(django_assert_max_num_queries: Any) -> None:
    # Bulk writes only: the query count does not grow with the number of children.
    with django_assert_max_num_queries(400):
        demo.seed("small", school_year=SCHOOL_YEAR)


@pytest.mark.django_db
def test_national_path_streams_in_batches() -> None:
    """The national code path at 1/1000 scale: raw batched writes, one audit entry per batch."""
    batch_size = 500
    summary = demo.seed("national", fraction=0.001, batch_size=batch_size, school_year=SCHOOL_YEAR)
    expected = sum(p.pupils for p in demo.plan("national", fraction=0.001))
    assert 3000 < expected < 4500
    assert summary["children"] == expected == Child.objects.count()
    assert summary["representatives"] == summary["consents"] == 0 == LegalRepresentative.objects.count()
    batches = AuditEntry.objects.filter(model="core.child", detail__startswith="seed_demo batch ")
    assert summary["batches"] == batches.count() == math.ceil(expected / batch_size)
    assert sorted(batches.values_list("count", flat=True))[1:] == [batch_size] * (batches.count() - 1)
    assert all("seed_demo --scale national" in r for r in batches.values_list("reason", flat=True))

    # The raw rows read back through the ORM like any other.
    iins = list(Child.objects.values_list("iin", "birth_date", "sex", "version", "uuid", "created_at"))
    assert len({row[0] for row in iins}) == len(iins)
    for iin, birth_date, sex, version, uuid, created_at in iins:
        info = check_iin(iin)
        assert info.valid and info.birth_date == birth_date and info.sex == sex
        assert version == 1 and uuid.version == 4 and created_at.tzinfo is not None
    child = Child.objects.select_related("organisation").first()
    assert child is not None and child.organisation.kind == OrganisationKind.SCHOOL
    with audit.system_context("test: edit a streamed child"):
        child.class_name = "1А"
        child.save()
    child.refresh_from_db()
    assert child.version == 2

    # Staff at the first school of each district only (here fewer schools than districts).
    psychologists = RoleAssignment.objects.filter(role=Role.PSYCHOLOGIST).count()
    assert psychologists <= Organisation.objects.filter(kind=OrganisationKind.SCHOOL).count()
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)


def test_plan_is_deterministic_and_follows_table_2_7() -> None:
    national = demo.plan("national")
    regions = load_distribution()["regions"]
    assert sum(p.schools for p in national) == 7687
    assert sum(p.pupils for p in national) == 3_709_637
    for p in national:
        assert p.schools == regions[p.pcode]["schools"] and p.pupils == regions[p.pcode]["pupils"]
    assert demo.plan("small", seed=7) == demo.plan("small", seed=7)
    assert demo.plan("small", seed=7) != demo.plan("small", seed=8)
    with pytest.raises(ValueError):
        demo.plan("national", fraction=0)


def test_child_maker_is_deterministic() -> None:
    a = demo.ChildMaker(5, SCHOOL_YEAR).school(300, 0.5, 0.8)
    b = demo.ChildMaker(5, SCHOOL_YEAR).school(300, 0.5, 0.8)
    assert a == b
    assert a != demo.ChildMaker(6, SCHOOL_YEAR).school(300, 0.5, 0.8)
    # Classes of at most 25 pupils.
    assert max(Counter(c[6] for c in a).values()) <= demo.CLASS_SIZE


def test_apportion() -> None:
    assert demo.apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(demo.apportion(3_709_637, [3.0, 1.5, 7.25])) == 3_709_637
    assert demo.apportion(5, [100, 1], minimum=2) == [5, 2]
    assert demo.district_name_en("Түркістан ауданы") == "Turkistan District"
