from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Plans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.context_processors import add_menu
        from plans import permissions  # noqa: F401  (capabilities)
        from plans.cycle import register_menu

        add_menu("plan.view", "plans:plan-list", _("Plans"))
        register_menu()
