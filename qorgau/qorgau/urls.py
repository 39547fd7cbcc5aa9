"""Root URL configuration. Each module mounts its own urls; the API lives under /api/v1/."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from core.views import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/catalog.js", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("core.urls")),
    path("", include("screening.urls")),
    path("", include("cases.urls")),
    path("", include("plans.urls")),
    path("api/v1/", include("api.urls")),
]
