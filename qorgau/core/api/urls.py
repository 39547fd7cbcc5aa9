"""Register the core viewsets on the shared API router."""

from api.router import router
from core.api import views

router.register("regions", views.RegionViewSet)
router.register("districts", views.DistrictViewSet)
router.register("agencies", views.AgencyViewSet)
router.register("organisations", views.OrganisationViewSet)
router.register("children", views.ChildViewSet)
router.register("representatives", views.LegalRepresentativeViewSet)
router.register("consents", views.ConsentViewSet)
router.register("audit", views.AuditEntryViewSet)
router.register("me", views.MeViewSet, basename="me")
