"""Bulk inserts for imports: reserved keys, COPY on PostgreSQL, one audit entry, the audit gate."""

from __future__ import annotations

import pytest

from core import audit
from core.audit import AuditContextMissing
from core.models import AuditEntry, Child
from core.testing import ChildFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _children(school, n: int) -> list[Child]:
    return [
        Child(last_name=f"Бекова{i}", first_name="Аружан", birth_date="2013-03-01", sex="F", organisation=school)
        for i in range(n)
    ]


def test_reserved_keys_are_stored_and_never_given_to_a_later_insert() -> None:
    school = OrganisationFactory()
    before = ChildFactory(organisation=school)
    children = _children(school, 5)
    with audit.user_context(UserFactory(), "paper import"):
        Child.objects.reserve_keys(children)
        keys = [c.pk for c in children]
        assert len(set(keys)) == 5 and min(keys) > before.pk
        assert Child.objects.bulk_insert(children) == 5
        later = ChildFactory(organisation=school)
    stored = dict(Child.objects.filter(pk__in=keys).values_list("pk", "last_name"))
    assert stored == {c.pk: c.last_name for c in children}
    assert later.pk > max(keys)


def test_two_reservations_never_overlap() -> None:
    school = OrganisationFactory()
    children = _children(school, 3)
    with audit.user_context(UserFactory(), "paper import"):
        Child.objects.reserve_keys(children)
        Child.objects.bulk_insert(children)
        again = _children(school, 2)
        Child.objects.reserve_keys(again)
        assert not {c.pk for c in again} & {c.pk for c in children}


def test_a_bulk_insert_writes_one_audit_entry_and_needs_a_context() -> None:
    school = OrganisationFactory()
    with pytest.raises(AuditContextMissing):
        Child.objects.bulk_insert(_children(school, 2))
    assert not Child.objects.filter(last_name__startswith="Бекова").exists()
    with audit.user_context(UserFactory(), "paper import"):
        Child.objects.bulk_insert(_children(school, 4))
    assert Child.objects.filter(last_name__startswith="Бекова").count() == 4
    assert list(
        AuditEntry.objects.filter(action="bulk_create", model="core.child").values_list("count", flat=True)
    ) == [4]


def test_keyed_and_unkeyed_objects_are_not_mixed() -> None:
    school = OrganisationFactory()
    children = _children(school, 2)
    with audit.user_context(UserFactory(), "paper import"):
        Child.objects.reserve_keys(children[:1])
        with pytest.raises(ValueError):
            Child.objects.bulk_insert(children)
    assert not Child.objects.filter(last_name__startswith="Бекова").exists()
