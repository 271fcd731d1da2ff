"""Business processes: setup (views/setup.py), journal and start (views/runs.py), progress (views/progress.py)."""

from django.urls import include, path

from kontora.processes.views import progress, runs, setup

app_name = "processes"
urlpatterns: list = [
    path("processes/setup/", include([
        path("", setup.setup, name="setup"),
        path("new/", setup.process_new, name="process_new"),
        path("<int:pk>/", include([
            path("", setup.process, name="process"),
            path("edit/", setup.process_edit, name="process_edit"),
            path("delete/", setup.process_delete, name="process_delete"),
            path("stages/new/", setup.stage_new, name="stage_new"),
        ])),
        path("stages/<int:stage_pk>/", include([
            path("", setup.stage_edit, name="stage_edit"),
            path("delete/", setup.stage_delete, name="stage_delete"),
            path("results/new/", setup.result_new, name="result_new"),
        ])),
        path("results/<int:result_pk>/", setup.result_edit, name="result_edit"),
        path("results/<int:result_pk>/delete/", setup.result_delete, name="result_delete"),
    ])),
    path("processes/<int:pk>/", include([
        path("", progress.run_view, name="run"),
        path("protocol/print/", progress.run_print, name="run_print"),
        path("delete/", progress.run_delete, name="run_delete"),
    ])),
    path("processes/", runs.journal, name="journal"),
    path("processes/start/", runs.start, name="start"),
    path("processes/monitor/", runs.monitor, name="monitor"),
    path("processes/client/<int:client_id>/", runs.card_runs, name="card_runs"),
]
