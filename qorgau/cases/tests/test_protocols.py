"""Response protocols as data: the shipped files, validation, filtering and due times (no database)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.utils import translation

from cases import protocols
from cases.calendar import TZ, parse_duration
from cases.protocols import (
    CATEGORIES,
    LANGUAGES,
    PROTOCOLS_DIR,
    RECORD_KINDS,
    ROLES,
    Protocol,
    ProtocolError,
    Responsible,
    get,
    load_protocol,
    load_protocols,
    protocol_for,
    step_due,
)
from core.reference import agency_records

SHIPPED = ("suicidal_intent", "suicide_attempt", "violence", "bullying", "cyberbullying", "difficult_life_situation")
OPENED = datetime(2026, 2, 13, 19, 30, tzinfo=TZ)  # a Friday evening


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def codes(steps) -> list[str]:
    return [step.code for step in steps]


# --- the shipped protocols ------------------------------------------------------------------


def test_the_six_protocols_load_and_validate():
    shipped = load_protocols()
    assert set(shipped) == set(SHIPPED)
    for code, protocol in shipped.items():
        assert protocol.code == code
        assert protocol.version == "2026.1"
        assert protocol.template is True
        assert protocol.source
        assert len(protocol.steps) >= 5


@pytest.mark.parametrize("code", SHIPPED)
def test_each_file_starts_by_saying_it_is_a_template(code):
    first_line = (PROTOCOLS_DIR / f"{code}.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# TEMPLATE - to be aligned with the approved")


@pytest.mark.parametrize("code", SHIPPED)
def test_every_text_exists_in_kazakh_russian_and_english(code):
    protocol = get(code)
    mappings = [protocol.title, protocol.description]
    for step in protocol.steps:
        mappings += [step.title, step.description, step.record.title]
    for mapping in mappings:
        assert set(mapping) == set(LANGUAGES)
        assert all(mapping[lang].strip() for lang in LANGUAGES)
        assert mapping["kk"] != mapping["en"] and mapping["ru"] != mapping["en"]


@pytest.mark.parametrize("code", SHIPPED)
def test_every_step_is_well_formed(code):
    agencies = {record["code"] for record in agency_records()}
    for step in get(code).steps:
        for who in (step.responsible, step.escalate_to):
            assert (who.role in ROLES) if who.role else (who.agency in agencies)
        assert step.responsible != step.escalate_to
        assert step.record.kind in RECORD_KINDS
        duration = parse_duration(step.due)
        if step.calendar == "working_days":
            assert duration.seconds == 0
        assert step.due_from in ("opening", "previous")
    assert get(code).steps[0].due_from == "opening"


def test_no_licensed_instrument_is_named():
    for path in PROTOCOLS_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8").lower()
        for name in ("c-ssrs", "columbia", "sdq"):
            assert name not in text, (path.name, name)


def test_deadlines_the_sources_and_spec_fix():
    violence = get("violence")
    assert (violence.step("police_report").due, violence.step("police_report").calendar) == ("PT24H", "24x7")
    bullying = get("bullying")
    assert bullying.step("prevention_council").responsible == Responsible(role="director")
    assert bullying.step("prevention_council").record.kind == "decision"
    cyber = get("cyberbullying")
    assert cyber.step("takedown_request").due == "PT24H"
    assert cyber.step("removal_check").due == "PT48H"
    suicidal = get("suicidal_intent")
    assert suicidal.step("immediate_safety").due == "PT1H"
    assert suicidal.step("emergency_medical_help").when == {"risk_level": ["acute"]}


@pytest.mark.parametrize("code", SHIPPED)
def test_json_round_trip_is_exact(code):
    protocol = get(code)
    stored = json.loads(json.dumps(protocol.to_json(), ensure_ascii=False))
    again = Protocol.from_json(stored)
    assert again == protocol
    assert again.to_json() == protocol.to_json()


def test_a_stored_protocol_keeps_retired_roles_and_agencies():
    stored = get("bullying").to_json()
    stored["steps"][0]["responsible"] = {"role": "retired_role"}
    stored["steps"][0]["escalate_to"] = {"agency": "retired_agency"}
    protocol = Protocol.from_json(stored)
    assert protocol.steps[0].responsible.label("en") == "retired_role"
    assert protocol.steps[0].escalate_to.label("en") == "retired_agency"


def test_from_json_refuses_what_is_not_a_stored_protocol():
    with pytest.raises(ProtocolError, match="Unknown stored protocol format"):
        Protocol.from_json({"code": "x"})
    stored = get("bullying").to_json()
    stored["steps"][0]["due"] = "P1M"
    with pytest.raises(ProtocolError, match="years or months"):
        Protocol.from_json(stored)


# --- filtering and due times ----------------------------------------------------------------


def test_steps_for_filters_by_risk_level():
    protocol = get("suicidal_intent")
    acute = codes(protocol.steps_for(category="suicide_risk", risk_level="acute"))
    high = codes(protocol.steps_for(category="suicide_risk", risk_level="high"))
    low = codes(protocol.steps_for(category="suicide_risk", risk_level="low"))
    unknown = codes(protocol.steps_for(category="suicide_risk", risk_level=None))
    assert "emergency_medical_help" in acute and "emergency_medical_help" not in high
    assert "psychiatric_consultation" in high and "psychiatric_consultation" not in low
    assert acute == codes(protocol.steps)  # every step applies at acute risk
    assert low == unknown == [s.code for s in protocol.steps if not s.when]
    assert acute[0] == "immediate_safety" and acute[-1] == "monitoring_review"  # protocol order kept


def test_steps_for_filters_by_category():
    protocol = get("violence")
    sexual = codes(protocol.steps_for(category="violence_sexual", risk_level="high"))
    psychological = codes(protocol.steps_for(category="violence_psychological", risk_level="high"))
    neglect = codes(protocol.steps_for(category="neglect", risk_level="moderate"))
    assert {"child_interview", "legal_aid", "medical_examination"} <= set(sexual)
    assert not {"child_interview", "legal_aid", "medical_examination"} & set(psychological)
    assert "medical_examination" in neglect and "legal_aid" not in neglect
    offence = codes(get("difficult_life_situation").steps_for(category="offence", risk_level="low"))
    dls = codes(get("difficult_life_situation").steps_for(category="difficult_life_situation", risk_level="low"))
    assert {"juvenile_inspector", "juvenile_commission"} <= set(offence)
    assert not {"juvenile_inspector", "juvenile_commission"} & set(dls)


def test_steps_for_refuses_unknown_values():
    protocol = get("bullying")
    with pytest.raises(ValueError, match="Unknown case category"):
        protocol.steps_for(category="burglary", risk_level="low")
    with pytest.raises(ValueError, match="Unknown risk level"):
        protocol.steps_for(category="bullying", risk_level="none")
    assert protocol.steps_for(category="bullying", risk_level="") == protocol.steps_for(
        category="bullying", risk_level=None
    )


def due_times(protocol: Protocol, category: str, risk_level: str) -> dict[str, datetime]:
    """What the engine does: each applicable step's due time, chaining "previous" steps."""
    result: dict[str, datetime] = {}
    previous = None
    for step in protocol.steps_for(category=category, risk_level=risk_level):
        previous = result[step.code] = step_due(step, opened_at=OPENED, previous_due=previous)
    return result


