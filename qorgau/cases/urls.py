from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/new/", views.case_create, name="case-create"),
    path("cases/statistics/", views.statistics, name="statistics"),
    path("cases/tasks/", views.TaskListView.as_view(), name="task-list"),
    path("cases/referrals/", views.ReferralListView.as_view(), name="referral-list"),
    path("cases/referrals/<uuid:uuid>/decide/", views.ReferralDecideView.as_view(), name="referral-decide"),
    path("cases/tasks/<uuid:uuid>/complete/", views.TaskCompleteView.as_view(), name="task-complete"),
    path("cases/documents/<uuid:uuid>/", views.AttachmentDownloadView.as_view(), name="attachment-download"),
    path("cases/<uuid:uuid>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<uuid:uuid>/status/", views.StatusView.as_view(), name="case-status"),
    path("cases/<uuid:uuid>/closure/", views.ClosureRequestView.as_view(), name="case-closure"),
    path("cases/<uuid:uuid>/approve/", views.ClosureApproveView.as_view(), name="case-approve"),
    path("cases/<uuid:uuid>/reopen/", views.ReopenView.as_view(), name="case-reopen"),
    path("cases/<uuid:uuid>/notes/", views.NoteView.as_view(), name="case-note"),
    path("cases/<uuid:uuid>/documents/", views.AttachmentUploadView.as_view(), name="case-attachment"),
    path("cases/<uuid:uuid>/council/", views.CouncilView.as_view(), name="case-council"),
    path("cases/<uuid:uuid>/plan/", views.PlanItemView.as_view(), name="case-plan"),
    path("cases/<uuid:uuid>/refer/", views.ReferView.as_view(), name="case-refer"),
]
