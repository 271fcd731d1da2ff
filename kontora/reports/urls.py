"""Reports: each report's page (its parameters, the result on screen) and its files."""

from django.urls import path

from kontora.reports.views import reports

app_name = "reports"

urlpatterns = [
    path("open/", reports.open_saved, name="open"),
    path("client-summary/", reports.client_summary, name="client_summary"),
    path("edited/", reports.edited_report, name="edited"),
    path("files/<int:job_id>/", reports.job_file, name="job_file"),
    path("<slug:slug>/", reports.report, name="report"),
    path("<slug:slug>/file/", reports.report_job, name="report_job"),
]
