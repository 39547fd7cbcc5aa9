from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cases import permissions, receivers  # noqa: F401  (capabilities; consumes risk_identified)
        from core.context_processors import add_menu

        add_menu("case.view", "cases:case-list", _("Cases"))
        add_menu("casetask.view", "cases:task-list", _("My tasks"))
