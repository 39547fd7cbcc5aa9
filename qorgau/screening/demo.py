"""Screening demo data: campaigns in every state, with results, alerts and a follow-up group.

Called by ``manage.py seed_demo`` (small scale) after the core demo. In the showcase region every
school's grades 5–11 take the autumn campaign (ASQ, PHQ-A, GAD-7, bullying): most parents consented,
some refused, some have not answered; most consenting students finished online or on paper, some are
half-way. Answers are drawn from plausible distributions and scored by the real engine and risk rule,
so the dashboards, the risk lists and the alerts show what a real campaign would.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import audit
from core.demo import SHOWCASE_REGION
from core.models import Child, Organisation, OrganisationKind, User
from screening import actions
from screening.engine import instrument_for
from screening.instruments import Instrument
from screening.models import Answer, Campaign, FollowUpGroup, InstrumentVersion, Participant, Response
from screening.risk import default_rule

CODES = ("asq", "phq_a", "gad7", "bullying")
# Probability of each option of a 0–3 symptom item, and of a "yes" to an ASQ item.
SYMPTOM = [0.68, 0.22, 0.07, 0.03]
ITEM_9_ANY = 0.04  # "thoughts that you would be better off dead": rarer than the other symptoms
BULLYING = [0.8, 0.11, 0.05, 0.025, 0.015]
ASQ_YES = 0.008


def _answers(inst: Instrument, rnd: random.Random, load: float) -> dict[str, Any]:
    """Plausible answers; ``load`` (0–1) makes a student's symptoms cluster, as they do."""
    answers: dict[str, Any] = {}
    for code in inst.question_codes():
        if inst.code == "asq":
            if code == "asq5":
                continue
            answers[code] = 1 if rnd.random() < ASQ_YES * (1 + 4 * load) else 0
        elif inst.code == "bullying":
            answers[code] = rnd.choices(range(5), BULLYING)[0]
        elif code == "phq9":
            answers[code] = rnd.choices([1, 2, 3], [6, 3, 1])[0] if rnd.random() < ITEM_9_ANY * (1 + 4 * load) else 0
        else:
            weights = [w * (1 - load) if i == 0 else w * (1 + 2 * load) for i, w in enumerate(SYMPTOM)]
            answers[code] = rnd.choices(range(4), weights)[0]
    if inst.code == "asq" and "asq5" in inst.relevant_codes(answers):
        answers["asq5"] = 1 if rnd.random() < 0.15 else 0
    return answers


def seed_demo(scale: str, seed: int) -> dict[str, int]:
    if scale != "small":
        return {}
    rnd = random.Random(seed + 2)
    found = [InstrumentVersion.objects.filter(code=c).order_by("-created_at").first() for c in CODES]
    versions = [v for v in found if v is not None]
    if len(versions) != len(CODES):
        return {}
    region = Organisation.objects.get(kind=OrganisationKind.REGION, region__pcode=SHOWCASE_REGION)
    cpp = User.objects.filter(assignments__role="cpp_specialist", assignments__organisation=region).first()
    today = timezone.localdate()
    with audit.system_context("seed_demo screening"), transaction.atomic():
        campaign = Campaign.objects.create(
            organisation=region,
            title="Күзгі скрининг / Осенний скрининг 2026",
            starts_on=today - dt.timedelta(days=10),
            ends_on=today + dt.timedelta(days=20),
            status=Campaign.Status.OPEN,
            risk_rule=default_rule().to_dict(),
            created_by=cpp,
        )
        for i, v in enumerate(versions):
            campaign.campaign_instruments.create(instrument=v, position=i)
        children = Child.objects.filter(organisation__path__startswith=region.path)
        children = children.filter(class_name__regex=r"^\s*(5|6|7|8|9|10|11)(\D|$)")
        actions.add_participants(campaign, children)
        counts = _results(campaign, versions, rnd)
        draft = Campaign.objects.create(
            organisation=region,
            title="Көктемгі скрининг / Весенний скрининг 2027",
            starts_on=today + dt.timedelta(days=120),
            ends_on=today + dt.timedelta(days=134),
            risk_rule=default_rule().to_dict(),
            created_by=cpp,
        )
        for i, v in enumerate(v for v in versions if v.code in ("phq_a", "gad7")):
            draft.campaign_instruments.create(instrument=v, position=i)
    return counts


def _results(campaign: Campaign, versions: list[InstrumentVersion], rnd: random.Random) -> dict[str, int]:
    instruments = [instrument_for(v) for v in versions]
    rule = default_rule()
    now = timezone.now()
    participants = list(campaign.participants.all())
    updated: list[Participant] = []
    responses: list[Response] = []
    partial: list[tuple[Participant, dict[str, Any]]] = []
    for p in participants:
        draw = rnd.random()
        if draw < 0.05:
            p.consent, p.status = Participant.Consent.REFUSED, Participant.Status.REFUSED
        elif draw < 0.12:
            p.consent, p.status = Participant.Consent.UNKNOWN, Participant.Status.AWAITING_CONSENT
        else:
            p.consent, p.status = Participant.Consent.GRANTED, Participant.Status.READY
            stage = rnd.random()
            if stage < 0.8:
                load = rnd.random() ** 3
                scores = {}
                for v, inst in zip(versions, instruments, strict=True):
                    answers = _answers(inst, rnd, load)
                    score = inst.score(answers)
                    scores[inst.code] = score
                    r = Response(participant=p, instrument=v, completed_at=now)
                    actions._store_score(r, answers, score)
                    responses.append(r)
                result = rule.evaluate(scores)
                p.status, p.mode = (
                    Participant.Status.COMPLETED,
                    (Participant.Mode.PAPER if rnd.random() < 0.2 else Participant.Mode.ONLINE),
                )
                p.started_at = p.completed_at = now - dt.timedelta(days=rnd.randint(0, 9))
                p.risk_level, p.risk_rule, p.risk_fired = result.level, result.rule, list(result.fired)
                p.flags = sorted({f for s in scores.values() for f in s.flags})
            elif stage < 0.9:
                p.status, p.mode, p.started_at = Participant.Status.IN_PROGRESS, Participant.Mode.ONLINE, now
                partial.append((p, _answers(instruments[0], rnd, 0.1)))
        updated.append(p)
    Participant.objects.bulk_update(
        updated,
        ["consent", "status", "mode", "started_at", "completed_at", "risk_level", "risk_rule", "risk_fired", "flags"],
    )
    Response.objects.bulk_create(responses)
    for p, answers in partial:
        started = Response.objects.bulk_create([Response(participant=p, instrument=v) for v in versions])
        Answer.objects.bulk_create(
            Answer(response=started[0], item=k, value=v, answered_at=now) for k, v in list(answers.items())[:2]
        )
    alerts = 0
    for p in updated:
        if p.status == Participant.Status.COMPLETED and actions.raise_alert(p):
            alerts += 1
    at_risk = [p for p in updated if p.risk_level in ("moderate", "low") and "bullied" in p.flags]
    if at_risk:
        school = at_risk[0].school_id
        group = FollowUpGroup.objects.create(
            school_id=school,
            campaign=campaign,
            name="Буллинг: қолдау тобы / группа поддержки",
            purpose="Students who report being bullied monthly or weekly.",
        )
        group.members.add(*[p for p in at_risk if p.school_id == school][:8])
    return {"participants": len(updated), "responses": len(responses), "alerts": alerts}
