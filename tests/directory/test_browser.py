"""The directory in a real browser (headless Chromium from the system's packages, driven by
Playwright) against the real `verkosto serve`: a person searches, filters, switches the language,
opens a network and takes its event into a calendar; axe-core finds no WCAG 2.1 A or AA
violation; the keyboard alone reaches every control.

`.ci/run` installs Chromium and sets `VERKOSTO_BROWSER_TESTS=required`; elsewhere these tests
are skipped when Chromium is missing. `VERKOSTO_SCREENSHOTS=docs/directory` keeps a picture of
each page there.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from bot.settings import Settings
from tests.directory.conftest import CONTACT, Web
from tests.processes import free_port, serving
from tests.support import FORESIGHT

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("VERKOSTO_BROWSER_TESTS") != "required":
    pytest.skip("no Chromium here (apt-get install chromium)", allow_module_level=True)

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def site(web: Web, web_settings: Settings, tmp_path: Path) -> Iterator[str]:
    """`verkosto serve` with the directory on, over the `web` fixture's database."""
    port = free_port()
    values = {
        "SLACK_BOT_TOKEN": web_settings.slack_bot_token or "",
        "SLACK_SIGNING_SECRET": web_settings.slack_signing_secret or "",
        "SLACK_API_URL": web_settings.slack_api_url,
        "SLACK_APP_ID": "A0VERKOSTO",
        "DATABASE_URL": web_settings.database_url,
        "VERKOSTO_WEB_DIRECTORY": "on",
        "VERKOSTO_WEB_CONTACT": CONTACT,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "4",
    }
    with serving(tmp_path, ready_line="background process for work after the ack", **values):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def page(browser: Any, web: Web) -> Iterator[Any]:
    """A new tab; every body it was sent joins `web`'s, which may name no person."""
    context = browser.new_context(locale="fi-FI", accept_downloads=True)
    opened = context.new_page()

    def keep_body(route: Any) -> None:
        answer = route.fetch()
        web.bodies.append(answer.body())
        route.fulfill(response=answer)

    context.route("**/*", keep_body)
    yield opened
    context.close()


def keep_picture(page: Any, name: str) -> None:
    folder = os.environ.get("VERKOSTO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_a_person_finds_a_network_and_takes_its_event_into_a_calendar(
    site: str, page: Any, tmp_path: Path
) -> None:
    page.goto(site + "/")
    assert page.locator("html").get_attribute("lang") == "fi"  # from the browser's language

    page.get_by_label("Hakusanat").fill("ennakointi")
    page.get_by_label("Luokka").select_option("foresight")
    page.get_by_label("Tutkijat").check()
    page.get_by_role("button", name="Hae").click()
    results = page.locator("ol.networks h3").all_inner_texts()
    assert results == ["Kansallinen ennakointiverkosto", "Osaamisen ennakointifoorumi (OEF)"]
    assert "q=ennakointi" in page.url and "scope=researchers" in page.url

    page.get_by_role("link", name="På svenska").click()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_label("Sökord").input_value() == "ennakointi"
    page.get_by_role("link", name="Det nationella framsynsnätverket").click()
    assert page.locator("h1").inner_text() == "Det nationella framsynsnätverket"
    assert "Foresight morning" in page.locator("#events").locator("..").inner_text()

    with page.expect_download() as downloading:
        page.get_by_role(
            "link", name=re.compile(r"Lägg till i kalendern.*Foresight morning")
        ).click()
    saved = tmp_path / "event.ics"
    downloading.value.save_as(saved)
    [event] = Calendar.from_ical(saved.read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Foresight morning"


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("search", "/?q=ennakointi"),
        ("network", f"/networks/{FORESIGHT}"),
        ("events", "/events"),
        ("bad-request", "/?page=nolla"),
        ("accessibility", "/accessibility"),
    ],
)
def test_axe_finds_no_wcag_21_aa_violation(site: str, page: Any, name: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    answer = page.goto(site + path)
    assert answer is not None and answer.status == (400 if name == "bad-request" else 200)
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    violations = [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in result.response["violations"]
    ]
    assert violations == []
    keep_picture(page, name)


@pytest.mark.parametrize("path", ["/?q=ennakointi", f"/networks/{FORESIGHT}", "/events"])
def test_the_keyboard_alone_reaches_every_control(site: str, page: Any, path: str) -> None:
    page.goto(site + path)
    reached = tab_through(page)
    assert reached[0]["text"] == "Siirry sisältöön"  # the skip link comes first
    missed = page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .filter(e => !e.matches(':disabled') && e.getClientRects().length > 0
                && !window.reached.has(e))
            .map(e => e.outerHTML.slice(0, 120))""",
        CONTROLS,
    )
    assert missed == []
    # Enter on the skip link takes the focus to the content.
    page.goto(site + path)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def tab_through(page: Any, most: int = 400) -> list[dict[str, str]]:
    """Press Tab until the focus leaves the page or comes round again; what it rested on."""
    page.evaluate("window.reached = new Set()")
    order = []
    for _ in range(most):
        page.keyboard.press("Tab")
        found = page.evaluate(
            """() => {
                const e = document.activeElement;
                if (!e || e === document.body) return null;
                if (window.reached.has(e)) return {again: true};
                window.reached.add(e);
                const outline = getComputedStyle(e).outlineStyle;
                return {tag: e.tagName, text: (e.innerText || e.value || '').trim(),
                        outline: outline};
            }"""
        )
        if found is None or found.get("again"):
            break
        # Where the focus is can be seen.
        assert found["outline"] != "none", found
        order.append(found)
    return order
