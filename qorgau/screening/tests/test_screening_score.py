"""Tests of ``manage.py screening_score`` (SPEC §3): in-process with call_command, and as a subprocess."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

MANAGE_PY = Path(__file__).resolve().parents[2] / "manage.py"
PHQ_ANSWERS = {"phq1": 2, "phq2": 1, "phq3": 3, "phq4": 0, "phq5": 1, "phq6": 2, "phq7": 1, "phq8": 0, "phq9": 0}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def run(*args: str) -> tuple[int, str, str]:
    """Run screening_score in-process; return (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    status = 0
    try:
        call_command("screening_score", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    return status, out.getvalue(), err.getvalue()


def test_json_output_for_phq_a() -> None:
    status, out, err = run("phq_a", "--answers", json.dumps(PHQ_ANSWERS), "--json")
    assert (status, err) == (0, "")
    assert json.loads(out) == {
        "instrument": "phq_a",
        "version": "2026.1",
        "total": 10,
        "band": "moderate",
        "flags": [],
        "risk_level": "moderate",
    }


def test_phq9_raises_the_flag_and_high_risk() -> None:
    answers = dict.fromkeys(PHQ_ANSWERS, 0) | {"phq9": 1}
    status, out, _err = run("phq_a", "--answers", json.dumps(answers), "--json")
    assert status == 0
    assert json.loads(out) == {
        "instrument": "phq_a",
        "version": "2026.1",
        "total": 1,
        "band": "minimal",
        "flags": ["suicidal_ideation"],
        "risk_level": "high",
    }


@pytest.mark.parametrize(
    ("answers", "band", "risk"),
    [
        ('{"asq1": 0, "asq2": 0, "asq3": 0, "asq4": 0}', "negative", "none"),
        ('{"asq1": null, "asq2": 0, "asq3": 0, "asq4": 0, "asq5": 0}', "non_acute_positive", "high"),
        ('{"asq1": 0, "asq2": 1, "asq3": 0, "asq4": 0, "asq5": 1}', "acute_positive", "acute"),
    ],
)
def test_asq_has_no_total_and_null_declines(answers: str, band: str, risk: str) -> None:
    status, out, _err = run("asq", "--answers", answers, "--json")
    assert status == 0
    assert json.loads(out) == {
        "instrument": "asq",
        "version": "2026.1",
        "total": None,
        "band": band,
        "flags": [],
        "risk_level": risk,
    }


def test_other_instruments() -> None:
    bullying = '{"victim": 2, "cyber_victim": 0, "perpetrator": 3, "cyber_perpetrator": 0}'
    assert json.loads(run("bullying", "--answers", bullying, "--json")[1]) == {
        "instrument": "bullying",
        "version": "2026.1",
        "total": None,
        "band": "monthly",
        "flags": ["bullied", "bullies_others"],
        "risk_level": "low",
    }
    gad = json.dumps({f"gad{i}": 3 for i in range(1, 8)})
    assert json.loads(run("gad7", "--answers", gad, "--json")[1])["total"] == 21
    ucla = '{"ucla1": 3, "ucla2": 2, "ucla3": 1}'
    assert json.loads(run("ucla3", "--answers", ucla, "--json")[1])["risk_level"] == "low"


def test_human_output() -> None:
    status, out, _err = run("phq_a", "--answers", json.dumps(PHQ_ANSWERS))
    assert status == 0
    assert out.strip() == "phq_a 2026.1: total 10, band moderate, flags: none; risk level moderate."
    status, out, _err = run("asq", "--answers", '{"asq1": 1, "asq2": 0, "asq3": 0, "asq4": 0, "asq5": 0}')
    assert out.strip() == "asq 2026.1: total —, band non_acute_positive, flags: none; risk level high."


def test_answers_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(PHQ_ANSWERS), encoding="utf-8")
    status, out, _err = run("phq_a", "--answers", f"@{path}", "--json")
    assert status == 0
    assert json.loads(out)["total"] == 10
    status, out, err = run("phq_a", "--answers", f"@{tmp_path / 'none.json'}", "--json")
    assert status == 2
    assert err.startswith(f"Cannot read the answers file {tmp_path / 'none.json'}: ")
    assert json.loads(out)["errors"] == {}


def test_refused_answers_exit_1_with_every_error() -> None:
    answers = dict(PHQ_ANSWERS) | {"phq1": 5, "mood": 1}
    del answers["phq9"]
    status, out, err = run("phq_a", "--answers", json.dumps(answers), "--json")
    assert status == 1
    assert json.loads(out) == {
        "error": "The answers to phq_a were refused.",
        "errors": {
            "phq1": "5 is not one of the options of “phq1” (allowed: 0, 1, 2, 3).",
            "mood": "There is no question “mood” in phq_a.",
            "phq9": "“phq9” is required but has no answer.",
        },
    }
    assert err.splitlines() == [
        "The answers to phq_a were refused.",
        "  phq1: 5 is not one of the options of “phq1” (allowed: 0, 1, 2, 3).",
        "  mood: There is no question “mood” in phq_a.",
        "  phq9: “phq9” is required but has no answer.",
    ]


def test_null_for_an_item_without_declined_is_missing() -> None:
    answers = dict.fromkeys(PHQ_ANSWERS, 0) | {"phq4": None}
    status, out, _err = run("phq_a", "--answers", json.dumps(answers), "--json")
    assert status == 1
    assert json.loads(out)["errors"] == {"phq4": "“phq4” is required but has no answer."}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sdq", "--answers", "{}"), "Unknown instrument “sdq” (known: asq, bullying, gad7, phq_a, ucla3)."),
        (("phq_a", "--answers", "{phq1: 1}"), "--answers is not valid JSON: Expecting property name enclosed"),
        (("phq_a", "--answers", "[1, 2]"), '--answers must be a JSON object such as {"phq1": 1, …}.'),
    ],
)
def test_bad_input_exits_2(args: tuple[str, ...], message: str) -> None:
    status, out, err = run(*args, "--json")
    assert status == 2
    assert err.startswith(message)
    document = json.loads(out)
    assert document["error"].startswith(message) and document["errors"] == {}
    status, out, err = run(*args)  # without --json: nothing on stdout
    assert (status, out) == (2, "")
    assert err.startswith(message)


