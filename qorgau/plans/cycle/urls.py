"""URLs of the reporting cycle, included inside the ``plans`` namespace (reverse them as ``plans:…``)."""

from django.urls import path

from plans.cycle import views

urlpatterns = [
    path("plans/reports/", views.ReportListView.as_view(), name="report-list"),
    path("plans/reports/start/", views.ReportStartView.as_view(), name="report-start"),
    path("plans/reports/<uuid:uuid>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("plans/reports/<uuid:uuid>/edit/", views.ReportEditView.as_view(), name="report-edit"),
    path("plans/reports/<uuid:uuid>/submit/", views.ReportSubmitView.as_view(), name="report-submit"),
    path("plans/reports/<uuid:uuid>/consolidate/", views.ReportConsolidateView.as_view(), name="report-consolidate"),
    path("plans/reports/<uuid:uuid>/documents/", views.ReportDocumentAddView.as_view(), name="report-document-add"),
    path("plans/report-documents/<uuid:uuid>/", views.ReportDocumentDownloadView.as_view(), name="report-document"),
    path("plans/monitoring/", views.MonitoringIndexView.as_view(), name="monitoring"),
    path("plans/monitoring/<uuid:uuid>/", views.PlanMonitoringView.as_view(), name="monitoring-plan"),
    path("plans/monitoring/<uuid:uuid>/summary.docx", views.SummaryDocxView.as_view(), name="monitoring-docx"),
    path("plans/monitoring/<uuid:uuid>/summary.xlsx", views.SummaryXlsxView.as_view(), name="monitoring-xlsx"),
    path("plans/targets/<uuid:uuid>/", views.TargetProgressView.as_view(), name="targets"),
    path("plans/target-indicators/<uuid:uuid>/actual/", views.ActualValueView.as_view(), name="targets-actual"),
]
