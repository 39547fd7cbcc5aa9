"""The command-line contract of the plan commands (SPEC §3): plan_parse and plan_calendar with --json."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.seeds import seed_path


def _json(*args: str) -> object:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("number", "language", "period", "measures", "indicators"),
    [
        ("000", "kk", (2023, 2025), 53, 9),
        ("003", "kk", (2007, 2011), 43, 0),
        ("004", "ru", (2026, 2030), 158, 10),
    ],
)
def test_plan_parse_prints_the_contract(number, language, period, measures, indicators) -> None:
    doc = _json("plan_parse", str(seed_path(number)))
    assert doc["language"] == language
    assert (doc["period"]["start"], doc["period"]["end"]) == period
    assert (len(doc["measures"]), len(doc["indicators"])) == (measures, indicators)
    assert set(doc["measures"][-1]) >= {"number", "section", "name", "completion_form", "deadline", "schedule"}
    assert set(doc["measures"][-1]["funding"]) == {"text", "amounts", "sources"}
    assert doc["act"]["type"] == "decree" and doc["reporting_rules"]


def test_plan_parse_reconciles_the_school_copy_with_the_national_text_beside_it() -> None:
    doc = _json("plan_parse", str(seed_path("001")))
    assert doc["kind"] == "plan-2023-2025" and doc["period"] == {"start": 2023, "end": 2025}
    assert any("ПМ" in d for d in doc["differences"])


def test_plan_calendar_gives_the_decrees_due_dates() -> None:
    # 000 L17-22: quarterly by the 10th of the following month; the half-yearly summary by the 10th.
    dates = _json("plan_calendar", str(seed_path("000")), "--year", "2024")
    executors = [d["due"] for d in dates if d["from"] == "executors"]
    assert executors == ["2024-01-10", "2024-04-10", "2024-07-10", "2024-10-10"]
    assert [d["due"] for d in dates if d["to"] == "government_apparatus"] == ["2024-01-10", "2024-07-10"]
    # 003: executors by 10 January and 10 July, the Ministry by 20 January and 20 July.
    dates = _json("plan_calendar", str(seed_path("003")), "--year", "2008")
    assert [(d["due"], d["from"]) for d in dates] == [
        ("2008-01-10", "executors"),
        ("2008-01-20", "ministry"),
        ("2008-07-10", "executors"),
        ("2008-07-20", "ministry"),
    ]
    # 004 L19, L21: executors by 1 April of the next year, the Ministry by 1 May, and publication.
    dates = _json("plan_calendar", str(seed_path("004")), "--year", "2031")
    assert [(d["due"], d["to"], d["covers"]) for d in dates] == [
        ("2031-04-01", "ministry", "2030"),
        ("2031-05-01", "planning_authority", "2030"),
        ("2031-05-01", "public", "2030"),
    ]


def test_bad_input_exits_with_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("plan_parse", str(tmp_path / "missing.txt"))
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("plan_parse", str(binary))
    other = tmp_path / "letter.txt"
    other.write_text("Құрметті әріптестер!", encoding="utf-8")
    with pytest.raises(CommandError, match="not a plan document"):
        call_command("plan_parse", str(other))
    with pytest.raises(CommandError, match="outside the plan's period"):
        call_command("plan_calendar", str(seed_path("004")), "--year", "2020")
