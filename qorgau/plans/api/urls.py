"""Register the plans viewsets on the shared API router."""

from api.router import router
from plans.api import views

router.register("plans/plans", views.PlanViewSet)
router.register("plans/measures", views.MeasureViewSet)
