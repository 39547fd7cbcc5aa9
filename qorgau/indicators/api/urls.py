"""Register the indicators viewsets on the shared API router."""

from api.router import router
from indicators.api import views

router.register("indicators/indicators", views.IndicatorViewSet)
router.register("indicators/values", views.IndicatorValueViewSet)
router.register("indicators/imports", views.ImportBatchViewSet)
router.register("indicators/index", views.WellbeingIndexViewSet, basename="indicators-index")