def test_due_times_of_an_acute_suicide_risk_opened_on_friday_evening():
    due = due_times(get("suicidal_intent"), "suicide_risk", "acute")
    assert due["immediate_safety"] == at(2026, 2, 13, 20, 30)  # 24x7: one hour, even on Friday night
    assert due["inform_parents"] == at(2026, 2, 13, 22, 30)
    assert due["risk_assessment"] == at(2026, 2, 16, 18, 0)  # working days: Monday 18:00
    assert due["safety_plan"] == at(2026, 2, 17, 18, 0)
    assert due["specialist_referral"] == at(2026, 2, 18, 18, 0)
    # due_from "previous": five working days after the referral's due date.
    assert due["psychiatric_consultation"] == at(2026, 2, 25, 18, 0)
    assert all(d.tzinfo == TZ for d in due.values())


def test_step_due_chains_from_the_previous_step():
    bullying = get("bullying")
    due = due_times(bullying, "bullying", "low")
    assert due["prevention_council"] == at(2026, 2, 20, 18, 0)  # 5 working days after Friday
    assert due["support_plan"] == at(2026, 2, 25, 18, 0)  # 3 working days after the council
    violence = get("violence")
    due = due_times(violence, "violence_physical", "high")
    assert due["police_response"] - due["police_report"] == timedelta(hours=24)
    assert due["protection_measures"] == at(2026, 2, 17, 18, 0)  # guardianship informed Mon, then +1


