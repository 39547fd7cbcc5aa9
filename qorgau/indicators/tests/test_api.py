"""The indicators API: reading for staff, writing through the actions for analysts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.models import User
from indicators.models import ImportBatch, Indicator, IndicatorValue
from indicators.tests.conftest import api_for, csv_upload

pytestmark = pytest.mark.django_db

BASE = "/api/v1/indicators"


def test_staff_read_the_catalogue_and_values(
    psychologist: User, analyst: User, catalogue: dict[str, Indicator]
) -> None:
    api_for(analyst).post(
        f"{BASE}/values/", {"indicator": "suicides", "region": "Алматы қ.", "year": 2022, "value": "4"}
    )
    api = api_for(psychologist)
    listing = api.get(f"{BASE}/indicators/").json()
    assert {i["code"] for i in listing["results"]} == {"suicides", "children", "poverty", "suicide_rate"}
    rate = next(i for i in listing["results"] if i["code"] == "suicide_rate")
    assert (rate["numerator"], rate["denominator"], rate["denominator_year_offset"]) == ("suicides", "children", 1)
    values = api.get(f"{BASE}/values/", {"indicator": "suicides", "region": "KAZ004"}).json()["results"]
    assert [(v["region"], v["year"], Decimal(v["value"]), v["origin"]) for v in values] == [
        ("KAZ004", 2022, Decimal(4), "entry")
    ]
    assert values[0]["entered_by"] == "analyst"
    # Not theirs to change: entering a value, creating an indicator, seeing imports.
    assert api.post(f"{BASE}/values/", {"indicator": "suicides", "year": 2022, "value": "1"}).status_code == 403
    assert (
        api.post(
            f"{BASE}/indicators/", {"code": "x", "name_kk": "x", "name_ru": "x", "name_en": "x", "unit": "cases"}
        ).status_code
        == 403
    )
    assert api.get(f"{BASE}/imports/").json()["count"] == 0
    uuid = catalogue["suicides"].uuid
    assert api.patch(f"{BASE}/indicators/{uuid}/", {"published": False}, format="json").status_code == 404


def test_analysts_keep_the_catalogue(analyst: User, catalogue: dict[str, Indicator]) -> None:
    api = api_for(analyst)
    created = api.post(
        f"{BASE}/indicators/",
        {"code": "births", "name_kk": "Туу", "name_ru": "Рождения", "name_en": "Births", "unit": "persons"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    births = Indicator.objects.get(code="births")
    incomplete = api.post(
        f"{BASE}/indicators/",
        {"code": "imr", "name_kk": "x", "name_ru": "x", "name_en": "x", "unit": "per_1000", "numerator": "suicides"},
        format="json",
    )
    assert incomplete.status_code == 400
    stale = api.patch(f"{BASE}/indicators/{births.uuid}/", {"published": True, "version": 7}, format="json")
    assert stale.status_code == 409
    ok = api.patch(f"{BASE}/indicators/{births.uuid}/", {"published": True, "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert api.delete(f"{BASE}/indicators/{births.uuid}/").status_code == 405


def test_value_entry_refuses_what_the_indicator_does_not_allow(analyst: User, catalogue: dict[str, Indicator]) -> None:
    api = api_for(analyst)
    wrong_region = api.post(
        f"{BASE}/values/", {"indicator": "suicides", "region": "Атлантида", "year": 2022, "value": "1"}
    )
    assert wrong_region.status_code == 400 and wrong_region.json()["region"] == "Unknown region “Атлантида”."
    by_sex = api.post(f"{BASE}/values/", {"indicator": "suicides", "year": 2022, "value": "1", "sex": "male"})
    assert by_sex.status_code == 400 and "not broken down by sex" in by_sex.json()["detail"]
    derived = api.post(f"{BASE}/values/", {"indicator": "suicide_rate", "year": 2022, "value": "1"})
    assert derived.status_code == 400
    assert not IndicatorValue.objects.exists()


def test_import_through_the_api(analyst: User, catalogue: dict[str, Indicator]) -> None:
    api = api_for(analyst)
    good = api.post(f"{BASE}/imports/", {"file": csv_upload("indicator,region,year,value\nsuicides,KAZ,2022,3\n")})
    assert good.status_code == 201 and good.json()["state"] == "applied" and good.json()["created"] == 1
    bad = api.post(f"{BASE}/imports/", {"file": csv_upload("indicator,region,year,value\nsuicides,KAZ,2022,x\n")})
    assert bad.status_code == 400
    body = bad.json()
    assert body["state"] == "rejected"
    assert [(f["row"], f["code"], f["text"]) for f in body["findings"]] == [(2, "bad-number", "“x” is not a number.")]
    batch = ImportBatch.objects.get(state="rejected")
    detail = api.get(f"{BASE}/imports/{batch.uuid}/").json()
    assert detail["findings"][0]["message"] == "“x” is not a number."
