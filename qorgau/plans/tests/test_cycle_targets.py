"""Target indicators: targets from the plan, actual values entered by analysts, trajectory and verdicts.

000 L123-124, indicator 1: offences among minors down 5 % a year: 2023 – 1648, 2024 – 1565, 2025 – 1486.
000 L130, indicator 4: school psychologists: 2025 – 1000 more (a single target).
004 L1788, indicator 7: wear of health infrastructure: 42.1 % (2026) down to 30.0 % (2030).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core import audit
from core.models import ConflictError
from plans.cycle import actions
from plans.cycle.progress import indicator_progress
from plans.cycle.testing import agency_executor, import_seed
from plans.models import TargetIndicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_2023(personas) -> Any:
    return import_seed("000", personas["analyst"].user)


def _years(progress: Any) -> dict[int, Any]:
    return {y.year: y for y in progress.years}


def _set(user: Any, indicator: TargetIndicator, year: int, value: float | None) -> TargetIndicator:
    with audit.user_context(user):
        return actions.set_actual(user, indicator, year, value, version=indicator.version)


def test_a_falling_indicator_is_on_track_below_its_trajectory(plan_2023, personas) -> None:
    analyst = personas["analyst"].user
    indicator = TargetIndicator.objects.get(plan=plan_2023, number="1")
    assert indicator.targets == {"2023": 1648.0, "2024": 1565.0, "2025": 1486.0}
    with translation.override("en"):
        before = indicator_progress(indicator)
    # No baseline yet: the line starts at the first target; the page asks for the 2022 value.
    assert before.direction == "down" and any("2022" in str(n) for n in before.notes)
    assert _years(before)[2024].trajectory == 1567.0  # 1648 + (1486 - 1648) / 2
    indicator = _set(analyst, indicator, 2022, 1735)  # the baseline
    indicator = _set(analyst, indicator, 2023, 1650)
    indicator = _set(analyst, indicator, 2024, 1600)
    years = _years(indicator_progress(indicator))
    # The trajectory from 1735 (2022) to 1486 (2025) falls by 83 a year.
    assert [years[y].trajectory for y in (2022, 2023, 2024, 2025)] == [1735.0, 1652.0, 1569.0, 1486.0]
    assert (years[2023].on_track, years[2023].target_met) == (True, False)  # 1650 ≤ 1652 but > 1648
    assert (years[2024].on_track, years[2024].target_met) == (False, False)  # 1600 > 1569
    assert years[2022].baseline and years[2022].on_track is None
    assert indicator_progress(indicator).on_track is False  # the latest year decides
    assert indicator.actuals == {"2022": 1735.0, "2023": 1650.0, "2024": 1600.0}
    indicator = _set(analyst, indicator, 2024, None)  # cleared
    assert "2024" not in indicator.actuals and indicator_progress(indicator).on_track is True


def test_a_single_target_needs_a_baseline_to_draw_the_line(plan_2023, personas) -> None:
    indicator = TargetIndicator.objects.get(plan=plan_2023, number="4")
    assert indicator.targets == {"2025": 1000.0}
    with translation.override("en"):
        alone = indicator_progress(indicator)
        assert any("do not say which way" in str(n) for n in alone.notes)  # lazy texts: read in English
    assert [y.trajectory for y in alone.years if y.trajectory is not None] == [1000.0]
    indicator = _set(personas["analyst"].user, indicator, 2022, 400)
    progress = indicator_progress(indicator)
    assert progress.direction == "up"
    assert [_years(progress)[y].trajectory for y in (2023, 2024, 2025)] == [600.0, 800.0, 1000.0]


def test_a_concept_indicator_reads_its_direction_from_its_targets(personas) -> None:
    plan = import_seed("004", personas["analyst"].user)
    indicator = TargetIndicator.objects.get(plan=plan, number="7")
    assert indicator.targets["2026"] == 42.1 and indicator.targets["2030"] == 30.0
    assert indicator_progress(indicator).direction == "down"


def test_actual_values_are_checked_locked_and_reserved_to_analysts(plan_2023, personas) -> None:
    analyst = personas["analyst"].user
    indicator = TargetIndicator.objects.get(plan=plan_2023, number="1")
    stale = indicator.version
    _set(analyst, indicator, 2023, 1650)
    with audit.user_context(analyst):
        with pytest.raises(ConflictError):
            actions.set_actual(analyst, indicator, 2023, 1, version=stale)
        with translation.override("en"), pytest.raises(ValueError, match="from 2022"):
            actions.set_actual(analyst, TargetIndicator.objects.get(pk=indicator.pk), 2026, 1)
    executor, _org = agency_executor("executor_edu", "edu")
    with audit.user_context(executor), pytest.raises(Http404):
        actions.set_actual(executor, TargetIndicator.objects.get(pk=indicator.pk), 2024, 1)
    assert TargetIndicator.objects.get(pk=indicator.pk).actuals == {"2023": 1650.0}


def test_target_pages_and_api(plan_2023, personas) -> None:
    analyst = personas["analyst"].client()
    indicator = TargetIndicator.objects.get(plan=plan_2023, number="1")
    page = analyst.get(reverse("plans:targets", args=[plan_2023.uuid]))
    assert page.status_code == 200 and len(page.context["indicators"]) == 9  # 000 has 9 target indicators
    url = reverse("plans:targets-actual", args=[indicator.uuid])
    assert analyst.get(url, {"year": "2023"}).status_code == 200
    response = analyst.post(url, {"year": "2023", "value": "1650", "version": indicator.version})
    assert response.status_code == 302
    # A second editor with the old version sees the saved values beside the form.
    stale = analyst.post(url, {"year": "2023", "value": "1", "version": indicator.version}, HTTP_ACCEPT_LANGUAGE="en")
    assert stale.status_code == 200 and "The current saved version" in stale.content.decode()
    indicator.refresh_from_db()
    api = analyst.post(
        f"/api/v1/plans/target-indicators/{indicator.uuid}/actual/",
        {"year": 2024, "value": "1560", "version": indicator.version},
        content_type="application/json",
    )
    assert api.status_code == 200, api.content
    body = api.json()
    years = {y["year"]: y for y in body["years"]}
    assert (years[2023]["actual"], years[2024]["actual"], years[2024]["target_met"]) == (1650.0, 1560.0, True)
    conflict = analyst.post(
        f"/api/v1/plans/target-indicators/{indicator.uuid}/actual/",
        {"year": 2024, "value": "1", "version": indicator.version},
        content_type="application/json",
    )
    assert conflict.status_code == 409
    listed = analyst.get("/api/v1/plans/target-indicators/", {"plan": plan_2023.uuid}).json()
    assert listed["count"] == 9
    executor, _org = agency_executor("executor_edu", "edu")
    client = Client()
    client.force_login(executor)
    assert client.get(reverse("plans:targets", args=[plan_2023.uuid])).status_code == 200  # executors read
    assert client.get(url).status_code == 404  # but do not enter values
    denied = client.post(
        f"/api/v1/plans/target-indicators/{indicator.uuid}/actual/",
        {"year": 2024, "value": "1", "version": 99},
        content_type="application/json",
    )
    assert denied.status_code == 404
