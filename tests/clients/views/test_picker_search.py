"""The clients picker finds what people type (issue 13, item 9): a client past its legal form, and from three
letters by a fragment of its name — never one the user may not see."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.clients.factories import client_named
from tests.support.http import html, signed_in


def picked(browser: Any, text: str) -> str:
    return html(browser.get(reverse("directories:pick", args=["clients"]), {"q": text}))


@pytest.mark.feature("DIR-07")
def test_the_clients_picker_finds_a_client_past_its_legal_form_and_by_a_later_word(two_managers):
    # given
    first, second = two_managers
    trading = client_named("ООО «Торговый дом Юпитер»", curator=first)
    joined = client_named("ООО «ВегаТорг»", curator=first)
    client_named("ООО «Торговля чужая»", curator=second)
    client_named("ООО «Альфа»", curator=first)
    browser = signed_in(first)
    # when
    by_core = picked(browser, "торг")
    by_word = picked(browser, "юпит")
    # then: the user's clients (a fragment inside a word too), never the other manager's
    assert f'data-pick="{trading.pk}"' in by_core and f'data-pick="{joined.pk}"' in by_core
    assert "чужая" not in by_core
    assert f'data-pick="{trading.pk}"' in by_word
    assert "Альфа" not in by_core + by_word
    assert f'data-pick="{trading.pk}"' not in picked(browser, "юп")  # two letters: starts only
