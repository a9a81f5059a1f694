"""A real headless Chromium (Debian's chromium + chromium-driver) driven by Selenium 4, for the
browser tests of the widget and the clerk panel.

    from tests.integration import browser as chromium
    from tests.integration.browser import screenshot

    browser = chromium.browser  # the fixture, under the name tests ask for

    def test_something(stack, browser):
        browser.get(stack.base + "/demo")

`browser` is a fresh Chromium per test (an empty profile in a temporary folder, so no stored
conversation) at the desktop size 1280x900; `as_phone(browser)` emulates a phone (390x844). Tests
skip with a clear message when Chromium, its driver or Selenium are missing (`make setup`).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = [
    "CHROMEDRIVER",
    "CHROMIUM",
    "DESKTOP",
    "PHONE",
    "REPORTS",
    "as_phone",
    "browser",
    "screenshot",
    "start_chromium",
]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REPORTS = Path(__file__).resolve().parents[2] / "reports"
DESKTOP = (1280, 900)
PHONE = (390, 844)

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",
)


def _missing() -> str:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    return ", ".join(missing)


def start_chromium(profile: Path):
    """A headless Chromium with its own profile folder; the caller quits it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={DESKTOP[0]},{DESKTOP[1]}")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    return driver


@pytest.fixture
def browser() -> Iterator[object]:
    """A fresh headless Chromium at desktop size with an empty profile (so no stored conversation);
    quit after the test. Starting one takes about a second."""
    missing = _missing()
    if missing:
        pytest.skip(f"browser tests need Chromium and its driver: missing {missing} (run `make setup`)")
    profile = Path(tempfile.mkdtemp(prefix="shouwen-chromium-"))
    driver = start_chromium(profile)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def as_phone(driver, size: tuple[int, int] = PHONE) -> None:
    """Emulate a phone: its viewport, touch and overlay scrollbars (Chromium's device emulation)."""
    driver.set_window_size(*size)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": size[0], "height": size[1], "deviceScaleFactor": 2, "mobile": True},
    )
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})


def screenshot(driver, name: str) -> Path:
    """Save the current viewport as reports/<name>.png and return the path."""
    REPORTS.mkdir(exist_ok=True)
    path = REPORTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path
