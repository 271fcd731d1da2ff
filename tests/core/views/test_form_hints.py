"""A placeholder is a hint, not data (issue 13, item 16): the legal entity's name fields said «Общество с
ограниченной ответственностью «Ромашка»» and «ООО «Ромашка»» in grey, which reads as a name already filled in."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support.http import html


@pytest.mark.feature("ORG-01")
def test_the_legal_entitys_names_hint_at_what_to_type(admin_client: Any) -> None:
    # when the administrator adds a legal entity
    page = html(admin_client.get("/administration/constants/entities/new/"))
    hints = dict(re.findall(r'name="(\w+)"[^>]*placeholder="([^"]*)"', page))
    # then the names' placeholders say what to type, and name no sample organisation
    assert hints["full_name"] == "Как в уставе, с полной организационно-правовой формой"
    assert hints["short_name"] == "С сокращённой организационно-правовой формой"
    assert "Ромашка" not in page
