"""The API root: each module registers its viewsets on the shared router."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from api.router import router
from cases.api import urls as cases_api_urls  # noqa: F401  (registers the cases viewsets)
from core.api import urls as core_api_urls  # noqa: F401  (registers the core viewsets)
from indicators.api import urls as indicators_api_urls  # noqa: F401  (registers the indicators viewsets)
from plans.api import urls as plans_api_urls  # noqa: F401  (registers the plans viewsets)
from plans.cycle import api as plans_cycle_api  # noqa: F401  (registers the reporting-cycle viewsets)
from screening.api import urls as screening_api_urls  # noqa: F401  (registers the screening viewsets)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI sets one inline style; the docs page (no personal data) alone may use inline styles.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include(router.urls)),
]
