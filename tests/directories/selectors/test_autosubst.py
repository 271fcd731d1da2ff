"""Reads of the auto-substitution values (ORG-04)."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.directories.selectors.autosubst import auto_substitution_for


@pytest.mark.feature("ORG-04")
def test_a_user_who_never_set_it_has_none(manager_user: Any) -> None:
    # then
    assert auto_substitution_for(manager_user) is None
