"""The directory's pages over HTTP: what is published shows, nothing else does, in the reader's
language; search and filters as `network list`; headers, caching and bad addresses."""

from __future__ import annotations

import re
from html import unescape

import pytest
from icalendar import Calendar
from pydantic import ValidationError

from bot.settings import Settings
from tests.directory.conftest import (
    ARCHIVED,
    CONTACT,
    PUBLISHED,
    TEAMS_NETWORK,
    TENANT,
    UNLISTED,
    UNPUBLISHED,
    Web,
    publish,
)
from tests.support import FORESIGHT, network

FORESIGHT_FI = "Kansallinen ennakointiverkosto"


def names_on(html: str) -> list[str]:
    """The network names a results page lists, in order."""
    found = re.findall(r'<h3 id="network-\d+"><a [^>]*>([^<]*)</a>', html)
    return [unescape(name) for name in found]


def active_members(web: Web, slug: str) -> int:
    found = network(web.services, slug)
    assert found is not None
    with web.services.db.snapshot() as store:
        return store.memberships.active_count(found.id)


def text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_directory_lists_only_published_listed_networks_of_every_workspace(web: Web) -> None:
    page = web.get("/", **{"Accept-Language": "fi"}).get_data(as_text=True)

    listed = names_on(page)
    assert FORESIGHT_FI in listed
    assert "Kuntien ilmastoverkosto" in listed  # the Teams tenant's
    assert len(listed) == len(PUBLISHED) + 1
    assert "6 verkostoa" in text(page)
    for hidden in ("AuroraAI", "Ennakointiluotsi", "Keino"):
        assert not any(hidden.casefold() in name.casefold() for name in listed), hidden


def test_search_finds_the_foresight_network_in_finnish_swedish_and_english(web: Web) -> None:
    for query, language in (("ennakointi", "fi"), ("framsyn", "sv"), ("foresight", "en")):
        page = web.get(f"/?q={query}&lang={language}").get_data(as_text=True)
        assert f'<html lang="{language}">' in page
        listed = names_on(page)
        foresight = {"fi": FORESIGHT_FI, "sv": "Det nationella framsynsnätverket"}
        assert foresight.get(language, "National foresight network") in listed, (query, listed)
        assert "Framsynslotsen" not in listed and "Ennakointiluotsi" not in listed


def test_inflected_finnish_and_swedish_words_are_found(web: Web) -> None:
    assert FORESIGHT_FI in names_on(web.get("/?q=ennakoinnin&lang=fi").get_data(as_text=True))
    assert "Kommunernas klimatnätverk" in names_on(
        web.get("/?q=kommunerna&lang=sv").get_data(as_text=True)
    )


def test_a_result_shows_organisation_members_how_to_join_and_the_next_event(web: Web) -> None:
    html = web.get("/?q=national+foresight&lang=en").get_data(as_text=True)
    start = html.index('<article class="network" aria-labelledby="network-')
    first = text(html[start : html.index("</article>", start)])
    assert first.startswith(" National foresight network ")
    assert "Valtioneuvoston kanslia (Prime Minister's Office) and Sitra" in first
    assert f"Members {active_members(web, FORESIGHT)} members" in first
    assert f"Open to all, in Slack: /network join {FORESIGHT}" in first
    assert "Next event Foresight morning," in first


def test_filters_narrow_the_list(web: Web) -> None:
    foresight = names_on(web.get("/?category=foresight&lang=en").get_data(as_text=True))
    assert sorted(foresight) == [
        "EU-wide Foresight Network",
        "National foresight network",
        "Skills Anticipation Forum",
    ]
    researchers = names_on(
        web.get("/?category=foresight&scope=researchers&scope=ngos&lang=en").get_data(as_text=True)
    )
    assert researchers == ["National foresight network"]
    spontaneous = names_on(web.get("/?origin=spontaneous&lang=en").get_data(as_text=True))
    assert spontaneous == ["Municipal climate network"]
    empty = web.get("/?category=participation&lang=en").get_data(as_text=True)
    assert "No published network matches" in empty


def test_the_filters_keep_what_was_chosen(web: Web) -> None:
    page = web.get("/?q=data&category=foresight&scope=state&origin=central&lang=en")
    html = page.get_data(as_text=True)
    assert 'value="data"' in html
    assert '<option value="foresight" selected>' in html
    assert 'value="state" checked' in html
    assert '<option value="central" selected>' in html


