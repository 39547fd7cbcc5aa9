"""The child well-being index methodology as data (SPEC §2.6): loading and strict validation.

A methodology is a YAML file (``indicators/data/methodology/default.yaml`` is the default) that says
which domains and indicators make up the index, how raw values become 0–100 scores and how the
scores are aggregated. Nothing about the methodology lives in code: the engine only reads the
:class:`Methodology` this module builds.

Validation is strict because a silently ignored typo ("weigth: 2") changes published rankings:
unknown keys, missing names, non-positive weights, duplicate codes, an indicator in an unknown
domain, unknown normalisation or aggregation methods and inconsistent zones are all refused, and
every problem found is reported at once (:class:`MethodologyError`), each with its place in the file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "methodology"
DEFAULT_METHODOLOGY = DATA_DIR / "default.yaml"

NORMALISATIONS = ("minmax", "goalposts", "zscore", "distance_to_target")
AGGREGATIONS = ("arithmetic", "geometric")
MISSING_RULES = ("skip", "zero", "mean")
NATIONAL_METHODS = ("mean", "weighted", "national_row")
LANGS = ("kk", "ru", "en")

# Zones of the 2022 report (002 L11239-11241): high 75–100, medium 50–74, low 0–49.
DEFAULT_ZONES: tuple[dict[str, Any], ...] = (
    {"code": "high", "min": 75, "names": {"kk": "жоғары", "ru": "высокий", "en": "high"}},
    {"code": "medium", "min": 50, "names": {"kk": "орташа", "ru": "средний", "en": "medium"}},
    {"code": "low", "min": 0, "names": {"kk": "төмен", "ru": "низкий", "en": "low"}},
)

_CODE_RE = re.compile(r"[a-z][a-z0-9_]*")

_TOP_KEYS = {
    "version",
    "code",
    "names",
    "description",
    "normalisation",
    "aggregation",
    "geometric_floor",
    "missing",
    "zones",
    "national",
    "domains",
    "indicators",
    "sensitivity",
}
_DOMAIN_KEYS = {"code", "names", "weight", "description"}
_INDICATOR_KEYS = {"code", "names", "domain", "polarity", "weight", "goalposts", "target", "unit", "source"}
_MISSING_KEYS = {"rule", "min_indicator_share", "min_domain_share"}
_ZONES_KEYS = {"round", "bands"}
_ZONE_KEYS = {"code", "min", "names"}
_NATIONAL_KEYS = {"method", "weight_indicator"}
_SENSITIVITY_KEYS = {"draws", "concentration", "normalisations", "seed"}


class MethodologyError(ValueError):
    """A methodology file or mapping that cannot be used; ``errors`` lists every problem found."""

    def __init__(self, source: str, errors: list[str]) -> None:
        self.source = source
        self.errors = errors
        super().__init__(f"{source}: invalid methodology:\n" + "\n".join(f"  - {e}" for e in errors))


@dataclass(frozen=True)
class Names:
    """A label in the three languages of the system."""

    kk: str
    ru: str
    en: str


@dataclass(frozen=True)
class Domain:
    """A domain ("direction", бағыт) of the index with its weight among the domains."""

    code: str
    names: Names
    weight: float


@dataclass(frozen=True)
class Indicator:
    """One indicator: its domain, polarity (+1: more is better, -1: less is better) and weight in its
    domain; ``goalposts`` (low, high) and ``target`` are needed only by the normalisations using them."""

    code: str
    names: Names
    domain: str
    polarity: int
    weight: float
    goalposts: tuple[float, float] | None = None
    target: float | None = None
    unit: str = ""
    source: str = ""


@dataclass(frozen=True)
class Zone:
    """A band of scores: a score belongs to the zone with the largest ``minimum`` not above it."""

    code: str
    minimum: float
    names: Names


@dataclass(frozen=True)
class MissingRule:
    """What a missing value does.

    ``skip``: the weighted mean is taken over the indicators present (weights re-normalised); a
    domain needs at least ``min_indicator_share`` of its indicator weight present, the index at least
    ``min_domain_share`` of the domain weight. ``zero``: a missing value scores 0. ``mean``: a missing
    raw value is replaced by the mean of the regions that have one (before normalisation).
    """

    rule: str = "skip"
    min_indicator_share: float = 0.5
    min_domain_share: float = 1.0


@dataclass(frozen=True)
class NationalRule:
    """How the national figure is made: ``mean`` of the regions' scores, ``weighted`` by the values of
    ``weight_indicator`` in the data (e.g. the child population), or ``national_row``: the index of
    the country's own row of data, normalised with the regions' parameters."""

    method: str = "mean"
    weight_indicator: str | None = None


@dataclass(frozen=True)
class SensitivitySpec:
    """Defaults of the Monte Carlo sensitivity analysis (see ``sensitivity.py``)."""

    draws: int = 1000
    concentration: float = 50.0
    normalisations: tuple[str, ...] = ()
    seed: int = 0


@dataclass(frozen=True)
class Methodology:
    """A validated methodology. Weights are kept as written; the engine normalises them."""

    code: str
    names: Names
    domains: tuple[Domain, ...]
    indicators: tuple[Indicator, ...]
    normalisation: str = "minmax"
    aggregation: str = "arithmetic"
    geometric_floor: float = 1.0
    missing: MissingRule = field(default_factory=MissingRule)
    zones: tuple[Zone, ...] = ()
    zone_rounding: int | None = None
    national: NationalRule = field(default_factory=NationalRule)
    sensitivity: SensitivitySpec = field(default_factory=SensitivitySpec)
    source: str = "<mapping>"

    @cached_property
    def indicator_codes(self) -> tuple[str, ...]:
        """Indicator codes in file order (the column order of every engine matrix)."""
        return tuple(ind.code for ind in self.indicators)

    @cached_property
    def domain_codes(self) -> tuple[str, ...]:
        """Domain codes in file order."""
        return tuple(dom.code for dom in self.domains)

    def domain_index(self) -> np.ndarray:
        """For each indicator, the position of its domain in :attr:`domains`."""
        position = {code: i for i, code in enumerate(self.domain_codes)}
        return np.array([position[ind.domain] for ind in self.indicators], dtype=np.intp)

    def indicator_weights(self) -> np.ndarray:
        """Indicator weights, each domain's summing to 1."""
        raw = np.array([ind.weight for ind in self.indicators], dtype=float)
        totals = np.bincount(self.domain_index(), weights=raw, minlength=len(self.domains))
        return raw / totals[self.domain_index()]

    def domain_weights(self) -> np.ndarray:
        """Domain weights summing to 1."""
        raw = np.array([dom.weight for dom in self.domains], dtype=float)
        return raw / raw.sum()

    def polarities(self) -> np.ndarray:
        """+1 / -1 per indicator."""
        return np.array([ind.polarity for ind in self.indicators], dtype=float)

    def available_normalisations(self) -> tuple[str, ...]:
        """Normalisations every indicator supports: goalposts and distance to target need every
        indicator to carry goalposts or a target."""
        found = ["minmax", "zscore"]
        if all(ind.goalposts is not None for ind in self.indicators):
            found.append("goalposts")
        if all(ind.target is not None for ind in self.indicators):
            found.append("distance_to_target")
        return tuple(found)

    def zone_of(self, score: float | None) -> str | None:
        """The zone code of ``score`` (None for a missing score). With ``zone_rounding`` k the score
        is first rounded half-up to k decimals, so 49.73 is "medium" with k = 0 (the report's
        integer bands 50–74, 0–49), "low" without rounding."""
        if score is None or not math.isfinite(score):
            return None
        if self.zone_rounding is not None:
            scale = 10.0**self.zone_rounding
            score = math.floor(score * scale + 0.5) / scale
        for zone in self.zones:  # sorted by descending minimum
            if score >= zone.minimum:
                return zone.code
        return self.zones[-1].code  # a score below 0 cannot come out of the engine; be safe

    def replace(self, **changes: Any) -> Methodology:
        """A copy with some fields changed (e.g. another normalisation for a sensitivity run)."""
        return replace(self, **changes)


