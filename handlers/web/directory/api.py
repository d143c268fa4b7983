"""The open data: what `/api/v1/…` answers, as pydantic models that also write its OpenAPI
description, and the CSV for spreadsheet users. Counts and organisations only, never a person."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

from bot.domain import Category, JoinPolicy, Origin, Platform, Scope
from bot.results.directory import PublicEvent, PublicNetwork, PublicSimilar
from bot.results.refs import Localized
from bot.tables import csv_cell
from handlers.web.directory.joining import HowToJoin

API_PREFIX = "/api/v1"


class Texts(BaseModel):
    """A text in Finnish, Swedish and English, where it exists."""

    fi: str | None = None
    sv: str | None = None
    en: str | None = None

    @classmethod
    def of(cls, texts: Localized) -> Texts:
        return cls(fi=texts.fi, sv=texts.sv, en=texts.en)


class EventOut(BaseModel):
    id: int
    network: str = Field(description="The network's key, as in /api/v1/networks/{key}")
    network_name: Texts
    title: str
    description: str | None
    place: str | None
    timezone: str = Field(description="The IANA time zone the event is planned in")
    starts_at: datetime
    ends_at: datetime
    cancelled: bool
    ics: str = Field(description="The event as an iCalendar file")

    @classmethod
    def of(cls, event: PublicEvent, base: str) -> EventOut:
        return cls(
            id=event.id,
            network=event.network_key,
            network_name=Texts.of(event.network_names),
            title=event.title,
            description=event.description,
            place=event.place,
            timezone=event.timezone,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            cancelled=event.cancelled,
            ics=f"{base}/networks/{event.network_key}/events/{event.id}.ics",
        )


class JoinOut(BaseModel):
    platform: Platform
    command: str = Field(description="What to type to the bot")
    open_url: str | None = Field(description="Opens the bot in Slack or Teams")
    install_url: str | None = Field(description="Adds the app in Teams, where it is not yet")


class NetworkOut(BaseModel):
    key: str = Field(description="Its address: /networks/{key}")
    slug: str
    name: Texts
    description: Texts
    organisation: str | None
    category: Category
    scope: list[Scope] = Field(description="Who takes part")
    origin: Origin
    tags: list[str]
    source: str | None
    join_policy: JoinPolicy
    member_count: int
    join: JoinOut
    page: str
    calendar: str = Field(description="The network's events as an iCalendar feed")
    next_event: EventOut | None

    @classmethod
    def of(cls, network: PublicNetwork, join: HowToJoin, base: str) -> NetworkOut:
        return cls(
            key=network.key,
            slug=network.slug,
            name=Texts.of(network.names),
            description=Texts.of(network.descriptions),
            organisation=network.organisation,
            category=network.category,
            scope=list(network.scope),
            origin=network.origin,
            tags=list(network.tags),
            source=network.source,
            join_policy=network.join_policy,
            member_count=network.member_count,
            join=JoinOut(
                platform=join.platform,
                command=join.command,
                open_url=join.open_url,
                install_url=join.install_url,
            ),
            page=f"{base}/networks/{network.key}",
            calendar=f"{base}/networks/{network.key}/calendar.ics",
            next_event=EventOut.of(network.next_event, base) if network.next_event else None,
        )


class ReasonOut(BaseModel):
    kind: str = Field(description="topics, members, scope, organisation or text")
    count: int
    values: list[str]


class SimilarOut(BaseModel):
    network: NetworkOut
    reasons: list[ReasonOut]


class NetworkDetailOut(NetworkOut):
    events: list[EventOut]
    similar: list[SimilarOut]


class NetworkPage(BaseModel):
    total: int
    offset: int
    limit: int
    next: str | None = Field(description="The next page, if there is one")
    networks: list[NetworkOut]


class EventPage(BaseModel):
    total: int
    offset: int
    limit: int
    next: str | None
    events: list[EventOut]


def similar_out(like: PublicSimilar, join: HowToJoin, base: str) -> SimilarOut:
    return SimilarOut(
        network=NetworkOut.of(like.network, join, base),
        reasons=[
            ReasonOut(kind=reason.kind, count=reason.count, values=list(reason.values))
            for reason in like.reasons
        ],
    )


CSV_COLUMNS = (
    "key",
    "name_fi",
    "name_sv",
    "name_en",
    "organisation",
    "category",
    "scope",
    "origin",
    "tags",
    "join_policy",
    "member_count",
    "platform",
    "page",
)


def networks_csv(networks: list[NetworkOut]) -> bytes:
    """The networks as CSV (UTF-8 with a byte order mark, which spreadsheets need to read it
    right); text that would start a formula is kept as text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for network in networks:
        row: list[Any] = [
            network.key,
            network.name.fi or "",
            network.name.sv or "",
            network.name.en or "",
            network.organisation or "",
            network.category.value,
            " ".join(scope.value for scope in network.scope),
            network.origin.value,
            ", ".join(network.tags),
            network.join_policy.value,
            network.member_count,
            network.join.platform.value,
            network.page,
        ]
        writer.writerow([csv_cell(cell) if isinstance(cell, str) else cell for cell in row])
    return ("\ufeff" + out.getvalue()).encode()


def openapi(base: str) -> dict[str, Any]:
    """The API's OpenAPI 3.1 description; its schemas come from the models above."""
    _, schemas = models_json_schema(
        [(model, "serialization") for model in (NetworkPage, NetworkDetailOut, EventPage)],
        ref_template="#/components/schemas/{model}",
    )
    search = [
        _parameter("q", "Words, matched as `network list` matches them", {"type": "string"}),
        _parameter("category", "A category", {"$ref": "#/components/schemas/Category"}),
        _parameter(
            "scope",
            "Who takes part (repeat for several; a network must have each)",
            {"type": "array", "items": {"$ref": "#/components/schemas/Scope"}},
        ),
        _parameter("origin", "How the network came about", {"$ref": "#/components/schemas/Origin"}),
    ]
    paging = [
        _parameter("offset", "Skip this many", {"type": "integer", "minimum": 0, "default": 0}),
        _parameter(
            "limit",
            "At most this many",
            {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
        ),
    ]
    key = {
        "name": "key",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Verkosto: the published networks of the public sector",
            "version": "1",
            "description": "Networks their coordinators published, with member counts and "
            "upcoming events. No person's name, id or membership is ever included.",
        },
        "servers": [{"url": base + API_PREFIX}],
        "paths": {
            "/networks": _get("Published networks", "NetworkPage", [*search, *paging]),
            "/networks.csv": {
                "get": {
                    "summary": "Published networks as CSV",
                    "parameters": search,
                    "responses": {
                        "200": {"description": "CSV", "content": {"text/csv": {}}},
                        "400": {"description": "A parameter that cannot be used"},
                    },
                }
            },
            "/networks/{key}": _get("One published network", "NetworkDetailOut", [key]),
            "/events": _get("Upcoming events of published networks", "EventPage", paging),
        },
        "components": {"schemas": schemas["$defs"]},
    }


def _parameter(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": schema}


def _get(summary: str, model: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": summary,
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}
                    },
                },
                "304": {"description": "Not modified since the ETag given in If-None-Match"},
                "400": {"description": "A parameter that cannot be used"},
                "404": {"description": "No such published network"},
            },
        }
    }
