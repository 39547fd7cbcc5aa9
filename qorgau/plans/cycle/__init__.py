"""The reporting cycle of active plans: executors' reports, the Ministry's monitoring, target progress.

See docs/plans-reporting.md. ``register_menu`` is called from the plans app's ``ready``.
"""

from django.utils.translation import gettext_lazy as _


def register_menu() -> None:
    """Menu entries of the reporting cycle: executors see their reports, analysts the monitoring."""
    from core.context_processors import add_menu

    add_menu("measurereport.add", "plans:report-list", _("Plan reports"))
    add_menu("plan.monitor", "plans:monitoring", _("Plan monitoring"))
