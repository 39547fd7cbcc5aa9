"""Register the cases viewsets on the shared API router."""

from api.router import router
from cases.api import views

router.register("cases/cases", views.CaseViewSet)
router.register("cases/tasks", views.TaskViewSet)
router.register("cases/documents", views.AttachmentViewSet)
router.register("cases/referrals", views.ReferralViewSet)
