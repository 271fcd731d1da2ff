"""Administration → Enterprise: constants — our legal entities and their bank accounts (ORG-01)."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.core.forms.organisation import BankAccountForm, ConstantsEntityForm, EntityImagesForm
from kontora.core.htmx import htmx_current_url
from kontora.core.models import BankAccount, LegalEntity
from kontora.core.permissions import actor_of, admin_required
from kontora.core.selectors import organisation as selectors
from kontora.core.services import organisation as services
from kontora.core.services.organisation import ACCOUNT_FIELDS, ENTITY_FIELDS
from kontora.core.text import inner_quotes
from kontora.core.ui.submit import act, modal, ok_or_apply, submit


def _back(request: HttpRequest) -> str:
    """Where to return after an action: the page it was started from, if it is ours, else the list."""
    for candidate in (request.POST.get("next"), request.GET.get("next"), htmx_current_url(request)):
        if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
            return candidate
    return reverse("core:constants")


def _entity_initial(entity: LegalEntity) -> dict[str, Any]:
    initial = model_to_dict(entity, fields=ENTITY_FIELDS)
    initial["actual_same"] = bool(entity.legal_address) and entity.actual_address == entity.legal_address
    return initial


@admin_required
@require_GET
def constants(request: HttpRequest) -> HttpResponse:
    entities = selectors.legal_entities()
    return render(request, "core/constants.html", {"entities": entities, "can_delete": len(entities) > 1})


@admin_required
@require_http_methods(["GET", "POST"])
def entity_new(request: HttpRequest) -> HttpResponse:
    return _entity_card(request, entity=None)


@admin_required
@require_http_methods(["GET", "POST"])
def entity_edit(request: HttpRequest, entity_id: int) -> HttpResponse:
    return _entity_card(request, entity=selectors.access_legal_entity(entity_id))


def _entity_card(request: HttpRequest, *, entity: LegalEntity | None) -> HttpResponse:
    form = ConstantsEntityForm(request.POST or None, initial=_entity_initial(entity) if entity else None)

    def save() -> LegalEntity:
        if entity is None:
            return services.legal_entity_create(acting_user=actor_of(request), data=form.entity_data())
        return services.legal_entity_update(acting_user=actor_of(request), entity_id=entity.pk, data=form.entity_data())

    def page() -> HttpResponse:
        return _entity_page(request, form, entity, EntityImagesForm() if entity is not None else None)

    done = gettext("Legal entity “%(name)s” added.") if entity is None else gettext("Legal entity “%(name)s” saved.")
    return submit(request, form, save, page=page,
                  message=lambda saved: done % {"name": inner_quotes(saved.short_name)},
                  done=lambda saved: ok_or_apply(request, ok=reverse("core:constants"),
                                                 apply=reverse("core:constants_entity_edit", args=[saved.pk])))


def _entity_page(request: HttpRequest, form: ConstantsEntityForm, entity: LegalEntity | None,
                 images_form: EntityImagesForm | None) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "entity": entity, "images_form": images_form}
    if entity is not None:
        context["accounts"] = selectors.bank_accounts_of(entity)
        images = selectors.entity_images(entity)
        if images_form is not None:
            context["image_rows"] = [(field, remove, images.get(field.name)) for field, remove in images_form.rows()]
    return render(request, "core/constants_entity_form.html", context)


@admin_required
@require_POST
def entity_images(request: HttpRequest, entity_id: int) -> HttpResponse:
    """«Печать и подписи» of the entity's card: upload or remove the stamp and signature images (INV-06)."""
    entity = selectors.access_legal_entity(entity_id)
    form = EntityImagesForm(request.POST, request.FILES)
    back = reverse("core:constants_entity_edit", args=[entity.pk])
    return submit(request, form, lambda: services.legal_entity_images_save(
        acting_user=actor_of(request), entity_id=entity.pk, uploads=form.uploads(), remove=form.removed()),
        message=gettext("Stamp and signatures saved."), done=lambda saved: back,
        page=lambda: _entity_page(request, ConstantsEntityForm(initial=_entity_initial(entity)), entity, form))


@admin_required
@require_POST
def entity_delete(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = selectors.access_legal_entity(entity_id)
    return act(request, lambda: services.legal_entity_delete(acting_user=actor_of(request), entity_id=entity.pk),
               done=reverse("core:constants"), refused=_back(request),
               message=gettext("Legal entity “%(name)s” deleted.") % {"name": inner_quotes(entity.short_name)})


@admin_required
@require_POST
def entity_default(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = selectors.access_legal_entity(entity_id)
    return act(request, lambda: services.legal_entity_set_default(acting_user=actor_of(request), entity_id=entity.pk),
               done=_back(request),
               message=gettext("“%(name)s” is now the default legal entity.") % {
                   "name": inner_quotes(entity.short_name)})


@admin_required
@require_http_methods(["GET", "POST"])
def account_new(request: HttpRequest, entity_id: int) -> HttpResponse:
    return _account_card(request, entity=selectors.access_legal_entity(entity_id), account=None)


@admin_required
@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest, account_id: int) -> HttpResponse:
    account = selectors.access_bank_account(account_id)
    return _account_card(request, entity=account.legal_entity, account=account)


def _account_card(request: HttpRequest, *, entity: LegalEntity, account: BankAccount | None) -> HttpResponse:
    initial = model_to_dict(account, fields=ACCOUNT_FIELDS) if account else None
    form = BankAccountForm(request.POST or None, initial=initial)

    def save() -> BankAccount:
        if account is None:
            return services.bank_account_create(
                acting_user=actor_of(request), entity_id=entity.pk, data=form.bank_data(),
                make_default=bool(request.POST.get("make_default")),
            )
        return services.bank_account_update(acting_user=actor_of(request), account_id=account.pk, data=form.bank_data())

    if account is None:
        action = reverse("core:constants_account_new", args=[entity.pk])
    else:
        action = reverse("core:constants_account_edit", args=[account.pk])
    context = {"form": form, "entity": entity, "account": account, "action": action, "next": _back(request)}
    done = gettext("Account %(account)s added.") if account is None else gettext("Account %(account)s saved.")
    return submit(request, form, save, message=lambda saved: done % {"account": saved.account},
                  done=lambda saved: _back(request),
                  page=lambda: modal(request, "core/partials/constants_account_form.html", context,
                                     page="core/ui/modal_page.html"))


@admin_required
@require_POST
def account_delete(request: HttpRequest, account_id: int) -> HttpResponse:
    account = selectors.access_bank_account(account_id)
    return act(request, lambda: services.bank_account_delete(acting_user=actor_of(request), account_id=account.pk),
               done=_back(request), message=gettext("Account %(account)s deleted.") % {"account": account.account})


@admin_required
@require_POST
def account_default(request: HttpRequest, account_id: int) -> HttpResponse:
    account = selectors.access_bank_account(account_id)
    return act(request, lambda: services.bank_account_set_default(acting_user=actor_of(request), account_id=account.pk),
               done=_back(request),
               message=gettext("Account %(account)s is now the default account.") % {"account": account.account})
