"""Populated places from the official classifier (issue 13, item 11; DIR-03): an administrator's OKTMO file imported
as a job — places added with their region and district, updated on a second run without duplicates, bad rows
reported with their line numbers, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kontora.core.models import AuditEvent, Job
from kontora.directories.data import settlements as shipped
from kontora.directories.data.oktmo import region_code
from kontora.directories.models import Settlement
from kontora.directories.selectors.settlements import settlement_search
from kontora.directories.services.oktmo import oktmo_parse
from tests.directories.oktmo import EXTRACT, oktmo_file, row, run_oktmo_import

pytestmark = [pytest.mark.django_db, pytest.mark.feature("DIR-03")]


def _place(name: str) -> Settlement:
    return Settlement.objects.select_related("region").get(name=name)


def test_the_import_adds_villages_with_their_region_and_district(admin_user: Any,
                                                                 django_capture_on_commit_callbacks: Any) -> None:
    # given an extract of the classifier, and the directory as shipped
    before = Settlement.objects.count()
    kazan = Settlement.objects.get(name="Казань")
    # when the administrator imports it
    job = run_oktmo_import(admin_user, oktmo_file(EXTRACT), django_capture_on_commit_callbacks)
    # then its three villages are added with region, district and type; Казань (the same code) is not doubled
    assert job.status == Job.Status.DONE, job.message
    assert Settlement.objects.count() == before + 3
    village = _place("Безголосово")
    assert (village.kind, village.region.name, village.area, village.oktmo) == (
        "с", "Алтайский край", "Алейский муниципальный район", "01601402101")
    assert _place("Горки Ленинские").region.name == "Московская область"
    assert _place("Вольный").region.name == "Алтайский край"
    assert Settlement.objects.filter(name="Казань").get().pk == kazan.pk
    # and the pickers find them by any word
    assert [place.name for place in settlement_search("ленинские")] == ["Горки Ленинские"]
    assert [place.name for place in settlement_search("безголос")] == ["Безголосово"]
    assert job.result["summary"] == ("Населённых пунктов в файле: 5; добавлено: 3; изменено: 0; регионов, которых "
                                     "нет в справочнике: 1; пропущено строк: 0.")
    row_ = AuditEvent.objects.get(event="directories.settlement.import")
    assert (row_.actor_id, row_.extra["created"]) == (admin_user.pk, 3)


def test_a_second_import_updates_by_code_without_duplicates(admin_user: Any,
                                                           django_capture_on_commit_callbacks: Any) -> None:
    # given the extract imported once
    run_oktmo_import(admin_user, oktmo_file(EXTRACT), django_capture_on_commit_callbacks)
    after_first = Settlement.objects.count()
    # when a later edition renames a village and is imported again
    renamed = [line.replace("п Вольный", "п Вольный Ключ") for line in EXTRACT]
    job = run_oktmo_import(admin_user, oktmo_file(renamed, encoding="utf-8"), django_capture_on_commit_callbacks)
    # then nothing is added, the village keeps its record under the new name, and the search follows it
    assert job.status == Job.Status.DONE, job.message
    assert Settlement.objects.count() == after_first
    assert Settlement.objects.get(oktmo="01601402106").name == "Вольный Ключ"
    assert job.result["summary"].startswith("Населённых пунктов в файле: 5; добавлено: 0; изменено: 1;")
    assert "Вольный Ключ" in [place.name for place in settlement_search("ключ")]


def test_bad_rows_are_skipped_and_reported_with_their_line_numbers(admin_user: Any,
                                                                  django_capture_on_commit_callbacks: Any) -> None:
    # given an extract with a mistyped code (line 3), a short row (line 5) and a place without a name (line 6)
    lines = [*EXTRACT[:2], row("01 6O1 402 111", 2, "с Плохое"), EXTRACT[5], '"01";"601";"402"',
             row("01 601 402 116", 2, ""), EXTRACT[6]]
    # when
    job = run_oktmo_import(admin_user, oktmo_file(lines), django_capture_on_commit_callbacks)
    # then the good rows are imported and each bad one is named with its line
    assert job.status == Job.Status.DONE, job.message
    assert job.errors == [
        "Строка 3: «01;6O1;402;111» — не код ОКТМО (2, 3, 3 и 3 цифры)",
        "Строка 5: ожидалось не меньше 7 полей, разделённых «;», а их 3",
        "Строка 6: наименование пустое",
    ]
    assert Settlement.objects.filter(oktmo__in=["01601402101", "01601402106"]).count() == 2
    assert not Settlement.objects.filter(name="Плохое").exists()


def test_a_file_that_is_not_the_classifier_is_refused_before_it_is_kept(admin_user: Any) -> None:
    # given a CSV of something else, and (the control) the extract
    from io import BytesIO

    from kontora.directories.services.oktmo import settlements_import_start

    other = "ИНН;Наименование\r\n7707083893;ПАО Сбербанк\r\n".encode("windows-1251")
    # when / then
    with pytest.raises(ValidationError) as refused:
        settlements_import_start(acting_user=admin_user, upload=BytesIO(other), filename="clients.csv")
    assert refused.value.messages[0].startswith("Это не файл ОКТМО в том виде, в каком его публикует Росстат")
    assert not Job.objects.exists()
    assert settlements_import_start(acting_user=admin_user, upload=BytesIO(oktmo_file(EXTRACT)), filename="a.csv")


def test_the_type_is_told_from_the_name_and_a_header_line_is_skipped() -> None:
    # given a header line some exports add, and places of several types
    text = "\n".join(["Код1;Код2;Код3;Код4;КЧ;Раздел;Наименование",
                      row("01 601 402 111", 2, "ж/д_ст Алейская"), row("01 601 402 121", 2, "Заимка Новая")])
    # when
    parsed = oktmo_parse(text)
    # then
    assert parsed.bad == []
    assert [(p.kind, p.name) for p in parsed.places.values()] == [("ж/д_ст", "Алейская"), ("", "Заимка Новая")]


def test_every_shipped_place_lies_in_the_region_its_oktmo_code_names() -> None:
    # given the shipped places with a code / when each code is read / then it names the place's own region
    wrong = [(place["name"], place["oktmo"], place["region"]) for place in shipped.settlements()
             if place["oktmo"] and region_code(place["oktmo"]) != place["region"]]
    assert wrong == []


def test_a_run_taken_over_after_a_batch_applies_the_rest_once(admin_user: Any, monkeypatch: Any) -> None:
    # given an import kept for its job, in batches of two, whose first run loses the job after one batch committed
    from io import BytesIO

    from kontora.core.services.jobs import JobLost
    from kontora.directories.services import oktmo

    monkeypatch.setattr(oktmo, "BATCH_SIZE", 2)
    before = Settlement.objects.count()
    job = oktmo.settlements_import_start(acting_user=admin_user, upload=BytesIO(oktmo_file(EXTRACT)), filename="a.csv")
    saved: list[dict[str, Any]] = []

    def lost_at_the_second(state: dict[str, Any]) -> None:
        saved.append(state)
        if len(saved) == 2:
            raise JobLost  # the second batch's transaction rolls back with its checkpoint

    with pytest.raises(JobLost):
        oktmo.settlements_import(acting_user=admin_user, file=job.params["file"], progress=lambda *a: None,
                                 checkpoint=lost_at_the_second)
    assert Settlement.objects.count() == before + 2
    # when the run that took the job over goes on from the last committed checkpoint
    done = oktmo.settlements_import(acting_user=admin_user, file=job.params["file"], progress=lambda *a: None,
                                    resume=saved[0])
    # then every place is there once, and the counts add up over both runs
    assert Settlement.objects.count() == before + 3
    assert (done.created, done.updated, done.total) == (3, 0, 5)
