"""Who may do what with indicators (registered with ``core.roles.grant``; see docs/indicators.md).

Indicators are aggregates without personal data: every staff role may read the catalogue and the
values. Ministry analysts keep the catalogue, import and enter values and see the imports with their
findings. The public sees only the open data page (published regional totals, small counts hidden),
which needs no capability.
"""

from core.roles import Role, grant

READ = {"indicator.view", "indicatorvalue.view"}
MANAGE = READ | {
    "indicator.add",
    "indicator.change",
    "indicatorvalue.add",
    "indicatorvalue.change",
    "importbatch.view",
    "importbatch.add",
    "validationfinding.view",
}

grant(Role.ANALYST, MANAGE)
for role in Role:
    if role not in (Role.ANALYST, Role.SYSTEM_ADMIN):
        grant(role, READ)
