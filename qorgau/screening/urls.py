from django.urls import path

from screening import student, views

app_name = "screening"

urlpatterns = [
    path("screening/instruments/", views.InstrumentListView.as_view(), name="instrument-list"),
    path("screening/instruments/import/", views.instrument_import, name="instrument-import"),
    path("screening/instruments/<uuid:uuid>/", views.InstrumentDetailView.as_view(), name="instrument-detail"),
    path("screening/campaigns/", views.CampaignListView.as_view(), name="campaign-list"),
    path("screening/campaigns/new/", views.campaign_create, name="campaign-create"),
    path("screening/campaigns/<uuid:uuid>/", views.CampaignDetailView.as_view(), name="campaign-detail"),
    path("screening/campaigns/<uuid:uuid>/status/", views.CampaignStatusView.as_view(), name="campaign-status"),
    path("screening/campaigns/<uuid:uuid>/consent/", views.CampaignConsentView.as_view(), name="campaign-consent"),
    path("screening/campaigns/<uuid:uuid>/codes/", views.CampaignCodesView.as_view(), name="campaign-codes"),
    path("screening/campaigns/<uuid:uuid>/paper/", views.PaperImportView.as_view(), name="paper-import"),
    path("screening/campaigns/<uuid:uuid>/paper/template/", views.PaperTemplateView.as_view(), name="paper-template"),
    path("screening/results/", views.RiskListView.as_view(), name="risk-list"),
    path("screening/participants/<uuid:uuid>/", views.ParticipantDetailView.as_view(), name="participant-detail"),
    path("screening/alerts/", views.AlertListView.as_view(), name="alert-list"),
    path("screening/alerts/<uuid:uuid>/", views.AlertDetailView.as_view(), name="alert-detail"),
    path("screening/groups/", views.GroupListView.as_view(), name="group-list"),
    path("screening/groups/new/", views.GroupCreateView.as_view(), name="group-create"),
    path("screening/groups/<uuid:uuid>/", views.GroupDetailView.as_view(), name="group-detail"),
    # The student's side: no account, a one-time code (see screening/student.py).
    path("s/", student.start, name="student-start"),
    path("s/survey/", student.survey, name="student-survey"),
    path("s/answer/", student.answer, name="student-answer"),
    path("s/next/", student.next_part, name="student-next"),
    path("s/done/", student.done, name="student-done"),
]
