"""The open data: `/api/v1/…` in JSON and CSV, described by its OpenAPI document, which every
answer here is checked against."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import jsonschema

from tests.directory.conftest import (
    ARCHIVED,
    PUBLISHED,
    TENANT,
    UNLISTED,
    UNPUBLISHED,
    Web,
    publish,
)
from tests.support import FORESIGHT


def schema_of(web: Web, name: str) -> dict[str, Any]:
    """A schema of the API's own description, with its components to resolve against."""
    description = web.get("/api/v1/openapi.json").json
    assert description["openapi"].startswith("3.1")
    return {"$ref": f"#/components/schemas/{name}", "components": description["components"]}


def checked(web: Web, path: str, schema: str) -> dict[str, Any]:
    answer = web.get(path)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.headers["Content-Type"] == "application/json"
    body = answer.json
    jsonschema.validate(body, schema_of(web, schema))
    return body


def test_the_networks_with_filters_and_pages(web: Web) -> None:
    everything = checked(web, "/api/v1/networks", "NetworkPage")
    assert everything["total"] == len(PUBLISHED) + 1
    keys = {network["key"] for network in everything["networks"]}
    assert FORESIGHT in keys and UNLISTED not in keys and "kuntien-ilmastoverkosto" in keys

    foresight = checked(web, "/api/v1/networks?q=ennakointi&category=foresight", "NetworkPage")
    assert FORESIGHT in [network["key"] for network in foresight["networks"]]
    first = checked(web, "/api/v1/networks?limit=2", "NetworkPage")
    assert [first["total"], first["offset"], first["limit"]] == [len(PUBLISHED) + 1, 0, 2]
    assert first["next"] == "https://verkosto.example.fi/api/v1/networks?limit=2&offset=2"
    second = checked(web, "/api/v1/networks?limit=2&offset=2", "NetworkPage")
    assert not {n["key"] for n in first["networks"]} & {n["key"] for n in second["networks"]}
    last = checked(web, "/api/v1/networks?limit=2&offset=4", "NetworkPage")
    assert last["next"] is None


def test_one_network_in_full_without_people(web: Web) -> None:
    network = checked(web, f"/api/v1/networks/{FORESIGHT}", "NetworkDetailOut")
    assert network["name"]["sv"] == "Det nationella framsynsnätverket"
    assert network["organisation"] == "Valtioneuvoston kanslia (Prime Minister's Office) and Sitra"
    assert network["member_count"] == 2
    assert network["join"] == {
        "platform": "slack",
        "command": f"/network join {FORESIGHT}",
        "open_url": "https://slack.com/app_redirect?app=A0VERKOSTO&team=T0VERKOSTO",
        "install_url": None,
    }
    [event] = network["events"]
    assert event["title"] == "Foresight morning"
    assert event["ics"].endswith(f"/networks/{FORESIGHT}/events/{web.event_id}.ics")
    assert network["next_event"]["id"] == event["id"]
    assert network["similar"] and all(like["reasons"] for like in network["similar"])
    assert "coordinators" not in json.dumps(network)


def test_the_upcoming_events(web: Web) -> None:
    events = checked(web, "/api/v1/events", "EventPage")
    assert [event["title"] for event in events["events"]] == ["Foresight morning"]
    assert events["events"][0]["network"] == FORESIGHT


def test_the_csv_keeps_formulas_as_text(web: Web, standin) -> None:
    publish(web.services, standin, "hr-juristiverkosto", coordinating_organisation="=HYPERLINK(1)")
    answer = web.get("/api/v1/networks.csv")
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == len(PUBLISHED) + 1
    by_key = {row["key"]: row for row in rows}
    assert by_key["hr-juristiverkosto"]["organisation"] == "'=HYPERLINK(1)"
    assert by_key[FORESIGHT]["member_count"] == "2"
    assert by_key["kuntien-ilmastoverkosto"]["platform"] == "teams"


def test_cors_caching_and_not_modified(web: Web) -> None:
    answer = web.get("/api/v1/networks")
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in answer.headers["Access-Control-Expose-Headers"]
    again = web.get("/api/v1/networks", **{"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304
    preflight = web.client.options(
        "/api/v1/networks",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_the_count_changes_the_etag(web: Web, slack) -> None:
    before = web.get(f"/api/v1/networks/{FORESIGHT}")
    slack.driver.command("U0SARA", f"join {FORESIGHT}")
    after = web.get(f"/api/v1/networks/{FORESIGHT}", **{"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.json["member_count"] == 3


def test_bad_parameters_and_missing_networks_answer_in_json(web: Web) -> None:
    for query in ("limit=0", "limit=101", "offset=-1", "category=x", "q=" + "x" * 300):
        answer = web.get(f"/api/v1/networks?{query}", **{"Accept-Language": "sv"})
        assert answer.status_code == 400, query
        assert answer.json["error"] == "bad_parameter"
        assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert (
        "”limit”"
        in web.get("/api/v1/networks?limit=0", **{"Accept-Language": "sv"}).json["message"]
    )
    unknown = web.get("/api/v1/networks/ei-ole-olemassa")
    assert unknown.status_code == 404 and unknown.json["error"] == "not_found"
    for slug in (UNPUBLISHED, UNLISTED, ARCHIVED):
        missing = web.get(f"/api/v1/networks/{slug}")
        assert (missing.status_code, missing.get_data()) == (404, unknown.get_data()), slug
        assert web.get(f"/networks/{slug}/calendar.ics").status_code == 404, slug


def test_a_tenant_network_is_joined_in_teams(web: Web) -> None:
    network = checked(web, "/api/v1/networks/kuntien-ilmastoverkosto", "NetworkDetailOut")
    assert network["join"]["platform"] == "teams"
    assert network["join"]["install_url"].endswith(f"?tenantId={TENANT}")
