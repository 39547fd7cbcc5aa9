"""Tests of the risk rule (screening.risk): the default rule of SPEC §2.2 and rule parsing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from django.utils import translation

from screening.instruments import Score, get_instrument
from screening.risk import (
    DEFAULT_RULE_PATH,
    RISK_LEVELS,
    Condition,
    RiskResult,
    RiskRule,
    RiskRuleError,
    default_rule,
)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def band(name: str) -> Score:
    return Score(total=None, band=name)


def total(value: int, flags: tuple[str, ...] = ()) -> Score:
    return Score(total=value, band=None, flags=flags)


def evaluate(**scores: Score) -> RiskResult:
    return default_rule().evaluate(scores)


def test_levels_are_ordered() -> None:
    assert RISK_LEVELS == ("none", "low", "moderate", "high", "acute")


def test_default_rule_identity() -> None:
    rule = default_rule()
    assert (rule.name, rule.version, rule.id) == ("default", "2026.1", "default@2026.1")
    assert list(rule.levels) == ["acute", "high", "moderate", "low"]
    assert {level: [c.id for c in conditions] for level, conditions in rule.levels.items()} == {
        "acute": ["asq.band.acute_positive"],
        "high": ["asq.band.non_acute_positive", "phq_a.flag.suicidal_ideation", "phq_a.total.20-"],
        "moderate": ["phq_a.total.10-19", "gad7.total.15-", "bullying.band.weekly"],
        "low": ["phq_a.total.5-9", "gad7.total.5-14", "ucla3.band.lonely", "bullying.band.monthly"],
    }
    assert default_rule() is rule  # parsed once


@pytest.mark.parametrize(
    ("scores", "level", "fired"),
    [
        ({"asq": band("acute_positive")}, "acute", ("asq.band.acute_positive",)),
        ({"asq": band("non_acute_positive")}, "high", ("asq.band.non_acute_positive",)),
        ({"asq": band("negative")}, "none", ()),
        ({"phq_a": total(1, ("suicidal_ideation",))}, "high", ("phq_a.flag.suicidal_ideation",)),
        ({"phq_a": total(27, ("suicidal_ideation",))}, "high", ("phq_a.flag.suicidal_ideation", "phq_a.total.20-")),
        ({"phq_a": total(20)}, "high", ("phq_a.total.20-",)),
        ({"phq_a": total(19)}, "moderate", ("phq_a.total.10-19",)),
        ({"phq_a": total(10)}, "moderate", ("phq_a.total.10-19",)),
        ({"phq_a": total(9)}, "low", ("phq_a.total.5-9",)),
        ({"phq_a": total(5)}, "low", ("phq_a.total.5-9",)),
        ({"phq_a": total(4)}, "none", ()),
        ({"phq_a": total(0)}, "none", ()),
        ({"gad7": total(21)}, "moderate", ("gad7.total.15-",)),
        ({"gad7": total(15)}, "moderate", ("gad7.total.15-",)),
        ({"gad7": total(14)}, "low", ("gad7.total.5-14",)),
        ({"gad7": total(5)}, "low", ("gad7.total.5-14",)),
        ({"gad7": total(4)}, "none", ()),
        ({"bullying": band("weekly")}, "moderate", ("bullying.band.weekly",)),
        ({"bullying": band("monthly")}, "low", ("bullying.band.monthly",)),
        ({"bullying": band("none")}, "none", ()),
        ({"ucla3": band("lonely")}, "low", ("ucla3.band.lonely",)),
        ({"ucla3": band("not_lonely")}, "none", ()),
        ({}, "none", ()),
    ],
)
def test_default_rule_every_level(scores: dict[str, Score], level: str, fired: tuple[str, ...]) -> None:
    assert default_rule().evaluate(scores) == RiskResult(level=level, fired=fired, rule="default@2026.1")


def test_the_most_severe_level_wins_and_keeps_all_its_conditions() -> None:
    result = evaluate(
        asq=band("negative"),
        phq_a=total(12),
        gad7=total(16),
        bullying=band("weekly"),
        ucla3=band("lonely"),
    )
    assert result == RiskResult(
        "moderate", ("phq_a.total.10-19", "gad7.total.15-", "bullying.band.weekly"), "default@2026.1"
    )
    assert evaluate(asq=band("acute_positive"), phq_a=total(25, ("suicidal_ideation",))) == RiskResult(
        "acute", ("asq.band.acute_positive",), "default@2026.1"
    )


def test_absent_instruments_and_missing_totals_do_not_match() -> None:
    # "weekly" from gad7 is not bullying's "weekly", and a missing PHQ-A total meets no total condition.
    assert evaluate(gad7=band("weekly"), phq_a=Score(total=None, band="severe")).level == "none"


def test_phq9_of_one_with_a_low_total_is_high_risk_end_to_end() -> None:
    phq = get_instrument("phq_a")
    score = phq.score(
        {"phq1": 0, "phq2": 1, "phq3": 0, "phq4": 0, "phq5": 0, "phq6": 0, "phq7": 0, "phq8": 0, "phq9": 1}
    )
    assert score == Score(total=2, band="minimal", flags=("suicidal_ideation",), subscales={})
    assert evaluate(phq_a=score) == RiskResult("high", ("phq_a.flag.suicidal_ideation",), "default@2026.1")


def test_asq_declined_is_high_risk_end_to_end() -> None:
    score = get_instrument("asq").score({"asq1": None, "asq2": 0, "asq3": 0, "asq4": 0, "asq5": 0})
    assert evaluate(asq=score) == RiskResult("high", ("asq.band.non_acute_positive",), "default@2026.1")


def test_band_and_flag_codes_of_the_default_rule_exist_in_the_instruments() -> None:
    for condition in default_rule().conditions().values():
        instrument = get_instrument(condition.instrument)
        calculates = {c.code: c.calculation for c in instrument.calculates}
        if condition.band is not None:
            produced = set(re.findall(r"'([a-z_]+)'", calculates["band"]))
            assert set(condition.band) <= produced, condition.id
        elif condition.flag is not None:
            assert f"flag_{condition.flag}" in calculates, condition.id
        else:
            assert "total" in calculates, condition.id


def test_result_and_conditions_serialise() -> None:
    result = evaluate(phq_a=total(7))
    assert result.as_dict() == {"level": "low", "fired": ["phq_a.total.5-9"], "rule": "default@2026.1"}
    conditions = default_rule().conditions()
    assert conditions["phq_a.total.20-"].describe() == "phq_a: total 20 or more"
    assert conditions["phq_a.total.10-19"].describe() == "phq_a: total from 10 to 19"
    assert conditions["asq.band.acute_positive"].describe() == "asq: band is acute_positive"
    assert conditions["phq_a.flag.suicidal_ideation"].describe() == "phq_a: flag suicidal_ideation is raised"


def test_rule_round_trips_through_dict_and_yaml() -> None:
    rule = default_rule()
    data = rule.to_dict()
    assert RiskRule.from_dict(data) == rule
    assert RiskRule.from_yaml(yaml.safe_dump(data, allow_unicode=True)) == rule
    assert data["levels"]["high"][2] == {"id": "phq_a.total.20-", "instrument": "phq_a", "total": [20, None]}
    assert RiskRule.from_yaml(DEFAULT_RULE_PATH.read_text(encoding="utf-8")).to_dict() == data


def test_ids_are_derived_when_not_given() -> None:
    rule = RiskRule.from_yaml(
        """
