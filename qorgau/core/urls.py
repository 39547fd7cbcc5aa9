from django.urls import path

from core.views import pages

app_name = "core"

urlpatterns = [
    path("organisations/", pages.OrganisationTreeView.as_view(), name="organisation-tree"),
    path("organisations/<uuid:uuid>/", pages.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("organisations/<uuid:uuid>/branches/", pages.OrganisationBranchesView.as_view(), name="organisation-branches"),
    path("children/", pages.ChildListView.as_view(), name="child-list"),
    path("children/new/", pages.ChildCreateView.as_view(), name="child-create"),
    path("children/import/", pages.child_import, name="child-import"),
    path("children/import/template.csv", pages.child_import_template, name="child-import-template"),
    path("children/<uuid:uuid>/", pages.ChildDetailView.as_view(), name="child-detail"),
    path("children/<uuid:uuid>/edit/", pages.ChildUpdateView.as_view(), name="child-edit"),
    path(
        "children/<uuid:uuid>/representatives/new/",
        pages.RepresentativeCreateView.as_view(),
        name="representative-create",
    ),
    path("children/<uuid:uuid>/consents/new/", pages.ConsentCreateView.as_view(), name="consent-create"),
    path("representatives/<uuid:uuid>/edit/", pages.RepresentativeUpdateView.as_view(), name="representative-edit"),
    path("audit/", pages.AuditListView.as_view(), name="audit-list"),
    path("notifications/", pages.NotificationListView.as_view(), name="notification-list"),
    path("notifications/<uuid:uuid>/open/", pages.NotificationOpenView.as_view(), name="notification-open"),
    path("me/", pages.profile, name="profile"),
    path("me/token/", pages.profile_token, name="profile-token"),
]