def test_step_due_falls_back_to_the_opening_without_a_previous_step():
    step = get("bullying").step("support_plan")
    assert step.due_from == "previous"
    assert step_due(step, opened_at=OPENED, previous_due=None) == at(2026, 2, 18, 18, 0)
    assert step_due(step, opened_at=OPENED, previous_due=at(2026, 3, 2, 18, 0)) == at(2026, 3, 5, 18, 0)


def test_step_due_of_an_opening_step_ignores_the_previous_due():
    step = get("bullying").step("talk_to_parents")
    assert step_due(step, opened_at=OPENED, previous_due=at(2026, 6, 1)) == at(2026, 2, 17, 18, 0)


# --- which protocol for a case --------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "code"),
    [
        ("suicide_risk", "suicidal_intent"),
        ("suicide_attempt", "suicide_attempt"),
        ("violence_physical", "violence"),
        ("violence_psychological", "violence"),
        ("violence_sexual", "violence"),
        ("neglect", "violence"),
        ("bullying", "bullying"),
        ("cyberbullying", "cyberbullying"),
        ("difficult_life_situation", "difficult_life_situation"),
        ("offence", "difficult_life_situation"),
    ],
)
def test_protocol_for_each_category(category, code):
    protocol = protocol_for(category)
    assert protocol is not None and protocol.code == code
    assert category in protocol.categories


def test_every_category_has_a_protocol_and_unknown_ones_are_refused():
    assert {category for category in CATEGORIES if protocol_for(category) is None} == set()
    with pytest.raises(ValueError, match="Unknown case category"):
        protocol_for("burglary")


def test_get_an_unknown_protocol():
    with pytest.raises(KeyError, match="Unknown protocol “nope”"):
        get("nope")


def test_load_protocols_returns_a_copy():
    load_protocols().pop("violence")
    assert "violence" in load_protocols()


# --- texts and labels -----------------------------------------------------------------------


def test_text_in_the_wanted_language_with_fallback():
    protocol = get("violence")
    assert protocol.text(protocol.title, "ru") == "Реагирование на насилие в отношении ребёнка"
    assert protocol.text({"ru": "Только русский", "kk": "Тек қазақша"}, "en") == "Только русский"
    assert protocol.text({"kk": "Тек қазақша"}, "ru") == "Тек қазақша"
    assert protocol.text({"en": "English", "ru": "Русский"}, "kk") == "English"
    with translation.override("ru"):
        assert protocol.text(protocol.title) == protocol.title["ru"]


def test_responsible_labels():
    assert Responsible(role="psychologist").label("en") == "School psychologist"
    assert (
        Responsible(agency="juvenile_commission").label("ru") == "Комиссии по делам несовершеннолетних и защите их прав"
    )
    assert Responsible(agency="culture_info").label("kk").startswith("Қазақстан Республикасының Мәдениет")
    with pytest.raises(ValueError):
        Responsible()
    with pytest.raises(ValueError):
        Responsible(role="police", agency="mvd")


# --- validation -----------------------------------------------------------------------------

GOOD = """
code: sample
version: "2026.1"
template: true
source: test
categories: [bullying]
title: {kk: Үлгі, ru: Образец, en: Sample}
description: {kk: Үлгі, ru: Образец, en: Sample}
steps:
  - code: first
    title: {kk: Бір, ru: Один, en: One}
    description: {kk: Бір, ru: Один, en: One}
    responsible: {role: psychologist}
    due: P1D
    calendar: working_days
    record: {kind: note, title: {kk: Жазба, ru: Запись, en: Note}}
    escalate_to: {role: director}
"""

BAD = """
code: Bad Code
version: 2026.1
template: yes please
source: ""
categories: [bullying, burglary]
title: {kk: Үлгі, ru: Образец}
description: {kk: Үлгі, ru: Образец, en: Sample, de: Muster}
colour: red
steps:
  - code: first
    title: {kk: Бір, ru: Один, en: One}
    description: {kk: Бір, ru: Один, en: One}
    responsible: {role: janitor}
    due: P1M
    due_from: previous
    calendar: working_days
    record: {kind: essay, title: {kk: Жазба, ru: Запись, en: Note}}
    escalate_to: {agency: ministry_of_magic}
  - code: first
    title: {kk: Екі, ru: Два, en: Two}
    description: {kk: Екі, ru: Два, en: Two}
    responsible: {role: psychologist}
    due: PT4H
    due_from: later
    calendar: working_days
    record: {kind: note, title: {kk: Жазба, ru: Запись, en: Note}, required: maybe}
    when: {risk_level: [extreme], category: [suicide_risk], weather: [rain]}
    escalate_to: {role: psychologist}
  - code: third
    title: {kk: Үш, ru: Три, en: Three}
    description: {kk: Үш, ru: Три}
    responsible: {role: police, agency: mvd}
    due: abc
    calendar: sometimes
    record: {kind: note, title: {kk: Жазба, ru: Запись, en: Note}}
"""