# --- YAML loading --------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses duplicate keys: PyYAML would silently keep the last one."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key] + 1})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_methodology(path: str | Path | None = None) -> Methodology:
    """Load and validate a methodology YAML file (the default one when ``path`` is None).

    Raises :class:`MethodologyError` listing every problem, or for an unreadable / non-YAML file.
    """
    path = Path(path) if path is not None else DEFAULT_METHODOLOGY
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MethodologyError(str(path), [f"cannot read the file: {exc}"]) from exc
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise MethodologyError(str(path), [f"not valid YAML: {exc}"]) from exc
    return parse_methodology(data, source=str(path))


def parse_methodology(data: Any, *, source: str = "<mapping>") -> Methodology:
    """Validate a methodology given as a mapping (the parsed YAML) and build a :class:`Methodology`."""
    return _Parser(source).parse(data)


class _Parser:
    """Walks the mapping once, collecting every error with its location instead of stopping at the first."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[str] = []

    # -- small checkers; each returns a usable value (or None) and records an error otherwise --

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def mapping(self, value: Any, where: str, allowed: set[str], required: tuple[str, ...] = ()) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            self.error(where, f"expected a mapping, got {type(value).__name__}")
            return {}
        unknown = sorted(str(k) for k in value if k not in allowed)
        if unknown:
            self.error(where, f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")
        for key in required:
            if key not in value:
                self.error(where, f"missing required key {key!r}")
        return {k: v for k, v in value.items() if k in allowed}

    def number(self, value: Any, where: str, *, positive: bool = False, minimum: float | None = None) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.error(where, f"expected a number, got {value!r}")
            return None
        if positive and value <= 0:
            self.error(where, f"must be positive, got {value!r}")
            return None
        if minimum is not None and value < minimum:
            self.error(where, f"must be at least {minimum}, got {value!r}")
            return None
        return float(value)

    def share(self, value: Any, where: str) -> float | None:
        number = self.number(value, where)
        if number is not None and not 0 < number <= 1:
            self.error(where, f"must be a share in (0, 1], got {value!r}")
            return None
        return number

    def code(self, value: Any, where: str) -> str | None:
        if not isinstance(value, str) or not _CODE_RE.fullmatch(value):
            self.error(where, f"code {value!r} must be a lower-case ASCII slug (a-z, 0-9, _; starting with a letter)")
            return None
        return value

    def choice(self, value: Any, where: str, choices: tuple[str, ...]) -> str | None:
        if value not in choices:
            self.error(where, f"unknown value {value!r} (expected one of: {', '.join(choices)})")
            return None
        return str(value)

    def names(self, value: Any, where: str) -> Names:
        found = self.mapping(value, where, set(LANGS), LANGS)
        texts = {}
        for lang in LANGS:
            text = found.get(lang)
            if lang in found and (not isinstance(text, str) or not text.strip()):
                self.error(f"{where}.{lang}", "must be a non-empty text")
            texts[lang] = text.strip() if isinstance(text, str) else ""
        return Names(**texts)

    def text(self, value: Any, where: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            self.error(where, f"expected a text, got {value!r}")
            return ""
        return value.strip()

    # -- sections --

    def parse(self, data: Any) -> Methodology:
        top = self.mapping(data, "methodology", _TOP_KEYS, ("domains", "indicators"))
        if "version" in top and top["version"] != 1:
            self.error("version", f"unsupported version {top['version']!r} (this engine reads version 1)")
        code = self.code(top.get("code", "custom"), "code") or "custom"
        names = self.names(top["names"], "names") if "names" in top else Names(code, code, code)
        self.text(top.get("description"), "description")
        normalisation = self.choice(top.get("normalisation", "minmax"), "normalisation", NORMALISATIONS)
        aggregation = self.choice(top.get("aggregation", "arithmetic"), "aggregation", AGGREGATIONS)
        floor = self.number(top.get("geometric_floor", 1.0), "geometric_floor", positive=True)
        if floor is not None and floor >= 100:
            self.error("geometric_floor", f"must be below 100, got {floor!r}")
        domains = self.domains(top.get("domains"))
        indicators = self.indicators(top.get("indicators"), {d.code for d in domains})
        for dom in domains:
            if not any(ind.domain == dom.code for ind in indicators):
                self.error(f"domains[{dom.code}]", "has no indicators")
        missing = self.missing(top.get("missing", {}))
        zones, rounding = self.zones(top.get("zones", {}))
        national = self.national(top.get("national", {}), {ind.code for ind in indicators})
        self.check_normalisation_needs(normalisation, indicators)
        sensitivity = self.sensitivity(top.get("sensitivity", {}), indicators)
        if self.errors:
            raise MethodologyError(self.source, self.errors)
        assert normalisation is not None and aggregation is not None and floor is not None
        return Methodology(
            code=code,
            names=names,
            domains=tuple(domains),
            indicators=tuple(indicators),
            normalisation=normalisation,
            aggregation=aggregation,
            geometric_floor=floor,
            missing=missing,
            zones=zones,
            zone_rounding=rounding,
            national=national,
            sensitivity=sensitivity,
            source=self.source,
        )

    def domains(self, value: Any) -> list[Domain]:
        if not isinstance(value, list) or not value:
            self.error("domains", "expected a non-empty list of domains")
            return []
        found: list[Domain] = []
        seen: set[str] = set()
        for i, item in enumerate(value):
            where = f"domains[{i}]"
            entry = self.mapping(item, where, _DOMAIN_KEYS, ("code", "names"))
            code = self.code(entry.get("code"), f"{where}.code") if "code" in entry else None
            if code is not None:
                where = f"domains[{code}]"
                if code in seen:
                    self.error(where, f"duplicate domain code {code!r}")
                seen.add(code)
            names = self.names(entry["names"], f"{where}.names") if "names" in entry else Names("", "", "")
            weight = self.number(entry.get("weight", 1), f"{where}.weight", positive=True)
            self.text(entry.get("description"), f"{where}.description")
            if code is not None and weight is not None:
                found.append(Domain(code, names, weight))
        return found

    def indicators(self, value: Any, domain_codes: set[str]) -> list[Indicator]:
        if not isinstance(value, list) or not value:
            self.error("indicators", "expected a non-empty list of indicators")
            return []
        found: list[Indicator] = []
        seen: set[str] = set()
        for i, item in enumerate(value):
            where = f"indicators[{i}]"
            entry = self.mapping(item, where, _INDICATOR_KEYS, ("code", "names", "domain", "polarity"))
            code = self.code(entry.get("code"), f"{where}.code") if "code" in entry else None
            if code is not None:
                where = f"indicators[{code}]"
                if code in seen:
                    self.error(where, f"duplicate indicator code {code!r}")
                if code in domain_codes:
                    self.error(where, f"code {code!r} is also a domain code")
                seen.add(code)
            names = self.names(entry["names"], f"{where}.names") if "names" in entry else Names("", "", "")
            domain = entry.get("domain")
            if "domain" in entry and domain not in domain_codes:
                self.error(f"{where}.domain", f"unknown domain {domain!r} (domains: {', '.join(sorted(domain_codes))})")
            polarity = entry.get("polarity")
            if "polarity" in entry and (isinstance(polarity, bool) or polarity not in (1, -1)):
                self.error(f"{where}.polarity", f"must be 1 (more is better) or -1 (less is better), got {polarity!r}")
            weight = self.number(entry.get("weight", 1), f"{where}.weight", positive=True)
            goalposts = self.goalposts(entry["goalposts"], f"{where}.goalposts") if "goalposts" in entry else None
            target = self.number(entry["target"], f"{where}.target") if "target" in entry else None
            unit = self.text(entry.get("unit"), f"{where}.unit")
            source = self.text(entry.get("source"), f"{where}.source")
            if code is not None and domain in domain_codes and polarity in (1, -1) and weight is not None:
                found.append(
                    Indicator(code, names, str(domain), int(polarity), weight, goalposts, target, unit, source)
                )
        return found

    def goalposts(self, value: Any, where: str) -> tuple[float, float] | None:
        entry = self.mapping(value, where, {"min", "max"}, ("min", "max"))
        low = self.number(entry.get("min"), f"{where}.min") if "min" in entry else None
        high = self.number(entry.get("max"), f"{where}.max") if "max" in entry else None
        if low is None or high is None:
            return None
        if low >= high:
            self.error(where, f"min ({low:g}) must be below max ({high:g})")
            return None
        return (low, high)

    def missing(self, value: Any) -> MissingRule:
        entry = self.mapping(value, "missing", _MISSING_KEYS)
        rule = self.choice(entry.get("rule", "skip"), "missing.rule", MISSING_RULES) or "skip"
        ind_share = self.share(entry.get("min_indicator_share", 0.5), "missing.min_indicator_share")
        dom_share = self.share(entry.get("min_domain_share", 1.0), "missing.min_domain_share")
        return MissingRule(rule, ind_share or 0.5, dom_share or 1.0)

    def zones(self, value: Any) -> tuple[tuple[Zone, ...], int | None]:
        entry = self.mapping(value, "zones", _ZONES_KEYS)
        rounding = entry.get("round")
        if rounding is not None and (isinstance(rounding, bool) or not isinstance(rounding, int) or rounding < 0):
            self.error("zones.round", f"must be null or a number of decimals >= 0, got {rounding!r}")
            rounding = None
        bands = entry.get("bands", list(DEFAULT_ZONES))
        if not isinstance(bands, list) or not bands:
            self.error("zones.bands", "expected a non-empty list of zones")
            return (), rounding
        found: list[Zone] = []
        codes: set[str] = set()
        minima: set[float] = set()
        for i, item in enumerate(bands):
            where = f"zones.bands[{i}]"
            band = self.mapping(item, where, _ZONE_KEYS, ("code", "min", "names"))
            code = self.code(band.get("code"), f"{where}.code") if "code" in band else None
            minimum = self.number(band.get("min"), f"{where}.min") if "min" in band else None
            names = self.names(band["names"], f"{where}.names") if "names" in band else Names("", "", "")
            if code in codes:
                self.error(where, f"duplicate zone code {code!r}")
            if minimum is not None and not 0 <= minimum < 100:
                self.error(f"{where}.min", f"must be in [0, 100), got {minimum:g}")
            elif minimum in minima:
                self.error(f"{where}.min", f"two zones start at {minimum:g}")
            if code is not None and minimum is not None:
                codes.add(code)
                minima.add(minimum)
                found.append(Zone(code, minimum, names))
        if found and min(z.minimum for z in found) != 0:
            self.error("zones.bands", "the lowest zone must start at 0 so that every score has a zone")
        return tuple(sorted(found, key=lambda z: -z.minimum)), rounding

    def national(self, value: Any, indicator_codes: set[str]) -> NationalRule:
        entry = self.mapping(value, "national", _NATIONAL_KEYS)
        method = self.choice(entry.get("method", "mean"), "national.method", NATIONAL_METHODS) or "mean"
        weight = entry.get("weight_indicator")
        if method == "weighted":
            if weight is None:
                self.error("national", "method 'weighted' needs a weight_indicator (e.g. the child population)")
            elif self.code(weight, "national.weight_indicator") and weight in indicator_codes:
                self.error("national.weight_indicator", f"{weight!r} is an index indicator; use a separate code")
        elif weight is not None:
            self.error("national.weight_indicator", f"only used with method 'weighted', not {method!r}")
            weight = None
        return NationalRule(method, weight)

    def check_normalisation_needs(self, normalisation: str | None, indicators: list[Indicator]) -> None:
        if normalisation == "goalposts":
            for ind in indicators:
                if ind.goalposts is None:
                    self.error(f"indicators[{ind.code}]", "normalisation 'goalposts' needs goalposts {min, max}")
        if normalisation == "distance_to_target":
            for ind in indicators:
                if ind.target is None:
                    self.error(f"indicators[{ind.code}]", "normalisation 'distance_to_target' needs a target")
                elif ind.target <= 0:
                    where = f"indicators[{ind.code}].target"
                    self.error(where, f"must be positive for distance to target, got {ind.target:g}")

    def sensitivity(self, value: Any, indicators: list[Indicator]) -> SensitivitySpec:
        entry = self.mapping(value, "sensitivity", _SENSITIVITY_KEYS)
        draws = entry.get("draws", 1000)
        if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
            self.error("sensitivity.draws", f"must be a whole number >= 1, got {draws!r}")
            draws = 1000
        concentration = self.number(entry.get("concentration", 50.0), "sensitivity.concentration", positive=True)
        seed = entry.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            self.error("sensitivity.seed", f"must be a whole number >= 0, got {seed!r}")
            seed = 0
        chosen = entry.get("normalisations")
        if chosen is None:
            return SensitivitySpec(draws, concentration or 50.0, (), seed)
        if not isinstance(chosen, list) or not chosen:
            self.error("sensitivity.normalisations", "expected a non-empty list")
            return SensitivitySpec(draws, concentration or 50.0, (), seed)
        for i, name in enumerate(chosen):
            if self.choice(name, f"sensitivity.normalisations[{i}]", NORMALISATIONS) is None:
                continue
            if name == "goalposts" and any(ind.goalposts is None for ind in indicators):
                self.error(f"sensitivity.normalisations[{i}]", "goalposts needs goalposts on every indicator")
            if name == "distance_to_target" and any(ind.target is None or ind.target <= 0 for ind in indicators):
                message = "distance_to_target needs a positive target on every indicator"
                self.error(f"sensitivity.normalisations[{i}]", message)
        if len(set(chosen)) != len(chosen):
            self.error("sensitivity.normalisations", "lists a normalisation twice")
        return SensitivitySpec(draws, concentration or 50.0, tuple(chosen), seed)
