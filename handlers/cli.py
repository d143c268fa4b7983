"""The `verkosto` command: serve, worker, demo, db upgrade, import, report."""

from __future__ import annotations

import argparse
import atexit
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from pydantic import ValidationError

from bot.domain import Platform
from bot.i18n import Translator
from bot.lemmas import finnish_analysis
from bot.settings import GUID, Settings

if TYPE_CHECKING:
    from bot.services import Services
    from storage.database import Database

log = logging.getLogger("verkosto")
# Teams' limit on the name of an app's developer.
PUBLISHER_LENGTH = 32


class Stop(Exception):
    """Ends the command with a message for the operator and an exit status; no traceback."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        t = Translator("en")
        lines = [
            t("cli.setting_invalid", name=str(problem["loc"][0]).upper(), problem=problem["msg"])
            for problem in error.errors()
        ]
        raise Stop("\n".join(lines)) from None


def _translator(settings: Settings) -> Translator:
    return Translator(
        settings.verkosto_language, settings.verkosto_timezone, command=settings.verkosto_command
    )


def _database(settings: Settings, t: Translator, require_current: bool = True) -> Database:
    from storage.database import Database
    from storage.migrate import current_revision, head_revision

    database = Database(settings.database_url)
    try:
        revision = current_revision(database)
    except Exception as error:
        url = database.url.render_as_string(hide_password=True)
        raise Stop(t("cli.db_unreachable", url=url, problem=str(error).splitlines()[0])) from None
    if require_current and revision != head_revision():
        raise Stop(t("cli.db_behind"))
    return database


def _share_metrics() -> Callable[[], None]:
    """Have the web processes share their metrics through files in a new directory (unless
    the operator chose one), and return what removes it. It must be set before anything imports
    prometheus_client, which decides then."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return lambda: None
    directory = tempfile.mkdtemp(prefix="verkosto-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    return lambda: shutil.rmtree(directory, ignore_errors=True)


def serve(args: argparse.Namespace) -> None:
    settings = _settings()
    t = _translator(settings)
    if not settings.serves_slack() and not settings.serves_teams():
        raise Stop(t("cli.serve_no_platform") + "\n" + t("cli.try_demo"))
    missing = settings.missing_for_serving()
    if missing:
        raise Stop(t("cli.serve_missing", names=", ".join(missing)) + "\n" + t("cli.try_demo"))
    if settings.serves_teams() and settings.teams_allow_unauthenticated:
        log.warning(t("cli.teams_unauthenticated"))
    if settings.verkosto_web_directory and not settings.verkosto_web_contact:
        log.warning(t("cli.web_contact_missing"))
    if settings.slack_app_token and settings.serves_teams():
        # Socket Mode would leave Teams without the HTTP server it needs.
        raise Stop(t("cli.socket_mode_with_teams"))
    if settings.slack_app_token and settings.slack_installs():
        # Installing needs the install pages, which only the HTTP server answers.
        raise Stop(t("cli.socket_mode_with_installs"))
    _database(settings, t).dispose()
    workers = args.workers or settings.web_concurrency
    threads = args.threads or settings.web_threads
    remove_metrics = _share_metrics()

    from bot.services import Services
    from handlers.after_response import AfterResponse
    from handlers.child_process import InChildProcess
    from handlers.slack.app import build_app
    from handlers.slack.server import serve_socket_mode, slack_routes
    from handlers.teams.server import teams_platform
    from handlers.warm_up import warm_up
    from handlers.web.directory.app import directory_app
    from handlers.web.routes import web_app
    from handlers.web.server import serve_http
    from storage.database import Database

    def warm_services() -> tuple[Services, InChildProcess]:
        """This process's services and its process for the work after each answer, both
        warmed up together."""
        child = InChildProcess(settings, threads)
        child.start()
        atexit.register(child.stop)
        services = Services.build(settings, Database(settings.database_url))
        warm_up(services, threads, settings.served_platforms())
        child.wait_until_ready()
        log.info(t("cli.background_ready"))
        return services, child

    def load() -> Any:
        services, child = warm_services()
        background = AfterResponse(child)
        routes = {}
        directory = directory_app(settings, services) if settings.verkosto_web_directory else None
        if settings.serves_slack():
            app = build_app(settings, services, background=background, ask_who_the_bot_is=True)
            routes.update(slack_routes(app, background))
        if settings.serves_teams():
            routes.update(teams_platform(settings, services, background))
        return web_app(
            routes,
            services.healthy,
            services.calendars,
            ready=lambda: child.is_ready() and services.ready(),
            backlog=services.outbox.backlog,
            answers=child.waiting,
            files=services.handed_files if settings.serves_teams() else None,
            directory=directory,
            details=finnish_analysis().details,
        )

    if settings.slack_app_token:
        services, child = warm_services()
        app = build_app(settings, services, background=child, ask_who_the_bot_is=True)
        serve_socket_mode(app, settings.slack_app_token)
        return
    names = {Platform.SLACK: "Slack", Platform.TEAMS: "Microsoft Teams"}
    served = t.list(names[platform] for platform in settings.served_platforms())
    log.info(
        t("cli.serving", platforms=served, port=settings.port, workers=workers, threads=threads)
    )
    serve_http(load, settings.port, workers, threads, on_exit=remove_metrics)


def worker(args: argparse.Namespace) -> None:
    from bot import worker as scheduler
    from bot.platforms import Served, ServedPlatforms
    from bot.services import Services
    from handlers.slack.client import web_client
    from handlers.slack.courier import slack_courier
    from handlers.slack.tokens import profile_reader
    from handlers.teams.runtime import TeamsRuntime

    settings = _settings()
    t = _translator(settings)
    if not settings.serves_slack() and not settings.serves_teams():
        raise Stop(t("cli.worker_missing_token"))
    missing = settings.missing_for_slack() + settings.missing_for_teams()
    if missing:
        raise Stop(t("cli.serve_missing", names=", ".join(missing)))
    services = Services.build(settings, _database(settings, t))
    served: dict[Platform, Served] = {}
    if settings.serves_slack():
        # Slack's refusals go back to the outbox and the profile refresh, which try again later.
        client = web_client(settings, retries=False)
        courier = slack_courier(settings, services, client)
        served[Platform.SLACK] = Served(courier.deliver, profile_reader(courier.clients, services))
    if settings.serves_teams():
        # Teams tells a person's profile with every activity: nothing to read again.
        served[Platform.TEAMS] = Served(TeamsRuntime(settings, services).courier.deliver)
    scheduler.run(services, ServedPlatforms(served), settings.verkosto_timezone, once=args.once)
    services.db.dispose()


def demo(args: argparse.Namespace) -> None:
    settings = _settings()
    language = args.language or settings.verkosto_language
    if args.platform == "teams":
        from handlers.teams.demo import run_teams_demo

        run_teams_demo(settings, language=language, database_path=args.db)
        return
    from handlers.slack.demo import run_demo

    run_demo(settings, language=language, database_path=args.db)


def db_upgrade(args: argparse.Namespace) -> None:
    from storage.migrate import current_revision, upgrade

    settings = _settings()
    t = _translator(settings)
    database = _database(settings, t, require_current=False)
    upgrade(database)
    print(t("cli.db_upgraded", revision=current_revision(database)))
    database.dispose()


def db_revision(args: argparse.Namespace) -> None:
    from storage.migrate import new_revision

    settings = _settings()
    new_revision(_database(settings, _translator(settings)), args.message)


def _import_team(
    settings: Settings, t: Translator, services: Services, args: argparse.Namespace
) -> tuple[str, str | None]:
    if args.tenant:
        return args.tenant, None
    if args.team:
        return args.team, None
    known = services.importer.known_teams()
    if len(known) == 1:
        return known[0], None
    if settings.slack_bot_token:
        from handlers.slack.client import web_client

        answer = web_client(settings).auth_test()
        return answer["team_id"], answer.get("team")
    raise Stop(t("cli.import_which_team"))


def import_networks(args: argparse.Namespace) -> None:
    from bot.services import Services
    from bot.services.importer import RecordOutcome

    settings = _settings()
    t = _translator(settings)
    path = Path(args.file)
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise Stop(t("cli.import_unreadable", file=str(path), problem=str(error))) from None
    if not isinstance(records, list):
        raise Stop(t("cli.import_not_a_list", file=str(path)))
    services = Services.build(settings, _database(settings, t))
    team_id, team_name = _import_team(settings, t, services, args)
    width = len(str(len(records)))

    def progress(position: int, total: int, record_id: str, outcome: RecordOutcome) -> None:
        print(
            t(
                "cli.import_progress",
                position=f"{position:>{width}}",
                total=total,
                outcome=t(f"cli.import_outcome.{outcome.value}"),
                id=record_id,
            ),
            flush=True,
        )

    platform = Platform.TEAMS if args.tenant else Platform.SLACK
    report = services.importer.run(
        team_id, records, progress=progress, team_name=team_name, platform=platform
    )
    print(t("cli.import_summary", **{o.value: n for o, n in report.counts.items()}))
    for rejection in report.rejections:
        for problem in rejection.problems:
            print(
                t(
                    "cli.import_problem",
                    id=rejection.record_id,
                    position=rejection.position,
                    field=problem.field or "-",
                    problem=t(problem.key, **problem.params),
                )
            )
    services.db.dispose()
    if not report.ok:
        raise Stop(t("cli.import_rejected"), status=1)


def report(args: argparse.Namespace) -> None:
    """Write a network's report (chart and CSV) for the regular evaluation."""
    from bot.errors import Conflict, InvalidInput, NotFound
    from bot.exports import report_files
    from bot.report_chart import summary
    from bot.services import Services

    settings = _settings()
    t = _translator(settings)
    services = Services.build(settings, _database(settings, t))
    try:
        found = services.reports.report_of(
            args.name, args.start, args.end, settings.verkosto_timezone, args.team or args.tenant
        )
    except NotFound:
        raise Stop(t("cli.report_unknown", name=args.name)) from None
    except (InvalidInput, Conflict) as error:
        raise Stop(t(error.key, **error.params)) from None
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in report_files(found, t, settings.verkosto_timezone).items():
        path = out / name
        written.append(path)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    chart, table = written
    for key, values in summary(found):
        print(
            t.plural(key, values.pop("count"), **values) if t.is_counted(key) else t(key, **values)
        )
    print(t("cli.report_written", chart=str(chart), table=str(table)))
    services.db.dispose()


def teams_package(args: argparse.Namespace) -> None:
    from handlers.teams.package import Publisher, app_package, write_package

    settings = _settings()
    t = _translator(settings)
    app_id, website = settings.teams_client_id, settings.verkosto_public_url
    if not app_id or not website:
        needed = {"TEAMS_CLIENT_ID": app_id, "VERKOSTO_PUBLIC_URL": website}
        missing = [name for name, value in needed.items() if not value]
        raise Stop(t("cli.teams_package_missing", names=", ".join(missing)))
    if not website.startswith("https://"):
        raise Stop(t("cli.teams_package_https", url=website))
    if not (args.privacy_url and args.terms_url):
        print(t("cli.teams_package_urls", url=website))
    publisher = Publisher(
        args.publisher, website, args.privacy_url or website, args.terms_url or website
    )
    package = write_package(app_package(app_id, publisher), Path(args.out))
    print(t("cli.teams_package_written", package=str(package)))


def _https_address(value: str) -> str:
    if not value.startswith("https://"):
        raise argparse.ArgumentTypeError("an https:// address, like https://example.fi/privacy")
    return value


def _publisher(value: str) -> str:
    if not 0 < len(value) <= PUBLISHER_LENGTH:
        raise argparse.ArgumentTypeError(f"1 to {PUBLISHER_LENGTH} characters, as Teams shows it")
    return value


def _tenant(value: str) -> str:
    if not GUID.fullmatch(value):
        raise argparse.ArgumentTypeError("a tenant id is a GUID, like 72f988bf-86f1-41af-…")
    return value


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="verkosto", description="Verkosto: the networks of the public sector, in chat."
    )
    commands = main_parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="run the Slack app (HTTP or Socket Mode)")
    serve_parser.add_argument("--workers", type=int, help="processes (default WEB_CONCURRENCY)")
    serve_parser.add_argument("--threads", type=int, help="threads each (default WEB_THREADS)")
    serve_parser.set_defaults(run=serve)

    worker_parser = commands.add_parser("worker", help="run the scheduler")
    worker_parser.add_argument("--once", action="store_true", help="run what is due, then exit")
    worker_parser.set_defaults(run=worker)

    demo_parser = commands.add_parser("demo", help="a local workspace in the terminal")
    demo_parser.add_argument("--db", help="keep the demo's SQLite database in this file")
    demo_parser.add_argument("--language", choices=["en", "fi", "sv"])
    demo_parser.add_argument(
        "--platform", choices=["slack", "teams"], default="slack", help="which chat to play"
    )
    demo_parser.set_defaults(run=demo)

    db_parser = commands.add_parser("db", help="database migrations")
    db_commands = db_parser.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="migrate to the newest revision").set_defaults(
        run=db_upgrade
    )
    revision_parser = db_commands.add_parser("revision", help="(developers) new migration")
    revision_parser.add_argument("-m", "--message", required=True)
    revision_parser.set_defaults(run=db_revision)

    import_parser = commands.add_parser("import", help="load networks from a JSON file")
    import_parser.add_argument("file")
    workspace = import_parser.add_mutually_exclusive_group()
    workspace.add_argument("--team", help="a Slack workspace's team id (T…)")
    workspace.add_argument("--tenant", type=_tenant, help="a Microsoft Teams tenant id")
    import_parser.set_defaults(run=import_networks)

    report_parser = commands.add_parser("report", help="a network's report: chart and CSV")
    report_parser.add_argument("name", help="the network's short name")
    report_parser.add_argument(
        "--from", dest="start", type=date.fromisoformat, required=True, help="first day"
    )
    report_parser.add_argument(
        "--to", dest="end", type=date.fromisoformat, required=True, help="last day"
    )
    report_parser.add_argument("--out", default=".", help="directory for the files")
    workspace = report_parser.add_mutually_exclusive_group()
    workspace.add_argument("--team", help="its Slack workspace's team id (T… or E…)")
    workspace.add_argument("--tenant", type=_tenant, help="its Microsoft Teams tenant id")
    report_parser.set_defaults(run=report)

    teams_parser = commands.add_parser("teams", help="Microsoft Teams")
    teams_commands = teams_parser.add_subparsers(dest="teams_command", required=True)
    package_parser = teams_commands.add_parser("package", help="the Teams app package to upload")
    package_parser.add_argument("--out", required=True, help="directory for the package's files")
    package_parser.add_argument(
        "--publisher", type=_publisher, default="Verkosto", help="the organisation offering it"
    )
    package_parser.add_argument(
        "--privacy-url", type=_https_address, help="your organisation's privacy notice"
    )
    package_parser.add_argument("--terms-url", type=_https_address, help="the terms of use")
    package_parser.set_defaults(run=teams_package)
    return main_parser


def main(argv: Sequence[str] | None = None) -> NoReturn:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    args = parser().parse_args(argv)
    try:
        args.run(args)
    except Stop as stop:
        print(stop, file=sys.stderr)
        sys.exit(stop.status)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # Whoever read the output stopped (`verkosto demo | head`): stop quietly too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    sys.exit(0)
