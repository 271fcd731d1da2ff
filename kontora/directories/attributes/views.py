"""Administration → Data management: attributes (DIR-06) — the list and the attribute card with its values."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.core.permissions import admin_required
from kontora.core.ui.submit import act, ok_or_apply, submit
from kontora.directories.attributes import selectors, services
from kontora.directories.attributes.forms import AttributeForm, OptionForm
from kontora.directories.models import Attribute


@admin_required
@require_GET
def attribute_list(request: HttpRequest) -> HttpResponse:
    rows = [
        {"attribute": attribute, "url": reverse("attributes:edit", args=[attribute.pk])}
        for attribute in selectors.attribute_list()
    ]
    return render(request, "directories/attributes/list.html", {"rows": rows})


@admin_required
@require_http_methods(["GET", "POST"])
def attribute_new(request: HttpRequest) -> HttpResponse:
    return _card(request, None)


@admin_required
@require_http_methods(["GET", "POST"])
def attribute_edit(request: HttpRequest, attribute_id: int) -> HttpResponse:
    return _card(request, selectors.access_attribute(attribute_id))


@admin_required
@require_POST
def attribute_delete(request: HttpRequest, attribute_id: int) -> HttpResponse:
    attribute = selectors.access_attribute(attribute_id)
    return act(request, lambda: services.attribute_delete(acting_user=user_of(request), attribute_id=attribute.pk),
               done=reverse("attributes:list"), refused=reverse("attributes:edit", args=[attribute.pk]),
               message=gettext("Attribute “%(name)s” deleted.") % {"name": attribute.name})


@admin_required
@require_POST
def option_new(request: HttpRequest, attribute_id: int) -> HttpResponse:
    attribute = selectors.access_attribute(attribute_id)
    return _option_save(request, attribute, None, OptionForm(request.POST, prefix="new"))


@admin_required
@require_POST
def option_edit(request: HttpRequest, attribute_id: int, option_id: int) -> HttpResponse:
    attribute = selectors.access_attribute(attribute_id)
    option = selectors.access_option(attribute, option_id)
    return _option_save(request, attribute, option.pk, OptionForm(request.POST, prefix=f"o{option.pk}"))


@admin_required
@require_POST
def option_delete(request: HttpRequest, attribute_id: int, option_id: int) -> HttpResponse:
    attribute = selectors.access_attribute(attribute_id)
    option = selectors.access_option(attribute, option_id)
    return act(request, lambda: services.option_delete(acting_user=user_of(request), attribute_id=attribute.pk,
                                                       option_id=option.pk),
               done=_values_url(attribute), message=gettext("Value “%(name)s” deleted.") % {"name": option.name})


def _values_url(attribute: Attribute) -> str:
    return reverse("attributes:edit", args=[attribute.pk]) + "#values"


def _option_save(request: HttpRequest, attribute: Attribute, option_id: int | None, form: OptionForm) -> HttpResponse:
    def page() -> HttpResponse:
        card = AttributeForm(initial=_initial(attribute))
        if option_id is None:
            return _render_card(request, attribute, card, new_option=form)
        return _render_card(request, attribute, card, bad_option=(option_id, form))

    return submit(
        request, form, lambda: services.option_save(
            acting_user=user_of(request), attribute_id=attribute.pk, option_id=option_id,
            name=form.cleaned_data["name"], is_active=form.cleaned_data["is_active"],
        ),
        done=lambda _saved: _values_url(attribute), page=page,
    )


def _initial(attribute: Attribute) -> dict[str, Any]:
    return {
        "name": attribute.name, "hint": attribute.hint, "label": attribute.label, "kind": attribute.kind,
        "order": attribute.order, "is_active": attribute.is_active,
    }


def _card(request: HttpRequest, attribute: Attribute | None) -> HttpResponse:
    initial = _initial(attribute) if attribute else {"kind": Attribute.Kind.DIRECTORY, "order": 0}
    form = AttributeForm(request.POST or None, initial=initial)
    return submit(
        request, form, lambda: services.attribute_save(
            acting_user=user_of(request), attribute_id=attribute.pk if attribute else None, data=form.data_object(),
        ),
        message=lambda saved: gettext("Attribute “%(name)s” saved.") % {"name": saved.name},
        done=lambda saved: ok_or_apply(request, ok=reverse("attributes:list"),
                                       apply=reverse("attributes:edit", args=[saved.pk])),
        page=lambda: _render_card(request, attribute, form),
    )


def _render_card(
    request: HttpRequest,
    attribute: Attribute | None,
    form: AttributeForm,
    *,
    new_option: OptionForm | None = None,
    bad_option: tuple[int, OptionForm] | None = None,
) -> HttpResponse:
    options = []
    if attribute is not None and attribute.kind == Attribute.Kind.DIRECTORY:
        for option in selectors.attribute_options(attribute):
            option_form = OptionForm(prefix=f"o{option.pk}", initial={"name": option.name,
                                                                      "is_active": option.is_active})
            if bad_option and bad_option[0] == option.pk:
                option_form = bad_option[1]
            options.append({"option": option, "form": option_form})
    context = {
        "form": form,
        "attribute": attribute,
        "title": attribute.name if attribute else gettext("New attribute"),
        "has_values": attribute is not None and attribute.kind == Attribute.Kind.DIRECTORY,
        "options": options,
        "new_option": new_option or OptionForm(prefix="new"),
    }
    failed = form.errors or (new_option is not None and new_option.errors) or bad_option is not None
    return render(request, "directories/attributes/card.html", context, status=400 if failed else 200)
