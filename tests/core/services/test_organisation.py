"""Constants' services (ORG-01): legal entities, their bank accounts, the defaults, and their audit rows."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kontora.core.errors import Refused
from kontora.core.models import AuditEvent, BankAccount, LegalEntity
from kontora.core.services import organisation as services
from kontora.core.services.organisation import BankAccountData, LegalEntityData
from tests.core.support import ROMASHKA, SBER_ACCOUNT, alfa_account, audit_row

pytestmark = pytest.mark.feature("ORG-01")

LYUTIK = LegalEntityData(full_name="ИП Лютиков", short_name="ИП Лютиков", inn="500100732259")


def test_services_validate_on_their_own(admin_user, romashka):
    # when a caller skips the form
    with pytest.raises(ValidationError) as info:
        services.legal_entity_create(acting_user=admin_user, data=LegalEntityData(
            full_name="", short_name="X", inn="7707083894"))
    # then every field is named
    assert info.value.message_dict == {
        "full_name": ["Обязательное поле."], "inn": ["ИНН: неверное контрольное число"],
    }
    with pytest.raises(ValidationError) as info:
        services.bank_account_create(acting_user=admin_user, entity_id=romashka.pk, data=BankAccountData(
            bank_name="Банк", bik="044525225", corr_account="30101810400000000226", account="40702810938000000001"))
    assert info.value.message_dict == {"corr_account": ["Корр. счёт: контрольный ключ не сходится с БИК"]}


def test_first_entity_becomes_default_and_a_new_default_clears_the_old(admin_user, db):
    # given
    first = services.legal_entity_create(acting_user=admin_user, data=ROMASHKA)
    # when
    second = services.legal_entity_create(acting_user=admin_user, data=LegalEntityData(
        full_name="ИП Лютиков", short_name="ИП Лютиков", inn="500100732259"), make_default=True)
    # then
    first.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)
    assert LegalEntity.objects.filter(is_default=True).count() == 1


def test_refusals_are_domain_errors_and_change_nothing(admin_user, romashka):
    # given
    account = romashka.bank_accounts.get()
    other = services.bank_account_create(acting_user=admin_user, entity_id=romashka.pk, data=BankAccountData(
        bank_name="АО «Альфа-Банк»", bik="044525593", account=alfa_account("00000000001")))
    before = AuditEvent.objects.count()
    # when
    with pytest.raises(Refused) as only:
        services.legal_entity_delete(acting_user=admin_user, entity_id=romashka.pk)
    with pytest.raises(Refused) as default_account:
        services.bank_account_delete(acting_user=admin_user, account_id=account.pk)
    # then
    assert only.value.message == (
        "Единственное юридическое лицо удалить нельзя: документы выписываются от имени юридического лица."
    )
    assert default_account.value.message == (
        "Счёт по умолчанию удалить нельзя. Сначала сделайте счётом по умолчанию другой счёт этого юридического лица."
    )
    assert list(BankAccount.objects.order_by("pk").values_list("pk", flat=True)) == [account.pk, other.pk]
    assert AuditEvent.objects.count() == before


# --- the audit ------------------------------------------------------------------------------------


def test_adding_a_legal_entity_is_audited_with_its_requisites(admin_user):
    # when
    entity = services.legal_entity_create(acting_user=admin_user, data=ROMASHKA)
    # then
    row = audit_row("core.legal_entity.create")
    assert (row.actor, row.target_type, row.target_id, row.summary) == (
        admin_user, "core.legalentity", entity.pk, "Юридическое лицо добавлено"
    )
    assert {"field": "Краткое наименование", "old": "", "new": "ООО «Ромашка»"} in row.changes
    assert {"field": "ИНН", "old": "", "new": "7707083893"} in row.changes


def test_changing_a_legal_entity_is_audited_with_what_changed(admin_user, romashka):
    # when
    services.legal_entity_update(acting_user=admin_user, entity_id=romashka.pk, data=LegalEntityData(
        full_name=ROMASHKA.full_name, short_name="ООО «Ромашка-М»", inn=ROMASHKA.inn, kpp=ROMASHKA.kpp,
        ogrn=ROMASHKA.ogrn, director="Сидоров С. С."))
    # then
    row = audit_row("core.legal_entity.update")
    assert (row.actor, row.target_id, row.summary) == (admin_user, romashka.pk, "Юридическое лицо изменено")
    assert row.changes == [
        {"field": "Краткое наименование", "old": "ООО «Ромашка»", "new": "ООО «Ромашка-М»"},
        {"field": "Руководитель", "old": "", "new": "Сидоров С. С."},
    ]


def test_deleting_a_legal_entity_and_moving_the_default_are_audited(admin_user, romashka):
    # given
    lyutik = services.legal_entity_create(acting_user=admin_user, data=LYUTIK)
    # when
    services.legal_entity_set_default(acting_user=admin_user, entity_id=lyutik.pk)
    services.legal_entity_set_default(acting_user=admin_user, entity_id=romashka.pk)
    services.legal_entity_delete(acting_user=admin_user, entity_id=lyutik.pk)
    # then
    defaults = AuditEvent.objects.filter(event="core.legal_entity.default").order_by("id")
    assert [(row.target_id, row.actor, row.changes) for row in defaults] == [
        (lyutik.pk, admin_user, [{"field": "Юридическое лицо по умолчанию", "old": "—", "new": "✓"}]),
        (romashka.pk, admin_user, [{"field": "Юридическое лицо по умолчанию", "old": "—", "new": "✓"}]),
    ]
    deleted = audit_row("core.legal_entity.delete")
    assert (deleted.actor, deleted.target_id, deleted.summary) == (admin_user, lyutik.pk, "Юридическое лицо удалено")
    assert {"field": "Краткое наименование", "old": "ИП Лютиков", "new": ""} in deleted.changes
    assert not LegalEntity.objects.filter(pk=lyutik.pk).exists()


def test_bank_account_writes_are_audited(admin_user, romashka):
    # given
    number = alfa_account("00000000001")
    # when
    account = services.bank_account_create(acting_user=admin_user, entity_id=romashka.pk, data=BankAccountData(
        bank_name="АО «Альфа-Банк»", bik="044525593", account=number))
    services.bank_account_update(acting_user=admin_user, account_id=account.pk, data=BankAccountData(
        bank_name="АО «Альфа-Банк»", bik="044525593", account=number, corr_account="30101810200000000593"))
    services.bank_account_set_default(acting_user=admin_user, account_id=account.pk)
    services.bank_account_set_default(acting_user=admin_user, account_id=romashka.bank_accounts.get(
        account=SBER_ACCOUNT.account).pk)
    services.bank_account_delete(acting_user=admin_user, account_id=account.pk)
    # then: the wizard's account and this one were added, each by one row
    added = AuditEvent.objects.filter(event="core.bank_account.create").order_by("id")
    assert [row.target_id for row in added][1:] == [account.pk]
    assert {"field": "Расчётный счёт", "old": "", "new": number} in added.last().changes  # type: ignore[union-attr]
    changed = audit_row("core.bank_account.update")
    assert (changed.actor, changed.target_id, changed.changes) == (
        admin_user, account.pk, [{"field": "Корреспондентский счёт", "old": "", "new": "30101810200000000593"}]
    )
    assert AuditEvent.objects.filter(event="core.bank_account.default").count() == 2
    deleted = audit_row("core.bank_account.delete")
    assert (deleted.actor, deleted.target_type, deleted.target_id, deleted.summary) == (
        admin_user, "core.bankaccount", account.pk, "Расчётный счёт удалён"
    )


# --- the stamp and signatures (INV-06) ---------------------------------------------------------------------------


def _picture(kind: str = "PNG", size: tuple[int, int] = (80, 80), name: str = "stamp.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "blue").save(buffer, format=kind)
    return SimpleUploadedFile(name, buffer.getvalue())


def _not_a_picture():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("stamp.png", b"not a picture at all")


@pytest.fixture
def storage_home(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    return tmp_path


@pytest.mark.feature("INV-06")
def test_stamp_and_signatures_are_stored_replaced_and_removed_with_an_audit_row(admin_user, romashka, storage_home):
    from kontora.core.models import StoredPurge

    services.legal_entity_images_save(acting_user=admin_user, entity_id=romashka.pk, uploads={
        "stamp": _picture(), "director_signature": _picture("JPEG", name="sign.jpeg")})
    romashka.refresh_from_db()
    first = romashka.stamp.name
    assert first.startswith(f"entities/{romashka.pk}/") and first.endswith(".png")
    assert romashka.director_signature.name.endswith(".jpg") and not romashka.accountant_signature
    assert (storage_home / first).is_file()
    row = AuditEvent.objects.filter(event="core.legal_entity.images").get()
    assert {change["new"] for change in row.changes} == {"загружен"} and len(row.changes) == 2
    # a new stamp replaces the old one, whose file waits for its purge; a removed signature goes the same way
    services.legal_entity_images_save(acting_user=admin_user, entity_id=romashka.pk, uploads={"stamp": _picture()},
                                      remove={"director_signature"})
    romashka.refresh_from_db()
    assert romashka.stamp.name != first and not romashka.director_signature
    assert StoredPurge.objects.filter(name=first).exists()
    assert AuditEvent.objects.filter(event="core.legal_entity.images").count() == 2


@pytest.mark.feature("INV-06")
@pytest.mark.parametrize(("upload", "message"), [
    (lambda: _picture("GIF", name="stamp.gif"), "Загрузите изображение PNG или JPEG."),
    (lambda: _not_a_picture(), "Загрузите изображение PNG или JPEG."),
    (lambda: _picture(size=(4100, 10)), "не больше 4000 точек по стороне"),
])
def test_only_a_png_or_jpeg_picture_of_a_sensible_size_is_taken(admin_user, romashka, storage_home, upload, message):
    with pytest.raises(ValidationError) as refused:
        services.legal_entity_images_save(acting_user=admin_user, entity_id=romashka.pk,
                                          uploads={"stamp": upload()})
    assert message in refused.value.message_dict["stamp"][0]
    romashka.refresh_from_db()
    assert not romashka.stamp and not AuditEvent.objects.filter(event="core.legal_entity.images").exists()


@pytest.mark.feature("INV-06")
def test_a_file_over_the_limit_is_refused_by_its_size(admin_user, romashka, storage_home, monkeypatch):
    monkeypatch.setattr(services, "IMAGE_MAX_BYTES", 100)
    with pytest.raises(ValidationError) as refused:
        services.legal_entity_images_save(acting_user=admin_user, entity_id=romashka.pk,
                                          uploads={"stamp": _picture()})
    assert "допускается не больше 100" in refused.value.message_dict["stamp"][0]
