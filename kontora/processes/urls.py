"""Business processes: setup (views/setup.py), journal and start (views/runs.py), progress (views/progress.py)."""

from django.urls import path

from kontora.processes.views import progress, runs, setup

app_name = "processes"
urlpatterns: list = [
    path("processes/setup/", setup.setup, name="setup"),
    path("processes/setup/new/", setup.process_new, name="process_new"),
    path("processes/setup/<int:pk>/", setup.process, name="process"),
    path("processes/setup/<int:pk>/edit/", setup.process_edit, name="process_edit"),
    path("processes/setup/<int:pk>/delete/", setup.process_delete, name="process_delete"),
    path("processes/setup/<int:pk>/stages/new/", setup.stage_new, name="stage_new"),
    path("processes/setup/stages/<int:stage_pk>/", setup.stage_edit, name="stage_edit"),
    path("processes/setup/stages/<int:stage_pk>/delete/", setup.stage_delete, name="stage_delete"),
    path("processes/setup/stages/<int:stage_pk>/results/new/", setup.result_new, name="result_new"),
    path("processes/setup/results/<int:result_pk>/", setup.result_edit, name="result_edit"),
    path("processes/setup/results/<int:result_pk>/delete/", setup.result_delete, name="result_delete"),
    path("processes/<int:pk>/", progress.run_view, name="run"),
    path("processes/<int:pk>/protocol/print/", progress.run_print, name="run_print"),
    path("processes/<int:pk>/delete/", progress.run_delete, name="run_delete"),
    path("processes/", runs.journal, name="journal"),
    path("processes/start/", runs.start, name="start"),
    path("processes/monitor/", runs.monitor, name="monitor"),
]
