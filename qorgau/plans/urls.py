"""URLs of the plans module (a minimal version from the reporting-cycle branch; the plan pages' branch
replaces it and keeps the ``include`` of the cycle's URLs)."""

from django.urls import include, path

from plans.cycle import views as cycle_views

app_name = "plans"

urlpatterns = [
    # Placeholder for the plan list of the plan pages' branch (the menu entry of apps.py names it).
    path("plans/", cycle_views.MonitoringIndexView.as_view(), name="plan-list"),
    path("", include("plans.cycle.urls")),
]
