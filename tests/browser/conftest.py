"""Fixtures of the browser tests: one headless Chromium per run, the app on a loopback port, a fresh context per
test (pagetest.py says how, and where the screenshots go)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from pagetest import CHROMIUM, FLAGS, Server, shot, unavailable


@pytest.fixture(scope="session")
def browser():
    why = unavailable()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"the browser tests must run in CI, and cannot: {why}")
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


@pytest.fixture
def page(browser, server, request):
    """A fresh browser context (no storage) on a desktop-sized window; any script error in the page fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="en-US")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.base = server.url
    pg.shot = lambda step: shot(pg, request.node.name, step)
    yield pg
    context.close()
    assert not errors, f"script errors in the page: {errors}"
