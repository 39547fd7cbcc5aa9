from django.urls import path

from indicators import views, views_index

app_name = "indicators"

urlpatterns = [
    path("indicators/", views.IndicatorListView.as_view(), name="indicator-list"),
    path("indicators/new/", views.IndicatorCreateView.as_view(), name="indicator-create"),
    path("indicators/table/", views.RegionTableView.as_view(), name="region-table"),
    path("indicators/index/", views_index.IndexView.as_view(), name="index"),
    path("indicators/report/", views_index.ReportView.as_view(), name="report"),
    path("indicators/export.csv", views.export_csv, name="export-csv"),
    path("indicators/values/new/", views.value_create, name="value-create"),
    path("indicators/values/<uuid:uuid>/correct/", views.ValueUpdateView.as_view(), name="value-correct"),
    path("indicators/imports/", views.ImportListView.as_view(), name="import-list"),
    path("indicators/imports/new/", views.import_create, name="import-create"),
    path("indicators/imports/template.csv", views.import_template, name="import-template"),
    path("indicators/imports/<uuid:uuid>/", views.ImportDetailView.as_view(), name="import-detail"),
    path("indicators/<uuid:uuid>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
    path("indicators/<uuid:uuid>/map/", views_index.IndicatorMapView.as_view(), name="indicator-map"),
    path("indicators/<uuid:uuid>/edit/", views.IndicatorUpdateView.as_view(), name="indicator-edit"),
    path("indicators/<uuid:uuid>/compute/", views.IndicatorComputeView.as_view(), name="indicator-compute"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data.csv", views.open_data_csv, name="open-data-csv"),
]
