"""Plain helpers of directories' tests: Bank of Russia BIK files (ED807) as the bank publishes them, item rows
made in bulk, the audit rows a service wrote."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.storage import default_storage

from kontora.core.models import AuditEvent, Job
from kontora.core.text import search_key
from kontora.directories.hooks import Directory
from kontora.directories.models import NomenclatureFolder, NomenclatureItem, Region
from kontora.directories.nomenclature.services import ItemData, nomenclature_folder_create, nomenclature_item_create
from kontora.directories.services.banks import banks_import_start

ENTRY = """<BICDirectoryEntry BIC="{bik}">
  <ParticipantInfo NameP="{name}" RegN="{regn}" CntrCd="RU" Rgn="45" Ind="{ind}" Tnp="г" Nnp="{city}" Adr="{adr}"
    DateIn="1991-08-20" PtType="20" Srvcs="5" XchType="1" UID="{bik}0" ParticipantStatus="{status}"/>
  {accounts}
</BICDirectoryEntry>"""
ACCOUNT = ('<Accounts Account="{account}" RegulationAccountType="{kind}" CK="59" AccountCBRBIC="044525000" '
           'DateIn="2007-01-01" AccountStatus="{status}"/>')

SBER = {"bik": "044525225", "name": "ПАО Сбербанк", "regn": "1481", "ind": "117312", "city": "Москва",
        "adr": "ул Вавилова, 19", "status": "PSAC",
        "accounts": ACCOUNT.format(account="30101810400000000225", kind="CRSA", status="ACAC")}
ALFA = {"bik": "044525593", "name": "АО «АЛЬФА-БАНК»", "regn": "1326", "ind": "107078", "city": "Москва",
        "adr": "ул Каланчевская, 27", "status": "PSAC",
        "accounts": ACCOUNT.format(account="30101810200000000593", kind="CRSA", status="ACAC")}
VTB = {"bik": "044525187", "name": "Банк ВТБ (ПАО)", "regn": "1000", "ind": "191144", "city": "Санкт-Петербург",
       "adr": "пер Дегтярный, 11, лит А", "status": "PSAC",
       "accounts": ACCOUNT.format(account="30101810700000000187", kind="CRSA", status="ACAC")}


def ed807(
    *entries: dict[str, str], encoding: str = "windows-1251", prolog: str = "", ed_date: str = "2026-11-27",
) -> bytes:
    """A BIK directory file of `ed_date` listing `entries`, in the Bank of Russia's encoding unless told."""
    body = "\n".join(ENTRY.format(**entry) for entry in entries)
    text = (f'<?xml version="1.0" encoding="{encoding}"?>\n{prolog}'
            f'<ED807 xmlns="urn:cbr-ru:ed:v2.0" EDNo="100" EDDate="{ed_date}" EDAuthor="4583001999" '
            'CreationReason="FCBD" CreationDateTime="2026-11-27T06:00:00Z" InfoTypeCode="FIRR" '
            f'BusinessDay="2026-11-27" DirectoryVersion="1">\n{body}\n</ED807>\n')
    return text.encode(encoding)


def run_import(user: Any, data: bytes, capture: Any, filename: str = "20261127_ED807_full.xml") -> Job:
    """Uploads `data` and runs the import job at once (`capture` is django_capture_on_commit_callbacks)."""
    with capture(execute=True):
        job = banks_import_start(acting_user=user, upload=io.BytesIO(data), filename=filename)
    job.refresh_from_db()
    return job


def imports_dir() -> list[str]:
    """The uploads kept for an import job, in the files' storage (a folder or S3)."""
    try:
        names = default_storage.listdir("imports")[1]
    except FileNotFoundError:
        return []
    return sorted(name for name in names if name.startswith("banks-"))


def bulk_items(folder: NomenclatureFolder | None, count: int, *, start_code: int) -> None:
    """`count` nomenclature items written at once, named "Товар 00000" … in code order."""
    NomenclatureItem.objects.bulk_create(
        [
            NomenclatureItem(folder=folder, code=start_code + n, name=f"Товар {n:05d}", name_key=f"товар {n:05d}")
            for n in range(count)
        ],
        batch_size=2000,
    )


def nomenclature_item(user: Any, name: str, *, folder: NomenclatureFolder | None = None, **fields: Any,
                      ) -> NomenclatureItem:
    """An item made through the service, with its code from the numbering."""
    return nomenclature_item_create(
        acting_user=user, folder_id=folder.pk if folder else None, data=ItemData(name=name, **fields)
    )


def nomenclature_tree(user: Any) -> dict[str, NomenclatureFolder]:
    """Канцтовары/Бумага/Офисная, Канцтовары/Бумага/Цветная, Хозтовары."""
    office = nomenclature_folder_create(acting_user=user, parent_id=None, name="Канцтовары")
    paper = nomenclature_folder_create(acting_user=user, parent_id=office.pk, name="Бумага")
    plain = nomenclature_folder_create(acting_user=user, parent_id=paper.pk, name="Офисная")
    colour = nomenclature_folder_create(acting_user=user, parent_id=paper.pk, name="Цветная")
    home = nomenclature_folder_create(acting_user=user, parent_id=None, name="Хозтовары")
    return {"office": office, "paper": paper, "plain": plain, "colour": colour, "home": home}


def add_items(directory: Directory, names: list[str]) -> None:
    """Items of any declared directory, with only the values its model requires (a region for places, a free
    code for regions)."""
    model = directory.model
    fields = {field.name for field in model._meta.concrete_fields}
    taken = set(Region.objects.values_list("code", flat=True))
    free_codes = iter(sorted(f"{a}{b}" for a in "QRSTUVWXYZ" for b in "0123456789" if f"{a}{b}" not in taken))
    region = Region.objects.order_by("pk").first()
    rows = []
    for name in names:
        values: dict[str, Any] = {"name": name, "name_key": search_key(name)}
        if "short_name" in fields:
            values["short_name"] = name[:20]
        if "code" in fields and model is Region:
            values["code"] = next(free_codes)
        if "region" in fields:
            values["region"] = region
        rows.append(model(**values))
    model._default_manager.bulk_create(rows)


def audit_rows(event: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=event).order_by("pk"))
