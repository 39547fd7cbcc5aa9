from django.urls import include, path

from plans import views

app_name = "plans"

urlpatterns = [
    path("plans/", views.PlanListView.as_view(), name="plan-list"),
    path("plans/import/", views.plan_import, name="plan-import"),
    path("plans/<uuid:uuid>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<uuid:uuid>/activate/", views.PlanActivateView.as_view(), name="plan-activate"),
    path("plans/measures/<uuid:uuid>/review/", views.MeasureReviewView.as_view(), name="measure-review"),
    path("", include("plans.cycle.urls")),  # the reporting cycle
]
