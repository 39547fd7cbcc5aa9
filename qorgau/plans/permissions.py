"""Who may do what with plans (registered with ``core.roles.grant``; see docs/plans.md).

Plans are public government documents: every plan role reads them. Ministry analysts import, review,
correct and activate plans and see every report; plan executors report on the measures their agency
executes (scope: their organisation; the lead executor also sees its co-executors' reports).
"""

from core.roles import Role, grant

_READ = {"plan.view", "plansection.view", "targetindicator.view", "measure.view", "measureexecutor.view"}
_READ |= {"measurefunding.view"}
_MANAGE = {
    "plan.add",
    "plan.change",
    "plan.activate",
    "plansection.add",
    "targetindicator.add",
    "targetindicator.change",
    "measure.add",
    "measure.change",
    "measureexecutor.add",
    "measureexecutor.change",
    "measureexecutor.delete",
    "measurefunding.add",
}
_REPORT = {
    "measurereport.view",
    "measurereport.add",
    "measurereport.change",
    "reportdocument.view",
    "reportdocument.add",
}

grant(Role.ANALYST, _READ | _MANAGE | {"measurereport.view", "reportdocument.view", "plan.monitor"})
grant(Role.PLAN_EXECUTOR, _READ | _REPORT)
