"""Screening models: instruments, campaigns, participants, responses, alerts and groups."""

from screening.models.campaigns import Campaign, CampaignInstrument, Participant
from screening.models.instruments import InstrumentVersion
from screening.models.responses import Answer, FollowUpGroup, Response, RiskAlert

__all__ = [
    "Answer",
    "Campaign",
    "CampaignInstrument",
    "FollowUpGroup",
    "InstrumentVersion",
    "Participant",
    "Response",
    "RiskAlert",
]
