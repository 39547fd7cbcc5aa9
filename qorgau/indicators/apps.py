from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.context_processors import add_menu
        from indicators import permissions  # noqa: F401  (capabilities)

        add_menu("indicator.view", "indicators:indicator-list", _("Indicators"))
        add_menu("importbatch.view", "indicators:import-list", _("Indicator imports"))
