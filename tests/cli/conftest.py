"""Fixtures of the command line's tests: homes made by `kontora upgrade` and `kontora createadmin`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.support import Home, cli_home, upgraded_template


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    with upgraded_template(tmp_path_factory.mktemp("cli") / "template") as home:
        yield home


@pytest.fixture
def home(tmp_path: Path, template: Home) -> Iterator[Home]:
    with cli_home(tmp_path / "home", template) as copy:
        yield copy


@pytest.fixture
def empty_home(tmp_path: Path) -> Iterator[Home]:
    with cli_home(tmp_path / "empty") as fresh:
        yield fresh
