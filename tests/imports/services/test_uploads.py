"""The kept upload's life (IMP-01): an import not yet written deleted with its rows and file — not while a job of
it runs, not the file a load again of it still needs —, and the hourly clean-up letting go of the files of imports
left untouched past the retention, never one an import in use names."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from kontora.core.errors import Refused
from kontora.core.models import AuditEvent, StoredPurge
from kontora.imports.models import Import, ImportRow
from kontora.imports.services import uploads
from kontora.imports.services.loading import import_load
from kontora.imports.services.uploads import import_delete, import_uploads_expire
from tests.imports.support import csv_upload, importer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english"), pytest.mark.feature("IMP-01")]

ROWS = [["ООО «Альфа»", "Альфа", "", "", "", "", ""], ["ООО «Бета»", "Бета", "", "", "", "", ""]]


def _loaded(user: Any, upload: str, days_ago: int = 0) -> Import:
    run = import_load(acting_user=user, source=csv_upload(ROWS), filename="clients.csv", upload=upload)
    if days_ago:
        Import.objects.filter(pk=run.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_ago))
    return run


def test_a_loaded_import_is_deleted_with_its_rows_and_its_file_is_let_go():
    # given
    user = importer()
    run = _loaded(user, "imports/import-a.csv")
    # when
    import_delete(acting_user=user, import_id=run.pk)
    # then
    assert not Import.objects.exists() and not ImportRow.objects.exists()
    assert list(StoredPurge.objects.values_list("name", flat=True)) == ["imports/import-a.csv"]
    audit = AuditEvent.objects.get(event="imports.import.delete")
    assert (audit.target_id, audit.actor_id) == (run.pk, user.pk)


def test_the_dropped_import_of_a_load_again_goes_but_the_file_the_new_one_reads_stays():
    # given an import dropped by a load again of the same file
    user = importer()
    old = _loaded(user, "imports/import-a.csv")
    Import.objects.filter(pk=old.pk).update(state=Import.State.CANCELLED)
    new = _loaded(user, "imports/import-a.csv")
    # when the dropped one is deleted
    import_delete(acting_user=user, import_id=old.pk)
    # then the new one keeps its file
    new.refresh_from_db()
    assert new.upload == "imports/import-a.csv" and not StoredPurge.objects.exists()
    assert list(Import.objects.all()) == [new]


def test_deleting_is_refused_once_written_while_checked_and_to_another_user():
    user = importer()
    run = _loaded(user, "imports/import-a.csv")
    with pytest.raises(Refused, match="being loaded again or checked"):
        Import.objects.filter(pk=run.pk).update(state=Import.State.CHECKING)
        import_delete(acting_user=user, import_id=run.pk)
    Import.objects.filter(pk=run.pk).update(state=Import.State.DONE, started_at=timezone.now())
    with pytest.raises(Refused, match="it can no longer be deleted, only undone"):
        import_delete(acting_user=user, import_id=run.pk)
    assert ImportRow.objects.filter(run=run).count() == 2 and not StoredPurge.objects.exists()


def test_deleting_is_refused_while_a_load_again_of_it_is_queued():
    user = importer()
    run = _loaded(user, "imports/import-a.csv")
    uploads.import_reload_start(acting_user=user, run=run, choices={})
    with pytest.raises(Refused, match="being loaded again or checked"):
        import_delete(acting_user=user, import_id=run.pk)
    assert Import.objects.filter(pk=run.pk, state=Import.State.LOADED).exists()


def test_the_clean_up_lets_go_of_the_files_of_imports_untouched_past_the_retention(settings):
    # given an idle import, a fresh one, and an old one whose file a fresh load again reads
    settings.IMPORT_UPLOAD_KEEP_DAYS = 7
    user = importer()
    idle = _loaded(user, "imports/import-idle.csv", days_ago=8)
    fresh = _loaded(user, "imports/import-fresh.csv", days_ago=6)
    dropped = _loaded(user, "imports/import-shared.csv", days_ago=30)
    Import.objects.filter(pk=dropped.pk).update(state=Import.State.CANCELLED)
    again = _loaded(user, "imports/import-shared.csv", days_ago=1)
    # when
    removed = import_uploads_expire()
    # then only the idle import's file goes; the import stays, with its rows, to be checked and written
    assert removed == 1
    assert list(StoredPurge.objects.values_list("name", flat=True)) == ["imports/import-idle.csv"]
    assert dict(Import.objects.values_list("pk", "upload")) == {
        idle.pk: "", fresh.pk: "imports/import-fresh.csv", dropped.pk: "imports/import-shared.csv",
        again.pk: "imports/import-shared.csv"}
    assert ImportRow.objects.filter(run=idle).count() == 2
    assert AuditEvent.objects.filter(event="imports.import.upload_expire", target_id=idle.pk).count() == 1
    # and half a day later the rest of them is kept still; past the retention everything goes
    assert import_uploads_expire(now=timezone.now() + datetime.timedelta(hours=12)) == 0
    assert import_uploads_expire(now=timezone.now() + datetime.timedelta(days=9)) == 2
    assert not Import.objects.exclude(upload="").exists()