def test_pages_of_results_link_to_each_other(web: Web) -> None:
    for number in range(25):
        record = {
            "id": f"testiverkosto-{number:02d}",
            "name_fi": f"Testiverkosto {number:02d}",
            "name_en": f"Test network {number:02d}",
            "category": "development",
            "public": True,
        }
        assert web.services.importer.run(TENANT, [record]).ok
    first = web.get("/?q=testiverkosto&lang=en").get_data(as_text=True)
    assert "25 networks" in text(first) and "Page 1 of 2" in text(first)
    assert len(names_on(first)) == 20
    assert 'href="/?q=testiverkosto&amp;lang=en&amp;page=2" rel="next"' in first
    second = web.get("/?q=testiverkosto&lang=en&page=2").get_data(as_text=True)
    assert len(names_on(second)) == 5
    assert names_on(second)[-1] == "Test network 24"
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_the_language_comes_from_the_switch_then_the_browser(web: Web) -> None:
    swedish = web.get("/", **{"Accept-Language": "sv-FI,sv;q=0.9,en;q=0.5"})
    assert '<html lang="sv">' in swedish.get_data(as_text=True)
    assert swedish.headers["Content-Language"] == "sv"
    assert "Accept-Language" in swedish.headers["Vary"]
    english = web.get("/?lang=en", **{"Accept-Language": "sv"}).get_data(as_text=True)
    assert '<html lang="en">' in english and "Find a network" in english
    for code in ("fi", "sv", "en"):
        assert f'hreflang="{code}" href="/?lang={code}"' in english
    # The chosen language follows the reader from page to page, without a cookie.
    assert f'href="/networks/{FORESIGHT}?lang=en"' in english
    assert "Set-Cookie" not in swedish.headers
    unknown = web.get("/", **{"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="en">' in unknown  # the deployment's language


def test_a_network_page_shows_everything_but_people(web: Web) -> None:
    page = web.get(f"/networks/{FORESIGHT}?lang=fi")
    html = page.get_data(as_text=True)
    shown = text(html)

    assert page.status_code == 200
    assert f'<h1 id="name">{FORESIGHT_FI}</h1>' in html
    assert "Valtioneuvoston kanslia" in shown
    assert "Ennakointi" in shown  # the category
    assert "Kunnat" in shown  # who takes part
    assert "2 jäsentä" in shown
    assert "Foresight morning" in shown
    assert f'href="/networks/{FORESIGHT}/events/{web.event_id}.ics"' in html
    assert f'href="/networks/{FORESIGHT}/calendar.ics"' in html
    assert "https://slack.com/app_redirect?app=A0VERKOSTO&amp;team=T0VERKOSTO" in html
    assert f"<code>/network join {FORESIGHT}</code>" in html
    assert "Samankaltaisia verkostoja" in shown
    similar = re.search(r'<ul class="similar">(.*?)</ul>', html, re.S)
    assert similar is not None and "yhteisiä aiheita" in text(similar.group(1))


def test_a_teams_network_opens_the_bot_in_its_tenant(web: Web) -> None:
    html = web.get("/networks/kuntien-ilmastoverkosto?lang=en").get_data(as_text=True)
    assert (
        "https://teams.microsoft.com/l/entity/4b1f0f3c-5d2e-4a8b-9c61-2f7e8d9a0b13/"
        f"conversations?tenantId={TENANT}"
    ) in html
    assert "<code>network join kuntien-ilmastoverkosto</code>" in html


def test_unpublished_unlisted_archived_and_unknown_networks_are_all_just_missing(
    web: Web,
) -> None:
    missing = web.get("/networks/ei-ole-olemassa?lang=fi")
    assert missing.status_code == 404
    for slug in (UNPUBLISHED, UNLISTED, ARCHIVED):
        answer = web.get(f"/networks/{slug}?lang=fi")
        assert answer.status_code == 404
        # The same page, but for the address in its language links.
        same = answer.get_data(as_text=True).replace(slug, "ei-ole-olemassa")
        assert same == missing.get_data(as_text=True)
        assert web.get(f"/networks/{slug}/calendar.ics").status_code == 404
    assert "Tässä osoitteessa ei ole julkaistua verkostoa" in missing.get_data(as_text=True)


def test_unpublishing_takes_a_network_off_at_once(web: Web, standin) -> None:
    assert web.get(f"/networks/{FORESIGHT}").status_code == 200
    publish(web.services, standin, FORESIGHT, published=False)
    assert web.get(f"/networks/{FORESIGHT}").status_code == 404
    assert web.get(f"/networks/{FORESIGHT}/events/{web.event_id}.ics").status_code == 404


def test_events_page_and_feeds(web: Web) -> None:
    page = web.get("/events?lang=en").get_data(as_text=True)
    assert "Foresight morning" in page and "National foresight network" in page
    assert 'href="/events.ics"' in page

    feed = web.get("/events.ics")
    assert feed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = Calendar.from_ical(feed.get_data()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Foresight morning"
    single = web.get(f"/networks/{FORESIGHT}/events/{web.event_id}.ics").get_data()
    assert str(Calendar.from_ical(single).walk("VEVENT")[0]["UID"]) == str(event["UID"])
    network_feed = Calendar.from_ical(web.get(f"/networks/{FORESIGHT}/calendar.ics").get_data())
    assert str(network_feed["X-WR-CALNAME"]) == "National foresight network"


def test_hostile_text_shows_literally(web: Web, standin) -> None:
    hostile = '<script>alert("x")</script> <b>lihava</b> **tähti** [linkki](https://x.example)'
    publish(web.services, standin, "hr-juristiverkosto", description_fi=hostile)
    html = web.get("/networks/hr-juristiverkosto?lang=fi").get_data(as_text=True)
    assert "<script>alert" not in html and "<b>lihava</b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &lt;b&gt;lihava&lt;/b&gt;" in html
    assert "**tähti** [linkki](https://x.example)" in html
    listing = web.get("/?q=juristi&lang=fi").get_data(as_text=True)
    assert names_on(listing) == ["HR-juristiverkosto"]
    assert "<script>alert" not in listing and "&lt;script&gt;alert" in listing


def test_every_answer_has_the_safety_headers_and_no_cookie(web: Web) -> None:
    for path in ("/", f"/networks/{FORESIGHT}", "/events", "/accessibility", "/nope", "/?page=x"):
        answer = web.get(path)
        policy = answer.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "unsafe-inline" not in policy
        assert "script-src" not in policy  # no scripts at all
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "no-referrer"
        assert "Set-Cookie" not in answer.headers
        assert "<script" not in answer.get_data(as_text=True)


def test_an_unchanged_page_is_not_sent_again(web: Web) -> None:
    first = web.get(f"/networks/{FORESIGHT}?lang=fi")
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = web.get(f"/networks/{FORESIGHT}?lang=fi", **{"If-None-Match": tag})
    assert again.status_code == 304 and again.get_data() == b""
    other = web.get(f"/networks/{FORESIGHT}?lang=sv", **{"If-None-Match": tag})
    assert other.status_code == 200


def test_bad_addresses_get_a_400_page_in_the_readers_language(web: Web) -> None:
    for query, words in (
        ("q=" + "a" * 4000, "kentän ”q” arvo on liian pitkä"),
        ("page=abc", "kentän ”page” on oltava kokonaisluku"),
        ("page=0", "kentän ”page” on oltava kokonaisluku"),
        ("category=bogus", "”category” ei ole mikään vaihtoehdoista"),
        ("scope=everyone", "”scope” ei ole mikään vaihtoehdoista"),
        ("origin=central&origin=spontaneous", "”origin” on annettu useammin kuin kerran"),
    ):
        answer = web.get(f"/?{query}", **{"Accept-Language": "fi"})
        assert answer.status_code == 400, query
        html = answer.get_data(as_text=True)
        assert '<html lang="fi">' in html and "Osoitetta ei voitu lukea" in html
        assert words in unescape(html), (query, text(html))
    assert web.get("/events?page=-1").status_code == 400


def test_the_accessibility_statement_is_in_every_language(web: Web) -> None:
    for language, heading, write_to in (
        ("fi", "Saavutettavuusseloste", "Palautteen voi lähettää osoitteeseen:"),
        ("sv", "Tillgänglighetsutlåtande", "Respons kan skickas till:"),
        ("en", "Accessibility statement", "Send feedback to:"),
    ):
        html = web.get(f"/accessibility?lang={language}").get_data(as_text=True)
        assert f"<h1>{heading}</h1>" in html and "WCAG 2.1" in html
        assert f'{write_to} <a href="mailto:{CONTACT}">{CONTACT}</a>' in html


def test_a_feedback_address_must_be_one() -> None:
    for wrong in ("the HR unit", "mailto:palaute@example.fi", "http://user@example.fi/x"):
        with pytest.raises(ValidationError, match="e-mail address or an https:// address"):
            Settings(verkosto_web_contact=wrong, _env_file=None)
    for right in (" palaute@example.fi ", "https://example.fi/palaute"):
        assert Settings(verkosto_web_contact=right, _env_file=None).verkosto_web_contact == (
            right.strip()
        )


def test_a_short_name_two_workspaces_publish_keeps_its_first_address(web: Web) -> None:
    namesake = {**TEAMS_NETWORK, "id": FORESIGHT, "name_fi": "Kuntien ennakointi"}
    assert web.services.importer.run(TENANT, [namesake]).ok

    first = web.get(f"/networks/{FORESIGHT}?lang=fi").get_data(as_text=True)
    assert f'<h1 id="name">{FORESIGHT_FI}</h1>' in first
    listing = web.get("/?q=kuntien+ennakointi&lang=fi").get_data(as_text=True)
    [second] = re.findall(rf'href="/networks/({FORESIGHT}~\d+)\?lang=fi"', listing)
    assert "Kuntien ennakointi" in web.get(f"/networks/{second}?lang=fi").get_data(as_text=True)


def test_parameters_named_like_the_frameworks_own_are_just_ignored(web: Web) -> None:
    for path in ("/?endpoint=x&_anchor=y", "/events?_scheme=x", f"/networks/{FORESIGHT}?key=b"):
        answer = web.get(path)
        assert answer.status_code == 200, path
    assert web.get("/nope?endpoint=1").status_code == 404
    empty = web.get("/?q=&category=&origin=&page=&lang=en")
    assert empty.status_code == 200 and "6 networks" in text(empty.get_data(as_text=True))
