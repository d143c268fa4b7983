"""The public web directory as a Flask application inside `verkosto serve`: the pages in
Finnish, Swedish and English, the `.ics` files, and the open data under `/api/v1`.

Pages are rendered with Jinja2 (every value escaped) and work without JavaScript. Every answer
carries a strict Content-Security-Policy, an ETag (a `304` for a matching `If-None-Match`) and
no cookie; the API allows any origin to read it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum
from math import ceil
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from bot.domain import LANGUAGES, Category, Origin, Scope
from bot.errors import InvalidInput, NotFound
from bot.i18n import Translator
from bot.reasons import reason_message
from bot.results.directory import PublicEvent, PublicNetwork
from bot.results.recommendations import Reason
from bot.results.refs import FALLBACK_ORDER, Localized
from bot.services import Services
from bot.services.public_directory import PAGE_SIZE
from bot.settings import Settings
from handlers.web.directory import api
from handlers.web.directory.joining import HowToJoin, how_to_join
from handlers.web.directory.params import (
    ApiEventParams,
    ApiParams,
    EventPageParams,
    PageParams,
    read,
)
from handlers.web.routes import Wsgi

HERE = Path(__file__).parent
# Each language by its own name, in the language switch.
LANGUAGE_NAMES = (("fi", "Suomeksi"), ("sv", "På svenska"), ("en", "In English"))
CALENDAR = "text/calendar; charset=utf-8"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# Long enough to spare a busy page, short enough that a change shows within a minute.
CACHE_CONTROL = "public, max-age=60"


def _plain(template: str) -> str:
    """The catalogs' markup taken out: a page shows its words as text."""
    return template.replace("**", "").replace("`", "")


