"""Settings → Parameters → Auto-substitution (ORG-04): each user's default region and city."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kontora.core.text import search_key
from kontora.directories.autosubst import auto_substitution_for, auto_substitution_save
from kontora.directories.models import AutoSubstitution, Region, Settlement


def region(code: str, name: str) -> Region:
    return Region.objects.get_or_create(code=code, defaults={"name": name, "name_key": search_key(name),
                                                              "short_name": name})[0]


def city(where: Region, name: str) -> Settlement:
    return Settlement.objects.create(region=where, name=name, name_key=search_key(name), kind="г")


@pytest.fixture
def places(db):
    moscow_region, khakassia = region("77", "Москва"), region("19", "Хакасия")
    return {"moscow": city(moscow_region, "Москва"), "abakan": city(khakassia, "Абакан"),
            "moscow_region": moscow_region, "khakassia": khakassia}


@pytest.mark.feature("ORG-04")
def test_each_user_keeps_own_auto_substitution(admin_user, manager_user, places):
    # when
    auto_substitution_save(acting_user=admin_user, region_id=None, settlement_id=places["moscow"].pk)
    auto_substitution_save(acting_user=manager_user, region_id=places["khakassia"].pk,
                           settlement_id=places["abakan"].pk)
    # then
    mine, theirs = auto_substitution_for(admin_user), auto_substitution_for(manager_user)
    assert mine is not None and theirs is not None
    assert (mine.region, mine.settlement) == (places["moscow_region"], places["moscow"])
    assert (theirs.region, theirs.settlement) == (places["khakassia"], places["abakan"])


@pytest.mark.feature("ORG-04")
def test_a_user_who_never_set_it_has_none(manager_user):
    # then
    assert auto_substitution_for(manager_user) is None


@pytest.mark.feature("ORG-04")
def test_a_city_of_another_region_is_refused(manager_user, places):
    # when
    with pytest.raises(ValidationError) as refused:
        auto_substitution_save(acting_user=manager_user, region_id=places["moscow_region"].pk,
                               settlement_id=places["abakan"].pk)
    # then
    assert refused.value.message_dict == {"settlement": ["Этот город находится в другом регионе."]}
    assert not AutoSubstitution.objects.exists()


@pytest.mark.feature("ORG-04")
def test_parameters_window_has_the_auto_substitution_tab(manager_client, manager_user, places):
    # given
    url = reverse("core:parameters")
    # when
    page = manager_client.get(url)
    saved = manager_client.post(url, {
        "language": "ru", "tab": "autosubst", "apply": "1",
        "autosubst-region": places["khakassia"].pk, "autosubst-settlement": places["abakan"].pk,
    })
    again = manager_client.get(url + "?tab=autosubst")
    wrong = manager_client.post(url, {
        "language": "ru", "tab": "general",
        "autosubst-region": places["moscow_region"].pk, "autosubst-settlement": places["abakan"].pk,
    })
    # then
    html = page.content.decode()
    assert "Автоподстановка" in html and 'name="autosubst-settlement"' in html
    assert saved.status_code == 302 and saved.url == url + "?tab=autosubst"
    values = auto_substitution_for(manager_user)
    assert values is not None and values.settlement == places["abakan"]
    assert "Абакан" in again.content.decode()
    assert wrong.status_code == 200 and wrong.context["active_tab"] == "autosubst"
    assert "Этот город находится в другом регионе." in wrong.content.decode()
    values = auto_substitution_for(manager_user)
    assert values is not None and values.region == places["khakassia"]
