"""Who may do what in screening (registered with ``core.roles.grant``; see docs/permissions.md).

Answers (``response``) are the most sensitive data of the module: only psychologists and the
psychological support centre read them. Directors and case managers see risk levels and alerts, not
answers. Analysts see instruments, campaigns and suppressed aggregates, never a child.
"""

from core.roles import Role, grant

_INSTRUMENTS = {"instrumentversion.view"}
_CAMPAIGN_RUN = {"campaign.view", "campaign.add", "campaign.change", "participant.view", "participant.change"}
_RESULTS = {"response.view", "riskalert.view", "riskalert.change"}
_GROUPS = {"followupgroup.view", "followupgroup.add", "followupgroup.change"}

grant(Role.PSYCHOLOGIST, _INSTRUMENTS | _CAMPAIGN_RUN | _RESULTS | _GROUPS)
grant(Role.CPP_SPECIALIST, _INSTRUMENTS | {"instrumentversion.add"} | _CAMPAIGN_RUN | _RESULTS | _GROUPS)
grant(Role.SOCIAL_PEDAGOGUE, _INSTRUMENTS | {"campaign.view", "participant.view", "participant.change"} | _GROUPS)
grant(Role.DIRECTOR, _INSTRUMENTS | {"campaign.view", "participant.view", "riskalert.view", "followupgroup.view"})
grant(Role.CASE_MANAGER, _INSTRUMENTS | {"campaign.view", "participant.view", "riskalert.view"})
grant(Role.ANALYST, _INSTRUMENTS | {"campaign.view"})
