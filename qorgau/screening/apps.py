from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = _("Screening")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.context_processors import add_menu
        from screening import events, permissions  # noqa: F401  (capabilities; the risk_identified receivers)

        add_menu("campaign.view", "screening:campaign-list", _("Screening"))
        add_menu("riskalert.view", "screening:alert-list", _("Risk alerts"))