def test_a_good_minimal_protocol_loads_with_defaults():
    protocol = load_protocol(GOOD)
    step = protocol.steps[0]
    assert (step.due_from, step.when, step.record.required) == ("opening", {}, True)
    assert Protocol.from_json(protocol.to_json()) == protocol


def test_a_malformed_protocol_reports_every_problem():
    with pytest.raises(ProtocolError) as caught:
        load_protocol(BAD)
    messages = caught.value.messages
    expected = [
        "protocol: the code 'Bad Code'",  # not a slug
        "quoted text such as “2026.1”",  # version parsed as a number
        "“template” must be true or false",
        "“source” must name",
        "unknown case category 'burglary'",
        "“title” has no en text",
        "unknown language 'de'",
        "unknown key 'colour'",
        "unknown role 'janitor'",
        "unknown agency 'ministry_of_magic'",
        "years or months",  # P1M
        "first step cannot be due from the previous step",
        "unknown record kind 'essay'",
        "step code “first” is used twice",
        "working-days calendar counts whole days",  # PT4H on working days
        "“due_from” must be one of opening, previous, not 'later'",
        "“record.required” must be true or false",
        "unknown risk_level 'extreme'",
        "condition category “suicide_risk” is not one of the protocol's categories",
        "unknown condition 'weather'",
        "“escalate_to” is the responsible itself",
        "“description” has no en text",
        "either {role: …} or {agency: …}",  # both role and agency
        "not an ISO-8601 duration",  # abc
        "unknown calendar 'sometimes'",
        "the key “escalate_to” is missing",
    ]
    for fragment in expected:
        assert any(fragment in message for message in messages), (fragment, messages)
    assert len(messages) >= len(expected)
    assert str(caught.value) == "\n".join(messages)


def test_problems_name_the_step():
    with pytest.raises(ProtocolError) as caught:
        load_protocol(BAD)
    assert any(message.startswith("step 3 “third”:") for message in caught.value.messages)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code: [unclosed", "not valid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
        ("code: x\n", "the key “steps” is missing"),
        (GOOD.replace("steps:", "steps: []\nignored:").split("  - code: first")[0], "non-empty list of steps"),
    ],
)
def test_other_broken_documents(text, message):
    with pytest.raises(ProtocolError) as caught:
        load_protocol(text)
    assert any(message in m for m in caught.value.messages), caught.value.messages


def test_load_protocol_from_a_path_or_a_path_string(tmp_path: Path):
    path = tmp_path / "sample.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_protocol(path) == load_protocol(str(path)) == load_protocol(GOOD)
    with pytest.raises(ProtocolError, match="Cannot read the protocol file"):
        load_protocol(str(tmp_path / "missing.yaml"))


def test_the_shipped_loader_prefixes_problems_with_the_file_name(tmp_path: Path, monkeypatch):
    (tmp_path / "broken.yaml").write_text(GOOD.replace("P1D", "P1M"), encoding="utf-8")
    monkeypatch.setattr(protocols, "PROTOCOLS_DIR", tmp_path)
    protocols._shipped.cache_clear()
    try:
        with pytest.raises(ProtocolError) as caught:
            load_protocols()
        assert caught.value.messages[0].startswith("broken.yaml: step 1 “first”:")
    finally:
        monkeypatch.undo()
        protocols._shipped.cache_clear()
    assert set(load_protocols()) == set(SHIPPED)


def test_two_protocols_cannot_share_a_category(tmp_path: Path, monkeypatch):
    (tmp_path / "sample.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "other.yaml").write_text(GOOD.replace("code: sample", "code: other"), encoding="utf-8")
    monkeypatch.setattr(protocols, "PROTOCOLS_DIR", tmp_path)
    protocols._shipped.cache_clear()
    try:
        with pytest.raises(ProtocolError, match="already covered"):
            load_protocols()
    finally:
        monkeypatch.undo()
        protocols._shipped.cache_clear()
