"""Who may do what with cases (registered with ``core.roles.grant``; see docs/cases.md).

Every case role works on the cases of its own organisation (and, for regional roles, the subtree);
an organisation reached by an accepted referral works on that case only (``Case.extra_scope``).
Confidential notes are read only by psychologists, the psychological support centre and case managers.
"""

from core.roles import Role, grant

_WORK = {
    "case.view",
    "case.add",
    "case.change",
    "casechild.view",
    "caseevent.view",
    "casetask.view",
    "casetask.change",
    "caseplanitem.view",
    "caseplanitem.add",
    "caseplanitem.change",
    "casenote.view",
    "casenote.add",
    "attachment.view",
    "attachment.add",
    "councildecision.view",
    "councildecision.add",
    "referral.view",
    "referral.add",
    "referral.change",
}
_CONFIDENTIAL = {"casenote.view_confidential"}
_SUPERVISE = {"case.approve"}

grant(Role.PSYCHOLOGIST, _WORK | _CONFIDENTIAL)
grant(Role.SOCIAL_PEDAGOGUE, _WORK)
grant(Role.DIRECTOR, _WORK | _SUPERVISE)
grant(Role.CPP_SPECIALIST, _WORK | _CONFIDENTIAL)
grant(Role.CASE_MANAGER, _WORK | _CONFIDENTIAL | _SUPERVISE)
for role in (Role.HEALTH, Role.POLICE, Role.GUARDIANSHIP, Role.FAMILY_SUPPORT):
    grant(role, _WORK)
