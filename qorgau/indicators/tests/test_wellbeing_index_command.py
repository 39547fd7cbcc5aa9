"""Tests of ``manage.py wellbeing_index`` (SPEC §3) on the published test data; the expected
numbers are the hand computation of ``indicators/data/testdata/README.md``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

TESTDATA = Path(__file__).resolve().parent.parent / "data" / "testdata"
METHODOLOGY = str(TESTDATA / "methodology.yaml")
DATA = str(TESTDATA / "index.csv")
PROJECT = Path(__file__).resolve().parents[2]  # the directory of manage.py
TOL = 1e-9


def run(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("wellbeing_index", *args, stdout=out)
    return json.loads(out.getvalue())  # exactly one JSON document


def test_json_contract_2022() -> None:
    document = run("--methodology", METHODOLOGY, "--data", DATA, "--year", "2022", "--json")
    assert document["year"] == 2022
    assert set(document) >= {"year", "national", "regions"}
    expected = {
        "KAZ003": (56.25, "medium", 2, 62.5, 50.0),
        "KAZ006": (56.25, "medium", 2, 56.25, 56.25),
        "KAZ011": (15.625, "low", 5, 31.25, 0.0),
        "KAZ013": (34.375, "low", 4, 18.75, 50.0),
        "KAZ016": (84.375, "high", 1, 81.25, 87.5),
    }
    assert set(document["regions"]) == set(expected)
    for code, (score, zone, rank, child, family) in expected.items():
        region = document["regions"][code]
        assert set(region) == {"score", "zone", "rank", "domains", "change"}
        assert region["score"] == pytest.approx(score, abs=TOL)
        assert (region["zone"], region["rank"]) == (zone, rank)
        assert region["domains"] == {"child": pytest.approx(child, abs=TOL), "family": pytest.approx(family, abs=TOL)}
        assert region["change"] is None
    assert document["national"]["score"] == pytest.approx(48.75, abs=TOL)
    assert document["national"]["method"] == "weighted"
    assert document["previous_year"] is None
    assert document["warnings"] == []


def test_json_2023_with_change_and_a_region_without_index() -> None:
    document = run("--methodology", METHODOLOGY, "--data", DATA, "--year", "2023", "--json", "--gaps")
    regions = document["regions"]
    assert regions["KAZ013"] == {
        "score": None,
        "zone": None,
        "rank": None,
        "domains": {"child": pytest.approx(12.5, abs=TOL), "family": None},
        "change": None,
        "gap": None,
    }
    assert regions["KAZ011"]["change"] == pytest.approx(53.125, abs=TOL)
    assert [regions[c]["rank"] for c in ("KAZ011", "KAZ016", "KAZ003", "KAZ006")] == [1, 2, 3, 3]
    assert document["national"]["score"] == pytest.approx(22812.5 / 450, abs=TOL)
    assert document["national"]["change"] == pytest.approx(22812.5 / 450 - 48.75, abs=TOL)
    gap = regions["KAZ003"]["gap"]
    assert gap["to"] == "KAZ011"
    assert gap["total"] == pytest.approx(25, abs=TOL)
    assert gap["indicators"] == {
        "life_satisfaction": pytest.approx(9.375, abs=TOL),
        "under5_mortality": pytest.approx(3.125, abs=TOL),
        "books_at_home": pytest.approx(25, abs=TOL),
        "talks_with_parents": pytest.approx(-12.5, abs=TOL),
    }


def test_sensitivity_option_is_seeded() -> None:
    args = ("--methodology", METHODOLOGY, "--data", DATA, "--year", "2022", "--json", "--sensitivity", "150")
    first = run(*args, "--seed", "11")
    again = run(*args, "--seed", "11")
    assert first["sensitivity"] == again["sensitivity"]
    spread = first["sensitivity"]
    assert spread["draws"] == 150 and spread["seed"] == 11
    assert sum(spread["normalisations"].values()) == 150
    assert spread["regions"]["KAZ016"]["nominal_rank"] == 1
    assert set(spread["regions"]["KAZ011"]) == {
        "nominal_rank",
        "median_rank",
        "rank_p05",
        "rank_p95",
        "score_p05",
        "score_median",
        "score_p95",
        "draws_with_score",
    }
    # The index part is unchanged by the sensitivity run.
    assert first["regions"]["KAZ016"]["score"] == pytest.approx(84.375, abs=TOL)


def test_table_output() -> None:
    out = io.StringIO()
    call_command("wellbeing_index", "--methodology", METHODOLOGY, "--data", DATA, "--year", "2023", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Child well-being index 2023 (testdata, minmax); national (weighted): 50.69 medium"
    assert lines[1].split() == ["1", "KAZ011", "68.75", "medium", "(+53.12)", "child", "62.50", "family", "75.00"]
    assert lines[-1].split() == ["—", "KAZ013", "—", "—", "child", "12.50", "family", "—"]


def test_bad_methodology_is_a_command_error(tmp_path: Path) -> None:
    broken = tmp_path / "m.yaml"
    text = (TESTDATA / "methodology.yaml").read_text(encoding="utf-8").replace("weight: 3", "weight: -3")
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        run("--methodology", str(broken), "--data", DATA, "--year", "2022", "--json")
    assert "invalid methodology" in str(excinfo.value)
    assert "indicators[life_satisfaction].weight: must be positive, got -3" in str(excinfo.value)


def test_bad_data_is_a_command_error_with_line_numbers(tmp_path: Path) -> None:
    bad = tmp_path / "d.csv"
    bad.write_text("region,indicator,year,value\nKAZ003,life_satisfaction,2022,80%\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 2: value '80%' is not a number"):
        run("--methodology", METHODOLOGY, "--data", str(bad), "--year", "2022", "--json")
    with pytest.raises(CommandError, match="cannot read the file"):
        run("--methodology", METHODOLOGY, "--data", str(tmp_path / "absent.csv"), "--year", "2022")
    with pytest.raises(CommandError, match="no values for 2019"):
        run("--methodology", METHODOLOGY, "--data", DATA, "--year", "2019", "--json")
    with pytest.raises(CommandError, match="--sensitivity needs a number of draws >= 1, got 0"):
        run("--methodology", METHODOLOGY, "--data", DATA, "--year", "2022", "--sensitivity", "0")


def test_exit_status_is_non_zero_on_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "d.csv"
    bad.write_text("region,indicator,year,value\nNowhere,life_satisfaction,2022,80\n", encoding="utf-8")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qorgau.settings"}
    command = ["wellbeing_index", "--methodology", METHODOLOGY, "--data", str(bad), "--year", "2022", "--json"]
    proc = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *command],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert "line 2: unknown region 'Nowhere'" in proc.stderr
