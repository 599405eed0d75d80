"""Playwright helpers for browser tests in Debian's Chromium (no downloaded browsers here).

The fixtures (`browser`, `phone_page`) are in tests/conftest.py; this module holds the plain helpers.
"""

import datetime
import os
from pathlib import Path

from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PHONE = {"width": 390, "height": 844}

# Without these, Chromium tries to reach Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def new_context(browser, **options):
    """A browser context in the app's time zone whose JavaScript clock starts at the server's (pinned) now
    and runs on from there: pages see the same day as the live server."""
    context = browser.new_context(timezone_id=settings.TIME_ZONE, **options)
    context.clock.install(time=datetime.datetime.now(datetime.UTC))
    return context


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
