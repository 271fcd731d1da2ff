"""Helpers of the browser tests: signing in through the page, the guide's screenshots, the policy's refusals."""

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


# The guide's pictures show the screen the program is made to fit (issue 13: 1280 × 800 with both side panels open).
GUIDE_SIZE = {"width": 1280, "height": 800}


def screenshot(page: Any, name: str) -> None:
    """A picture for docs/guide, written only when asked (`make screenshots` sets KONTORA_SCREENSHOTS=1), so
    that `make test` never changes tracked files. Taken at GUIDE_SIZE whatever size the test works at."""
    if os.environ.get("KONTORA_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    if size != GUIDE_SIZE:
        page.set_viewport_size(GUIDE_SIZE)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    if size and size != GUIDE_SIZE:
        page.set_viewport_size(size)


# Chromium reports every script, style or eval the Content-Security-Policy refuses as a `securitypolicyviolation`
# event on the document; this script, added before the page's own (Playwright's init scripts are not governed by the
# policy), records them for `csp_violations`.
_WATCH_CSP = """
window.__kontoraCsp = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__kontoraCsp.push({
    directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample,
    source: event.sourceFile, line: event.lineNumber
  });
});
"""


def watch_csp(page: Any) -> Any:
    """Records the policy's refusals on every page `page` shows from now on."""
    page.add_init_script(_WATCH_CSP)
    return page


def csp_violations(page: Any) -> list[dict[str, Any]]:
    """What Chromium refused on the page shown, once the answers of the last actions are in and reported."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(100)
    return list(page.evaluate("window.__kontoraCsp || []"))


def htmx_ready(locator: Any) -> None:
    """Waits until htmx has taken in the element (a button swapped in a moment ago answers a click or its key only
    then): its internal data carries the hash of the attributes htmx processed."""
    locator.wait_for()
    locator.page.wait_for_function(
        "el => !!(el['htmx-internal-data'] && el['htmx-internal-data'].initHash)", arg=locator.element_handle())
