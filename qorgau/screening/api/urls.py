"""Register the screening viewsets on the shared API router."""

from api.router import router
from screening.api import views

router.register("screening/instruments", views.InstrumentVersionViewSet)
router.register("screening/campaigns", views.CampaignViewSet)
router.register("screening/participants", views.ParticipantViewSet)
router.register("screening/responses", views.ResponseViewSet)
router.register("screening/alerts", views.RiskAlertViewSet)
router.register("screening/groups", views.FollowUpGroupViewSet)
