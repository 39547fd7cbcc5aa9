"""Tests of the index methodology loader (indicators/index/methodology.py): the default and test
methodologies, and the refusal of malformed ones with a clear message."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from indicators.index.methodology import (
    DEFAULT_METHODOLOGY,
    MethodologyError,
    load_methodology,
    parse_methodology,
)

TESTDATA = Path(__file__).resolve().parent.parent / "data" / "testdata"


def base() -> dict[str, Any]:
    """The published test methodology as a mapping, to be broken in one place per test."""
    return yaml.safe_load((TESTDATA / "methodology.yaml").read_text(encoding="utf-8"))


def errors_of(data: Any) -> list[str]:
    with pytest.raises(MethodologyError) as excinfo:
        parse_methodology(data, source="test.yaml")
    assert str(excinfo.value).startswith("test.yaml: invalid methodology:")
    return excinfo.value.errors


# --- the default methodology (seed 002) ------------------------------------------------------------


def test_default_methodology_has_the_reports_four_domains() -> None:
    methodology = load_methodology()
    assert methodology.code == "default"
    # 002 L11061-11063: «Бала», «Отбасы және қоғам», «Мемлекеттік саясат», «Елдің әл-ауқаты».
    assert [d.names.kk for d in methodology.domains] == [
        "Бала",
        "Отбасы және қоғам",
        "Мемлекеттік саясат",
        "Елдің әл-ауқаты",
    ]
    assert [d.names.en for d in methodology.domains] == [
        "Child",
        "Family and Society",
        "State Policy",
        "Country Welfare",
    ]
    np.testing.assert_allclose(methodology.domain_weights(), [0.25] * 4)  # SPEC §2.6: equal weights


def test_default_methodology_lists_the_indicators_identified_from_chart_captions() -> None:
    methodology = load_methodology()
    per_domain = dict.fromkeys(methodology.domain_codes, 0)
    for ind in methodology.indicators:
        per_domain[ind.domain] += 1
        assert ind.source.startswith("002 L"), ind.code  # every indicator says where it was read
        assert ind.names.kk and ind.names.ru and ind.names.en
    # 002 charts 2.3-2.13 and 2.17-2.19 (14, as L11069 says), 3.1-3.12, 4.1-4.5/4.7/4.9/"4.10"×2, 5.1-5.10.
    assert per_domain == {"child": 14, "family_society": 12, "state_policy": 9, "country_welfare": 10}
    by_code = {ind.code: ind for ind in methodology.indicators}
    # Direction read from the captions: mortality (002 L1135) is "less is better", life satisfaction
    # (L1930) "more is better", bullying (L10163) "less is better".
    assert by_code["under5_mortality"].polarity == -1
    assert by_code["life_satisfaction"].polarity == 1
    assert by_code["bullying_victims"].polarity == -1
    weights = methodology.indicator_weights()
    child = [i for i, ind in enumerate(methodology.indicators) if ind.domain == "child"]
    np.testing.assert_allclose(weights[child], [1 / 14] * 14)


def test_default_zones_round_to_whole_points_as_the_report_counts_them() -> None:
    methodology = load_methodology(DEFAULT_METHODOLOGY)
    # 002 L11237-11240: high 75-100, medium 50-74, low 0-49. L11243-11259: only Almaty oblast is in
    # the red zone although Astana scored 49.73, so the bands apply to whole points.
    assert methodology.zone_of(49.73) == "medium"
    assert methodology.zone_of(49.49) == "low"
    assert methodology.zone_of(74.5) == "high"
    assert methodology.zone_of(74.49) == "medium"
    assert methodology.zone_of(0.0) == "low"
    assert methodology.zone_of(100.0) == "high"
    assert methodology.zone_of(None) is None
    assert methodology.available_normalisations() == ("minmax", "zscore")


def test_test_methodology_weights_and_zones_without_rounding() -> None:
    methodology = load_methodology(TESTDATA / "methodology.yaml")
    np.testing.assert_allclose(methodology.indicator_weights(), [0.75, 0.25, 0.5, 0.5])
    np.testing.assert_allclose(methodology.domain_weights(), [0.5, 0.5])
    assert methodology.polarities().tolist() == [1, -1, 1, 1]
    assert methodology.zone_of(49.73) == "low"  # zones.round: null
    assert methodology.zone_of(75.0) == "high"
    assert methodology.available_normalisations() == ("minmax", "zscore", "goalposts", "distance_to_target")
    assert methodology.national.method == "weighted"
    assert methodology.national.weight_indicator == "child_population"


# --- refusals ----------------------------------------------------------------------------------


def test_unknown_keys_are_refused_where_they_are() -> None:
    data = base()
    data["weigths"] = 1
    data["indicators"][0]["weigth"] = 2
    data["missing"]["minimum"] = 0.5
    errors = errors_of(data)
    assert any(e.startswith("methodology: unknown key(s) weigths") for e in errors)
    assert any(e.startswith("indicators[0]: unknown key(s) weigth") for e in errors)
    assert any(e.startswith("missing: unknown key(s) minimum") for e in errors)


@pytest.mark.parametrize("weight", [0, -1, "two", True, float("inf")])
def test_weights_must_be_positive_numbers(weight: Any) -> None:
    data = base()
    data["indicators"][1]["weight"] = weight
    data["domains"][0]["weight"] = weight
    errors = errors_of(data)
    assert any(e.startswith("indicators[under5_mortality].weight:") for e in errors)
    assert any(e.startswith("domains[child].weight:") for e in errors)


def test_indicator_in_an_unknown_domain() -> None:
    data = base()
    data["indicators"][2]["domain"] = "famly"
    errors = errors_of(data)
    assert "indicators[books_at_home].domain: unknown domain 'famly' (domains: child, family)" in errors


def test_duplicate_codes() -> None:
    data = base()
    data["indicators"][3]["code"] = "books_at_home"
    data["domains"].append(copy.deepcopy(data["domains"][0]))
    errors = errors_of(data)
    assert "indicators[books_at_home]: duplicate indicator code 'books_at_home'" in errors
    assert "domains[child]: duplicate domain code 'child'" in errors


def test_unknown_methods() -> None:
    data = base()
    data["normalisation"] = "min-max"
    data["aggregation"] = "harmonic"
    data["missing"]["rule"] = "impute"
    data["national"] = {"method": "median"}
    errors = errors_of(data)
    assert (
        "normalisation: unknown value 'min-max' (expected one of: minmax, goalposts, zscore, distance_to_target)"
        in errors
    )
    assert "aggregation: unknown value 'harmonic' (expected one of: arithmetic, geometric)" in errors
    assert "missing.rule: unknown value 'impute' (expected one of: skip, zero, mean)" in errors
    assert "national.method: unknown value 'median' (expected one of: mean, weighted, national_row)" in errors


def test_polarity_goalposts_and_targets() -> None:
    data = base()
    data["indicators"][0]["polarity"] = 2
    data["indicators"][1]["goalposts"] = {"min": 20, "max": 0}
    data["indicators"][2].pop("goalposts")
    data["indicators"][3]["target"] = 0
    data["normalisation"] = "goalposts"
    errors = errors_of(data)
    assert "indicators[life_satisfaction].polarity: must be 1 (more is better) or -1 (less is better), got 2" in errors
    assert "indicators[under5_mortality].goalposts: min (20) must be below max (0)" in errors
    assert "indicators[books_at_home]: normalisation 'goalposts' needs goalposts {min, max}" in errors

    data = base()
    data["normalisation"] = "distance_to_target"
    data["indicators"][3]["target"] = 0
    data["indicators"][2].pop("target")
    errors = errors_of(data)
    assert "indicators[talks_with_parents].target: must be positive for distance to target, got 0" in errors
    assert "indicators[books_at_home]: normalisation 'distance_to_target' needs a target" in errors


def test_zones_must_cover_zero_to_hundred_without_duplicates() -> None:
    data = base()
    data["zones"]["bands"] = [
        {"code": "high", "min": 75, "names": {"kk": "a", "ru": "b", "en": "c"}},
        {"code": "high", "min": 75, "names": {"kk": "a", "ru": "b", "en": "c"}},
        {"code": "top", "min": 120, "names": {"kk": "a", "ru": "b", "en": "c"}},
    ]
    data["zones"]["round"] = -1
    errors = errors_of(data)
    assert "zones.bands[1]: duplicate zone code 'high'" in errors
    assert "zones.bands[1].min: two zones start at 75" in errors
    assert "zones.bands[2].min: must be in [0, 100), got 120" in errors
    assert "zones.bands: the lowest zone must start at 0 so that every score has a zone" in errors
    assert "zones.round: must be null or a number of decimals >= 0, got -1" in errors


def test_names_codes_shares_and_national_weight() -> None:
    data = base()
    del data["domains"][1]["names"]["ru"]
    data["indicators"][0]["code"] = "Life satisfaction"
    data["missing"]["min_indicator_share"] = 1.5
    data["national"] = {"method": "weighted"}
    errors = errors_of(data)
    assert "domains[family].names: missing required key 'ru'" in errors
    slug = "indicators[0].code: code 'Life satisfaction' must be a lower-case ASCII slug"
    assert any(e.startswith(slug) for e in errors)
    assert "missing.min_indicator_share: must be a share in (0, 1], got 1.5" in errors
    assert "national: method 'weighted' needs a weight_indicator (e.g. the child population)" in errors

    data = base()
    data["national"] = {"method": "weighted", "weight_indicator": "books_at_home"}
    assert errors_of(data) == ["national.weight_indicator: 'books_at_home' is an index indicator; use a separate code"]


def test_domain_without_indicators_and_empty_lists() -> None:
    data = base()
    data["indicators"] = [ind for ind in data["indicators"] if ind["domain"] == "child"]
    assert errors_of(data) == ["domains[family]: has no indicators"]
    assert "indicators: expected a non-empty list of indicators" in errors_of({**base(), "indicators": []})
    assert errors_of([1, 2]) == [
        "methodology: expected a mapping, got list",
        "domains: expected a non-empty list of domains",
        "indicators: expected a non-empty list of indicators",
    ]


def test_sensitivity_section() -> None:
    data = base()
    data["sensitivity"] = {"draws": 0, "concentration": -1, "normalisations": ["minmax", "pca"], "seed": "x"}
    errors = errors_of(data)
    assert "sensitivity.draws: must be a whole number >= 1, got 0" in errors
    assert "sensitivity.concentration: must be positive, got -1" in errors
    assert any(e.startswith("sensitivity.normalisations[1]: unknown value 'pca'") for e in errors)
    assert "sensitivity.seed: must be a whole number >= 0, got 'x'" in errors


def test_version_must_be_one() -> None:
    assert errors_of({**base(), "version": 2}) == ["version: unsupported version 2 (this engine reads version 1)"]


def test_yaml_file_errors(tmp_path: Path) -> None:
    duplicate = tmp_path / "dup.yaml"
    duplicate.write_text("code: a\nnormalisation: minmax\nnormalisation: zscore\n", encoding="utf-8")
    with pytest.raises(MethodologyError) as excinfo:
        load_methodology(duplicate)
    assert "duplicate key 'normalisation' (first on line 2)" in str(excinfo.value)
    assert "line 3" in str(excinfo.value)

    broken = tmp_path / "broken.yaml"
    broken.write_text("domains: [\n", encoding="utf-8")
    with pytest.raises(MethodologyError, match="not valid YAML"):
        load_methodology(broken)

    with pytest.raises(MethodologyError, match="cannot read the file"):
        load_methodology(tmp_path / "absent.yaml")