def directory_app(settings: Settings, services: Services) -> Wsgi:
    """The directory's routes; a path it does not know is a 404 page in the reader's language."""
    app = Flask(
        __name__,
        template_folder=str(HERE / "templates"),
        static_folder=str(HERE / "static"),
        static_url_path="/static",
    )
    public = services.public

    def language() -> str:
        asked = request.args.get("lang")
        if asked in LANGUAGES:
            return asked
        return request.accept_languages.best_match(LANGUAGES) or settings.verkosto_language

    def translator() -> Translator:
        return Translator(
            language(), settings.verkosto_timezone, settings.verkosto_command, markup=_plain
        )

    def base() -> str:
        """Where absolute links point: the public address, never a request's Host header
        (answers are cached); without one, links are relative."""
        return settings.verkosto_public_url or ""

    def joining(network: PublicNetwork) -> HowToJoin:
        return how_to_join(network, settings)

    def page(template: str, status: int = 200, **values: Any) -> Response:
        t = translator()

        def when(event: PublicEvent) -> str:
            local = Translator(t.language, event.timezone, markup=_plain)
            return local.span(event.starts_at, event.ends_at)

        def labels(values: Sequence[StrEnum]) -> str:
            return t.list(t.label(value) for value in values)

        def reason(found: Reason) -> str:
            key, params = reason_message(t, found)
            return say(t, key, **params)

        def switch(to: str) -> str:
            return this_address(lang=to)

        def in_language(texts: Localized) -> tuple[str, str]:
            """The text shown for `texts`, and the language it is in."""
            order = FALLBACK_ORDER.get(t.language, FALLBACK_ORDER["en"])
            code = next((code for code in order if getattr(texts, code)), t.language)
            return texts.in_(t.language), code

        html = render_template(
            template,
            t=t,
            say=say,
            lang=t.language,
            languages=LANGUAGES,
            language_names=LANGUAGE_NAMES,
            kept_language=bool(_kept_language()),
            href=href,
            timezone=settings.verkosto_timezone,
            switch=switch,
            in_language=in_language,
            when=when,
            reason=reason,
            labels=labels,
            joining=joining,
            categories=list(Category),
            scopes=list(Scope),
            origins=list(Origin),
            **values,
        )
        response = Response(html, status=status, mimetype="text/html")
        response.headers["Content-Language"] = t.language
        response.vary.add("Accept-Language")
        return response

    def href(endpoint: str, **values: Any) -> str:
        """A link within the directory that keeps the language the reader chose."""
        return url_for(endpoint, **values, **_kept_language())

    def json_answer(body: str) -> Response:
        return Response(body, mimetype="application/json")

    # Pages -------------------------------------------------------------------------------------

    @app.get("/")
    def search() -> Response:
        params = read(PageParams, request.args.to_dict(flat=False))
        found = public.search(params.filters(), (params.page - 1) * PAGE_SIZE, PAGE_SIZE)
        pages = max(1, ceil(found.total / PAGE_SIZE))

        def to_page(number: int) -> str:
            return this_address(page=str(number))

        return page("search.html", params=params, found=found, pages=pages, to_page=to_page)

    @app.get("/networks/<key>")
    def network(key: str) -> Response:
        return page("network.html", detail=public.network(key))

    @app.get("/events")
    def events() -> Response:
        params = read(EventPageParams, request.args.to_dict(flat=False))
        found = public.events((params.page - 1) * PAGE_SIZE, PAGE_SIZE)
        pages = max(1, ceil(found.total / PAGE_SIZE))

        def to_page(number: int) -> str:
            return this_address(page=str(number))

        return page(
            "events.html", found=found, page_number=params.page, pages=pages, to_page=to_page
        )

    @app.get("/accessibility")
    def accessibility() -> Response:
        contact = settings.verkosto_web_contact
        return page("accessibility.html", contact=contact, contact_link=_contact_link(contact))

    # Calendars ---------------------------------------------------------------------------------

    @app.get("/networks/<key>/calendar.ics")
    def network_calendar(key: str) -> Response:
        return Response(public.network_calendar(key), content_type=CALENDAR)

    @app.get("/networks/<key>/events/<int:event_id>.ics")
    def event_file(key: str, event_id: int) -> Response:
        return Response(public.event_file(key, event_id), content_type=CALENDAR)

    @app.get("/events.ics")
    def events_calendar() -> Response:
        return Response(
            public.events_calendar(translator()("web.all_events_name")), content_type=CALENDAR
        )

    # Open data ---------------------------------------------------------------------------------

    @app.get(f"{api.API_PREFIX}/networks")
    def api_networks() -> Response:
        params = read(ApiParams, request.args.to_dict(flat=False))
        found = public.search(params.filters(), params.offset, params.limit)
        following = params.offset + params.limit
        body = api.NetworkPage(
            total=found.total,
            offset=found.offset,
            limit=found.limit,
            next=_next_page(following) if following < found.total else None,
            networks=[api.NetworkOut.of(n, joining(n), base()) for n in found.networks],
        )
        return json_answer(body.model_dump_json())

    @app.get(f"{api.API_PREFIX}/networks.csv")
    def api_networks_csv() -> Response:
        params = read(ApiParams, request.args.to_dict(flat=False))
        found = public.search(params.filters(), limit=None)
        rows = [api.NetworkOut.of(n, joining(n), base()) for n in found.networks]
        response = Response(api.networks_csv(rows), mimetype="text/csv")
        response.headers["Content-Disposition"] = 'attachment; filename="verkosto-networks.csv"'
        return response

    @app.get(f"{api.API_PREFIX}/networks/<key>")
    def api_network(key: str) -> Response:
        shown = public.network(key)
        network = shown.network
        body = api.NetworkDetailOut(
            **api.NetworkOut.of(network, joining(network), base()).model_dump(),
            events=[api.EventOut.of(event, base()) for event in shown.events],
            similar=[
                api.similar_out(like, joining(like.network), base()) for like in shown.similar
            ],
        )
        return json_answer(body.model_dump_json())

    @app.get(f"{api.API_PREFIX}/events")
    def api_events() -> Response:
        params = read(ApiEventParams, request.args.to_dict(flat=False))
        found = public.events(params.offset, params.limit)
        following = params.offset + params.limit
        body = api.EventPage(
            total=found.total,
            offset=found.offset,
            limit=found.limit,
            next=_next_page(following) if following < found.total else None,
            events=[api.EventOut.of(event, base()) for event in found.events],
        )
        return json_answer(body.model_dump_json())

    @app.get(f"{api.API_PREFIX}/openapi.json")
    def api_description() -> Response:
        return json_answer(json.dumps(api.openapi(base())))

    def _next_page(offset: int) -> str:
        return base() + this_address(offset=str(offset))

    def this_address(**changes: str) -> str:
        """This page's address with some parameters changed (the rest as the reader gave
        them)."""
        args = request.args.to_dict(flat=False)
        args.update({name: [value] for name, value in changes.items()})
        return f"{request.path}?{urlencode(args, doseq=True)}"

    def _kept_language() -> dict[str, str]:
        asked = request.args.get("lang")
        return {"lang": asked} if asked in LANGUAGES else {}

    # Errors, in the reader's language ----------------------------------------------------------

    def is_api() -> bool:
        return request.path.startswith(api.API_PREFIX)

    @app.errorhandler(InvalidInput)
    def bad_parameter(error: InvalidInput) -> Response:
        t = translator()
        problem = t(error.key, **error.params)
        if is_api():
            body = {"error": "bad_parameter", "parameter": error.field, "message": problem}
            return Response(json.dumps(body), status=400, mimetype="application/json")
        return page("error.html", 400, title=t("web.bad_request_title"), message=problem)

    @app.errorhandler(NotFound)
    def not_found(error: NotFound) -> Response:
        return missing()

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        if error.code == 404:
            return missing()
        t = translator()
        status = error.code or 500
        if is_api():
            body = {"error": (error.name or "error").lower().replace(" ", "_")}
            return Response(json.dumps(body), status=status, mimetype="application/json")
        return page("error.html", status, title=t("web.failed_title"), message=t("error.generic"))

    def missing() -> Response:
        t = translator()
        if is_api():
            body = {"error": "not_found", "message": t("web.not_found")}
            return Response(json.dumps(body), status=404, mimetype="application/json")
        return page("error.html", 404, title=t("web.not_found_title"), message=t("web.not_found"))

    # Headers on every answer -------------------------------------------------------------------

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        if is_api():
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
            response.headers["Access-Control-Expose-Headers"] = "ETag"
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.headers["Cache-Control"] = CACHE_CONTROL
            if not response.direct_passthrough:
                response.add_etag()
                response.make_conditional(request)
        return response

    return app


def say(t: Translator, key: str, **params: Any) -> str:
    """A catalog message; one with a form per count takes the form of its `count`."""
    if t.is_counted(key):
        return t.plural(key, int(params.pop("count")), **params)
    return t(key, **params)


def _contact_link(contact: str | None) -> str | None:
    """Where the feedback address points: a web form as it is, an e-mail address to write to."""
    if contact is None or contact.startswith("https://"):
        return contact
    return f"mailto:{contact}"
