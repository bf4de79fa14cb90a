"""Open saved Folium maps in Debian's headless Chromium, fully offline.

* The browser is Debian's ``chromium`` driven through Debian's
  ``chromium-driver`` by selenium; the driver path is given explicitly, so
  selenium-manager never downloads anything.
* The HTML and its assets are served by a local ``http.server`` on 127.0.0.1.
  Every CDN URL that folium writes (``folium.folium._default_js``/
  ``_default_css`` and the time-slider plugin's ``default_js``) is rewritten
  to the same file from the npm packages pinned in ``package.json`` (installed
  with ``npm ci --prefix tests/browser``).  Two stylesheets exist in no npm
  package (Bootstrap 3.0.0's glyphicons sheet and folium's own
  ``leaflet.awesome.rotate`` sheet); they only style awesome-marker icons,
  which these maps do not use, so they map to an empty local sheet in
  ``stubs/``.  A URL missing from the table fails the test.
* Host resolution is disabled for everything but 127.0.0.1, so a leak to the
  network shows up as a console error instead of a silent download.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
STUBS = HERE / "stubs"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

#: CDN URL (as folium 0.20 writes it) → file under /assets/ (node_modules) or /stubs/.
OFFLINE_ASSETS = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "assets/leaflet/dist/leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "assets/leaflet/dist/leaflet.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "assets/jquery/dist/jquery.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": (
        "assets/bootstrap/dist/js/bootstrap.bundle.min.js"
    ),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": (
        "assets/bootstrap/dist/css/bootstrap.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": (
        "assets/drmonty-leaflet-awesome-markers/js/leaflet.awesome-markers.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": (
        "assets/drmonty-leaflet-awesome-markers/css/leaflet.awesome-markers.css"
    ),
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": (
        "assets/@fortawesome/fontawesome-free/css/all.min.css"
    ),
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": (
        "stubs/empty.css"
    ),
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css": (
        "stubs/empty.css"
    ),
    # TimeSliderChoropleth (and so ControlTimeSlider)
    "https://d3js.org/d3.v4.min.js": "assets/d3/build/d3.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.18.1/moment.min.js": (
        "assets/moment/min/moment.min.js"
    ),
}

_ASSET_TAG = re.compile(r"""(<(?:script|link)\b[^>]*?\b(?:src|href)=")(https?://[^"]+)(")""")


def require(condition: bool, reason: str) -> None:
    """Skip when a local tool is missing; fail instead on CI (CI=true installs them)."""
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: .ci/run must install it)")
    pytest.skip(reason)


def require_browser() -> None:
    require(CHROMIUM.exists(), f"{CHROMIUM} missing: apt-get install chromium")
    require(CHROMEDRIVER.exists(), f"{CHROMEDRIVER} missing: apt-get install chromium-driver")
    require(
        (NODE_MODULES / "leaflet" / "dist" / "leaflet.js").exists(),
        f"{NODE_MODULES} missing: run npm ci --prefix tests/browser",
    )


def offline_html(html: str) -> str:
    """Rewrite every CDN asset URL to its local copy; fail on an unknown one."""

    def swap(match: re.Match[str]) -> str:
        url = match.group(2)
        if url not in OFFLINE_ASSETS:
            raise AssertionError(f"the map loads {url}, which has no local copy in OFFLINE_ASSETS")
        local = OFFLINE_ASSETS[url]
        if not ((HERE / local.replace("assets/", "node_modules/", 1)).exists()):
            raise AssertionError(f"{local} is missing: run npm ci --prefix tests/browser")
        return f"{match.group(1)}/{local}{match.group(3)}"

    rewritten = _ASSET_TAG.sub(swap, html)
    return rewritten.replace("<head>", "<head><link rel='icon' href='data:,'>", 1)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class Browser:
    """A local web server and a headless Chromium, shared by a test session."""

    def __init__(self, root: Path, port: int, driver: Any) -> None:
        self.root, self.port, self.driver = root, port, driver
        self.pages = 0

    def open(self, html: str, fragment: str = "") -> Any:
        """Serve ``html`` (made offline) and load it; returns the selenium driver.

        ``fragment`` (e.g. ``"date=2024-08-10"``) is the URL hash to open it with.

        Each page gets a fresh file name, so the browser cache never serves an
        earlier map.
        """
        from selenium.webdriver.support.ui import WebDriverWait

        self.pages += 1
        name = f"map{self.pages}.html"
        (self.root / name).write_text(offline_html(html), encoding="utf-8")
        self.driver.get_log("browser")  # drop messages of earlier pages
        hash_part = f"#{fragment}" if fragment else ""
        self.driver.get(f"http://127.0.0.1:{self.port}/{name}{hash_part}")
        WebDriverWait(self.driver, 20).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )
        return self.driver

    def errors(self) -> list[dict[str, object]]:
        """Console messages of level SEVERE since the page was opened."""
        return [e for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]

    def count(self, selector: str) -> int:
        return int(
            self.driver.execute_script(
                "return document.querySelectorAll(arguments[0]).length", selector
            )
        )


@contextmanager
def browser_session() -> Iterator[Browser]:
    """Start the server and Chromium; stop both afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    root = Path(tempfile.mkdtemp(prefix="territory-browser-"))
    (root / "assets").symlink_to(NODE_MODULES, target_is_directory=True)
    (root / "stubs").symlink_to(STUBS, target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    profile = Path(tempfile.mkdtemp(prefix="territory-chromium-"))
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1200,900",
        f"--user-data-dir={profile}",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield Browser(root, server.server_address[1], driver)
    finally:
        driver.quit()
        server.shutdown()
        server.server_close()
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(profile, ignore_errors=True)
