"""Helpers of the browser tests: signing in through the page, and the guide's screenshots."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.support.http import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "guide" / "img"


def sign_in(page: Any, base: str, login: str, password: str = PASSWORD) -> None:
    """Signs in through the login page and waits for the main window."""
    page.goto(f"{base}/login/")
    page.fill("#id_login", login)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def screenshot(page: Any, name: str) -> None:
    """A picture for docs/guide, written only when asked (`make screenshots` sets KONTORA_SCREENSHOTS=1), so
    that `make test` never changes tracked files."""
    if os.environ.get("KONTORA_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
