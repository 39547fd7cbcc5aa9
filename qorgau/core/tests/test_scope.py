"""restrict(), the re-check after write, and the 404 rule."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core import actions, audit
from core.models import Child, Organisation, OrganisationKind
from core.roles import Role
from core.testing import ChildFactory, OrganisationFactory, UserFactory, assign, region_node

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    almaty, north = region_node("KAZ004"), region_node("KAZ015")
    d1 = OrganisationFactory(kind=OrganisationKind.DISTRICT, parent=almaty)
    s1, s2 = OrganisationFactory(parent=d1), OrganisationFactory(parent=d1)
    s3 = OrganisationFactory(parent=north)
    kids = {s: ChildFactory(organisation=s) for s in (s1, s2, s3)}
    return {"almaty": almaty, "north": north, "d1": d1, "s1": s1, "s2": s2, "s3": s3, "kids": kids}


def test_the_materialised_path_gives_the_subtree(world) -> None:
    assert world["s1"].path.startswith(world["d1"].path) and world["d1"].path.startswith(world["almaty"].path)
    subtree = set(world["almaty"].subtree())
    assert {world["d1"], world["s1"], world["s2"]} <= subtree and world["s3"] not in subtree
    assert list(world["s1"].ancestors()) == [world["almaty"].parent, world["almaty"], world["d1"]]
    assert world["s1"].region.pcode == "KAZ004"


def test_exact_and_subtree_assignments(world) -> None:
    psych, cm, nobody = UserFactory(), UserFactory(), UserFactory()
    assign(psych, Role.PSYCHOLOGIST, world["s1"])
    assign(cm, Role.CASE_MANAGER, world["almaty"], include_subtree=True)
    kids = world["kids"]
    assert set(Child.objects.restrict(psych, "view")) == {kids[world["s1"]]}
    assert set(Child.objects.restrict(cm, "view")) == {kids[world["s1"]], kids[world["s2"]]}
    assert not Child.objects.restrict(cm, "change").exists()  # case managers read, schools edit
    assert not Child.objects.restrict(nobody, "view").exists()
    assert not Child.objects.restrict(None, "view").exists()


def test_inactive_users_and_inactive_organisations_lose_access(world) -> None:
    psych = UserFactory()
    assign(psych, Role.PSYCHOLOGIST, world["s1"])
    with audit.system_context("test"):
        Organisation.objects.filter(pk=world["s1"].pk).update(is_active=False)
    assert not Child.objects.restrict(psych, "view").exists()


def test_moving_a_child_out_of_scope_is_rolled_back(world) -> None:
    psych = UserFactory()
    assign(psych, Role.PSYCHOLOGIST, world["s1"])
    child = Child.objects.get(pk=world["kids"][world["s1"]].pk)
    child.organisation = world["s3"]
    with audit.user_context(psych), pytest.raises(actions.OutOfScope):
        actions.update_object(psych, child)
    assert Child.objects.get(pk=child.pk).organisation == world["s1"]


def test_creating_a_child_elsewhere_is_refused(world) -> None:
    psych = UserFactory()
    assign(psych, Role.PSYCHOLOGIST, world["s1"])
    child = Child(last_name="Жаңа", first_name="Бала", birth_date="2013-03-03", sex="F", organisation=world["s3"])
    with audit.user_context(psych), pytest.raises(actions.OutOfScope):
        actions.create_object(psych, child)
    assert not Child.objects.filter(last_name="Жаңа").exists()


def test_editing_into_another_school_via_the_form_says_why(world, client) -> None:
    psych = UserFactory()
    assign(psych, Role.PSYCHOLOGIST, world["s1"])
    client.force_login(psych)
    child = world["kids"][world["s1"]]
    url = reverse("core:child-edit", args=[child.uuid])
    data = {
        "last_name": child.last_name,
        "first_name": child.first_name,
        "birth_date": child.birth_date,
        "sex": child.sex,
        "organisation": world["s3"].pk,
        "language": "kk",
        "version": child.version,
        "iin": child.iin,
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with an error
    assert Child.objects.get(pk=child.pk).organisation == world["s1"]


def test_the_system_admin_sees_everything(world) -> None:
    admin = UserFactory()
    assign(admin, Role.SYSTEM_ADMIN, world["almaty"].parent, include_subtree=True)
    assert Child.objects.restrict(admin, "view").count() == 3
    assert Child.objects.restrict(admin, "delete").count() == 3
