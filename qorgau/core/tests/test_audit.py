"""The audit trail fails closed and is append-only."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from core import audit
from core.audit import AuditContextMissing
from core.models import AuditEntry, Child
from core.models.audit import AppendOnlyError
from core.testing import ChildFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_write_without_an_audit_context_is_refused() -> None:
    school = OrganisationFactory()
    child = Child(last_name="Сейтқали", first_name="Айым", birth_date="2012-05-01", sex="F", organisation=school)
    with pytest.raises(AuditContextMissing):
        child.save()
    assert not Child.objects.filter(last_name="Сейтқали").exists()


def test_bulk_writes_without_context_are_refused_too() -> None:
    child = ChildFactory()
    with pytest.raises(AuditContextMissing):
        Child.objects.filter(pk=child.pk).update(class_name="9Б")
    with pytest.raises(AuditContextMissing):
        Child.objects.filter(pk=child.pk).delete()
    with pytest.raises(AuditContextMissing):
        Child.objects.bulk_create(
            [Child(last_name="X", first_name="Y", birth_date="2012-01-01", sex="M", organisation=child.organisation)]
        )
    child.refresh_from_db()
    assert child.class_name == "7А"


def test_a_context_without_user_or_reason_may_not_write() -> None:
    with audit.use_context(audit.AuditContext()), pytest.raises(AuditContextMissing):
        ChildFactory._meta.model(last_name="X").save()


def test_a_change_writes_who_what_and_which_fields() -> None:
    child = ChildFactory()
    user = UserFactory(username="editor")
    with audit.user_context(user, "test"):
        child.class_name = "8Ә"
        child.iin = child.iin  # unchanged: not listed
        child.save()
    entry = AuditEntry.objects.filter(object_id=str(child.uuid), action="update").get()
    assert entry.actor == user and entry.actor_username == "editor"
    assert entry.changes == {"class_name": ["7А", "8Ә"]}
    assert entry.model == "core.child"


def test_masked_fields_never_enter_the_trail() -> None:
    child = ChildFactory()
    created = AuditEntry.objects.get(object_id=str(child.uuid), action="create")
    assert created.changes["iin"] == "changed"
    assert child.iin not in str(created.changes)


def test_a_rolled_back_change_leaves_no_entry() -> None:
    child = ChildFactory()
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), audit.system_context("test"), transaction.atomic():
        child.class_name = "1А"
        child.save()
        raise RuntimeError("boom")
    assert AuditEntry.objects.count() == before


def test_the_orm_refuses_to_change_or_delete_entries() -> None:
    ChildFactory()
    entry = AuditEntry.objects.first()
    assert entry is not None
    entry.reason = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
def test_postgresql_refuses_update_and_delete_of_audit_rows_even_in_raw_sql() -> None:
    ChildFactory()
    entry_id = AuditEntry.objects.values_list("id", flat=True).first()
    for sql in ("UPDATE core_auditentry SET reason = 'x' WHERE id = %s", "DELETE FROM core_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [entry_id])
    assert AuditEntry.objects.filter(id=entry_id).exists()


def test_sign_in_and_failed_sign_in_are_audited(client) -> None:
    user = UserFactory(username="psy")
    client.post(reverse("login"), {"username": "psy", "password": "wrong"})
    assert AuditEntry.objects.filter(action="login_failed", actor_username="psy").exists()
    from core.testing import TEST_PASSWORD

    client.post(reverse("login"), {"username": "psy", "password": TEST_PASSWORD})
    assert AuditEntry.objects.filter(action="login", actor=user).exists()


def test_the_request_id_is_returned_and_recorded(client) -> None:
    from core.roles import Role
    from core.testing import assign

    child = ChildFactory()
    user = UserFactory(username="psy2")
    assign(user, Role.PSYCHOLOGIST, child.organisation)
    client.force_login(user)
    response = client.get(reverse("core:child-detail", args=[child.uuid]), HTTP_X_REQUEST_ID="req-12345678")
    assert response["X-Request-ID"] == "req-12345678"
    assert AuditEntry.objects.filter(action="view", object_id=str(child.uuid), request_id="req-12345678").exists()


def test_bulk_update_leaves_one_entry_however_many_batches() -> None:
    kids = [ChildFactory() for _ in range(3)]
    for k in kids:
        k.class_name = "3В"
    before = AuditEntry.objects.filter(action="bulk_update").count()
    with audit.system_context("test"):
        Child.objects.bulk_update(kids, ["class_name"], batch_size=1)
    assert AuditEntry.objects.filter(action="bulk_update").count() == before + 1
    assert set(Child.objects.values_list("class_name", flat=True)) == {"3В"}
