"""`files_home`: attached files stored in a folder of the test's own (a test that uploads, prints a stamp, or
crawls exits that read files asks for it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def files_home(settings: Any, tmp_path: Path) -> Path:
    """The files folder: FILES_DIR and the default storage's location."""
    folder = tmp_path / "files"
    folder.mkdir()
    settings.FILES_DIR = folder
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": folder}}}
    return folder
