"""The indicator pages by role, value entry and correction, and the public open data page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from core import audit
from core.models import Region, User
from indicators.models import ImportBatch, Indicator, IndicatorValue
from indicators.tests.conftest import client_for, csv_upload, import_csv

pytestmark = pytest.mark.django_db


def test_analyst_walks_through_the_catalogue(analyst: User, catalogue: dict[str, Indicator]) -> None:
    import_csv(
        analyst, "indicator,region,year,value\nsuicides,KAZ,2022,10\nsuicides,KAZ004,2022,4\nsuicides,KAZ017,2022,6\n"
    )
    c = client_for(analyst)
    listing = c.get(reverse("indicators:indicator-list")).content.decode()
    assert "Suicides" in listing and reverse("indicators:import-create") in listing
    detail = c.get(reverse("indicators:indicator-detail", args=[catalogue["suicides"].uuid])).content.decode()
    # The region × year table and the bar chart of 2022: one bar per region with a value.
    assert "<svg" in detail and detail.count("<rect") == 2
    assert (
        "Shymkent" in detail
        and reverse("indicators:value-correct", args=[IndicatorValue.objects.get(region__pcode="KAZ017").uuid])
        in detail
    )
    table = c.get(reverse("indicators:region-table"), {"from": 2022, "to": 2022}).content.decode()
    assert "Suicides" in table and "Almaty" in table
    assert c.get(reverse("indicators:import-list")).status_code == 200
    export = c.get(reverse("indicators:export-csv"), {"index": 1}).content.decode("utf-8-sig")
    assert export.splitlines()[0] == "region,indicator,year,value"
    assert "KAZ017,suicides,2022,6" in export


def test_other_staff_read_but_do_not_change(psychologist: User, catalogue: dict[str, Indicator]) -> None:
    c = client_for(psychologist)
    suicides = catalogue["suicides"]
    assert c.get(reverse("indicators:indicator-detail", args=[suicides.uuid])).status_code == 200
    assert c.get(reverse("indicators:indicator-edit", args=[suicides.uuid])).status_code == 404
    assert c.post(reverse("indicators:indicator-compute", args=[catalogue["rate"].uuid])).status_code == 404
    assert c.get(reverse("indicators:import-create")).status_code == 403
    assert c.get(reverse("indicators:value-create")).status_code == 403
    assert c.get(reverse("indicators:import-list")).status_code == 403


def test_upload_page_shows_the_findings(analyst: User, catalogue: dict[str, Indicator]) -> None:
    c = client_for(analyst)
    response = c.post(
        reverse("indicators:import-create"),
        {"file": csv_upload("indicator,region,year,value\nsuicides,Атлантида,2022,1\n")},
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "indicators:import-detail", args=[batch.uuid]
    )
    page = c.get(response["Location"]).content.decode()
    assert "Unknown region “Атлантида”." in page and "row 2" in page
    assert "Nothing was imported" in page


def test_entering_and_correcting_a_value(analyst: User, catalogue: dict[str, Indicator]) -> None:
    c = client_for(analyst)
    almaty = Region.objects.get(pcode="KAZ004")
    response = c.post(
        reverse("indicators:value-create"),
        {"indicator": catalogue["suicides"].pk, "region": almaty.pk, "year": 2022, "value": "4", "note": "letter 12"},
    )
    assert response.status_code == 302
    stored = IndicatorValue.objects.get()
    assert (stored.origin, stored.entered_by, stored.note, stored.provenance) == (
        "entry",
        analyst,
        "letter 12",
        "entered by analyst",
    )
    refused = c.post(
        reverse("indicators:value-create"),
        {"indicator": catalogue["poverty"].pk, "year": 2022, "value": "130"},
    )
    assert "Poverty: 130 is outside the valid range 0 … 100." in refused.content.decode()
    url = reverse("indicators:value-correct", args=[stored.uuid])
    assert c.post(url, {"value": "5"}).status_code == 200  # the reason is required
    assert c.post(url, {"value": "5", "note": "corrected by the region"}).status_code == 302
    stored.refresh_from_db()
    assert (stored.value, stored.note) == (Decimal(5), "corrected by the region")


def _publish(counts: dict[str, int], national: int | None) -> Indicator:
    with audit.system_context("test fixture"):
        indicator = Indicator.objects.create(
            code="victims", name_kk="v", name_ru="v", name_en="Victims", unit="persons", published=True
        )
        for pcode, count in counts.items():
            IndicatorValue.objects.create(
                indicator=indicator, region=Region.objects.get(pcode=pcode), year=2022, value=count, origin="import"
            )
        if national is not None:
            IndicatorValue.objects.create(indicator=indicator, year=2022, value=national, origin="import")
        IndicatorValue.objects.create(
            indicator=indicator,
            region=Region.objects.get(pcode="KAZ002"),
            year=2022,
            sex="male",
            value=1,
            origin="import",
        )
    return indicator


def test_open_data_hides_small_counts_for_everyone(db: None) -> None:
    client = client_for(None)
    _publish({"KAZ004": 3, "KAZ017": 40, "KAZ006": 12}, national=55)
    with audit.system_context("test fixture"):
        Indicator.objects.create(code="secret_draft", name_kk="d", name_ru="d", name_en="Draft", unit="persons")
    page = client.get(reverse("indicators:open-data"), {"indicator": "victims"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "&lt;5" in body and "Draft" not in body
    # One region hidden and the total shown: the smallest other region (Astana, 12) is hidden too.
    assert ">12<" not in body and "…</td>" in body and "40" in body and "55" in body
    csv_text = client.get(reverse("indicators:open-data-csv")).content.decode("utf-8-sig")
    rows = {tuple(line.split(",")[5:9]) for line in csv_text.splitlines()[1:]}
    assert ("KAZ004", "2022", "", "<5") in rows
    assert ("KAZ006", "2022", "", "…") in rows
    assert ("KAZ017", "2022", "", "40") in rows and ("KAZ", "2022", "", "55") in rows
    assert "secret_draft" not in csv_text
    assert not any(r[0] == "KAZ002" for r in rows)  # breakdowns by sex are not published


def test_two_hidden_cells_need_no_more_hiding(db: None) -> None:
    client = client_for(None)
    _publish({"KAZ004": 3, "KAZ017": 40, "KAZ006": 2, "KAZ001": 9}, national=54)
    body = client.get(reverse("indicators:open-data")).content.decode()
    assert body.count("&lt;5</td>") == 2 and "…</td>" not in body and ">9<" in body