name: school
version: "1"
levels:
  high:
    - {instrument: phq_a, total: [null, 3]}
    - {instrument: phq_a, total: [20.0, null]}
    - {instrument: asq, band: [acute_positive, non_acute_positive]}
    - {instrument: bullying, band: weekly}
  low:
    - {instrument: bullying, flag: bullied}
"""
    )
    assert [c.id for c in rule.levels["high"]] == [
        "phq_a.total.-3",
        "phq_a.total.20-",
        "asq.band.acute_positive+non_acute_positive",
        "bullying.band.weekly",
    ]
    assert rule.levels["low"] == (Condition(id="bullying.flag.bullied", instrument="bullying", flag="bullied"),)
    assert rule.evaluate({"phq_a": total(2)}) == RiskResult("high", ("phq_a.total.-3",), "school@1")
    assert rule.evaluate({"bullying": Score(total=None, band="monthly", flags=("bullied",))}).level == "low"
    assert rule.evaluate({"phq_a": total(10)}).level == "none"


def rule_errors(text: str) -> list[str]:
    with pytest.raises(RiskRuleError) as excinfo:
        RiskRule.from_yaml(text)
    assert isinstance(excinfo.value, ValueError)
    return excinfo.value.messages


def test_malformed_yaml_is_refused() -> None:
    messages = rule_errors("name: x\nlevels: [unclosed\n")
    assert len(messages) == 1 and messages[0].startswith("The risk rule is not valid YAML: ")
    assert rule_errors("- just\n- a list\n") == ["A risk rule must be a mapping with name, version and levels."]


def test_malformed_rules_list_every_problem() -> None:
    text = """
