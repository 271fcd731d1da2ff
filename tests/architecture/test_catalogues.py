"""The translation catalogues: what gettext itself would refuse (`msgfmt -c`) never reaches a user."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "kontora" / "locale"


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_plural_message_has_as_many_forms_as_the_language_counts(language: str) -> None:
    # given the catalogue and the number of plural forms its header declares
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    declared = re.search(r"nplurals\s*=\s*(\d+)", catalogue.metadata["Plural-Forms"])
    assert declared is not None
    forms = int(declared.group(1))
    # when its plural messages are counted
    plurals = [entry for entry in catalogue if entry.msgid_plural and not entry.obsolete]
    short = [entry.msgid for entry in plurals
             if any(entry.msgstr_plural.get(index) is None for index in range(forms))
             and any(entry.msgstr_plural.values())]
    # then each translated one has every form (Russian's fourth, for fractions, included)
    assert plurals
    assert short == []