def test_missing_answers_option_is_a_usage_error() -> None:
    with pytest.raises(CommandError):
        call_command("screening_score", "phq_a", stdout=io.StringIO(), stderr=io.StringIO())


def manage(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qorgau.settings", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(  # noqa: S603 (fixed arguments, our own manage.py)
        [sys.executable, str(MANAGE_PY), "screening_score", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=MANAGE_PY.parent,
        timeout=120,
        check=False,
    )


def test_subprocess_exit_codes() -> None:
    ok = manage("phq_a", "--answers", json.dumps(PHQ_ANSWERS), "--json")
    assert (ok.returncode, ok.stderr) == (0, "")
    assert json.loads(ok.stdout) == {
        "instrument": "phq_a",
        "version": "2026.1",
        "total": 10,
        "band": "moderate",
        "flags": [],
        "risk_level": "moderate",
    }
    refused = manage("gad7", "--answers", '{"gad1": 9}', "--json")
    assert refused.returncode == 1
    # The subprocess speaks settings.LANGUAGE_CODE, so only the structure is checked here.
    assert sorted(json.loads(refused.stdout)["errors"]) == ["gad1", "gad2", "gad3", "gad4", "gad5", "gad6", "gad7"]
    assert "gad1" in refused.stderr
    unknown = manage("sdq", "--answers", "{}")
    assert unknown.returncode == 2
    assert unknown.stdout == ""
    assert "sdq" in unknown.stderr
    usage = manage("phq_a")
    assert usage.returncode not in (0, 1)
    assert "--answers" in usage.stderr