name: ""
version: 2026.1
colour: red
levels:
  none:
    - {instrument: asq, band: [negative]}
  severe:
    - {instrument: asq, band: [acute_positive]}
  high:
    - {instrument: asq, band: [acute_positive], flag: x}
    - {instrument: phq_a, total: [20]}
    - {instrument: phq_a, total: [19, 10]}
    - {band: [x]}
    - {instrument: gad7, total: [15, null], id: same}
    - {instrument: gad7, total: [10, 14], id: same}
    - {instrument: ucla3, flag: ""}
    - {instrument: ucla3, band: []}
    - {instrument: ucla3, band: [lonely], when: always}
    - just text
  low: not a list
"""
    assert rule_errors(text) == [
        "Unknown key(s) colour (allowed: name, version, description, levels).",
        "name: the rule needs a name.",
        'version: the rule needs a version, as quoted text (e.g. "2026.1").',
        "levels.none: “none” is what remains when nothing matches; it takes no conditions.",
        "levels.severe: unknown level (levels: acute, high, moderate, low).",
        "levels.high[0]: give exactly one of band, flag, total (found: band, flag).",
        "levels.high[1]: total must be [min, max] with numbers (null for an open end, not both).",
        "levels.high[2]: total [19, 10]: the minimum is above the maximum.",
        "levels.high[3]: the instrument code is missing.",
        "levels.high[5]: the id “same” is used twice.",
        "levels.high[6]: flag must be a flag code.",
        "levels.high[7]: band must be a band code or a non-empty list of band codes.",
        "levels.high[8]: unknown key(s) when (allowed: id, instrument, band, flag, total).",
        "levels.high[9]: a condition must be a mapping with instrument and one of band, flag, total.",
        "levels.low must be a list of conditions.",
    ]


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ({}, "levels: give the conditions of at least one of acute, high, moderate, low."),
        ({"high": [{"instrument": "phq_a", "total": [None, None]}]}, "levels.high[0]: total must be [min, max]"),
        ({"high": [{"instrument": "phq_a", "total": [True, 3]}]}, "levels.high[0]: total must be [min, max]"),
        ({"high": [{"instrument": "phq_a", "total": ["10", 3]}]}, "levels.high[0]: total must be [min, max]"),
        ({"high": [{"instrument": "phq_a", "flag": "x", "id": ""}]}, "levels.high[0]: id must be non-empty text."),
    ],
)
def test_more_malformed_conditions(levels: dict[str, Any], message: str) -> None:
    with pytest.raises(RiskRuleError) as excinfo:
        RiskRule.from_dict({"name": "x", "version": "1", "levels": levels})
    assert excinfo.value.messages[0].startswith(message)
