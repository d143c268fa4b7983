"""Installing to many workspaces (OAuth v2): the install link, Slack's redirect back with the
workspace's token, each workspace answered with its own token, a forged or expired state
refused, uninstalling, and tokens that rotate."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.clock import FrozenClock
from bot.domain import Platform, Role
from bot.errors import NotFound
from bot.results.people import Profile
from bot.settings import MANIFEST_BOT_SCOPES
from handlers.slack.standin.model import CLIENT_ID, Install
from storage.models import (
    Membership,
    Network,
    Person,
    Workspace,
    slack_bots,
    slack_installations,
)
from tests.installs.conftest import (
    AGENCY,
    GRID,
    GRID_WORKSPACES,
    OTHER_AGENCY,
    SITE,
    Installing,
)
from tests.support import ADMIN, COORDINATOR, MEMBER, TEAMS_NETWORK, buttons_of, text_of

NETWORK = {**TEAMS_NETWORK, "public": False}
# Who approves the install on Slack's page, as the stand-in's `oauth.v2.access` tells it.
INSTALLER = "U0INSTALLER"


def test_the_install_link_sends_the_admin_to_slack_with_the_scopes_and_a_state(
    installing: Installing,
) -> None:
    location, query = installing.start()

    assert location.startswith("https://slack.com/oauth/v2/authorize?")
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"] == [",".join(MANIFEST_BOT_SCOPES)]
    assert query["redirect_uri"] == [f"{SITE}/slack/oauth_redirect"]
    assert len(query["state"][0]) >= 32


def test_coming_back_exchanges_the_code_and_stores_the_installation(
    installing: Installing,
) -> None:
    _, query = installing.start()
    code = installing.standin.grant(AGENCY)

    status, _ = installing.come_back(code, query["state"][0])

    assert status == 200
    [exchange] = installing.standin.calls_to("oauth.v2.access")
    assert exchange.params["code"] == code
    [bot] = installing.stored_bots()
    assert bot["team_id"] == AGENCY.team_id and bot["bot_token"] == installing.token_of(AGENCY)
    with installing.services.db.snapshot() as store:
        workspace = store.workspaces.by_team(AGENCY.team_id or "")
        assert workspace is not None and workspace.name == "Virasto yksi"


def test_each_workspace_is_answered_with_its_own_token(installing: Installing) -> None:
    tokens = {where.team_id: installing.install(where) for where in (AGENCY, OTHER_AGENCY)}
    assert len(set(tokens.values())) == 2

    for where, person in ((AGENCY, COORDINATOR), (OTHER_AGENCY, MEMBER)):
        before = installing.standin.last_seq
        assert installing.driver(where).command(person, "list").status == 200
        made = installing.standin.since(before)
        # Bolt checks the token (auth.test); the bot reads the new person's profile with it.
        [read] = [call for call in made if call.method == "users.info"]
        assert read.token == tokens[where.team_id]
        assert {call.token for call in made if call.token} == {tokens[where.team_id]}
        answer = [c for c in made if c.method == "response_url"][-1]
        assert text_of(answer).startswith("The directory is empty so far.")

    with installing.services.db.snapshot() as store:
        teams = {workspace.team_id for workspace in store.session.scalars(select(Workspace))}
    assert teams == {AGENCY.team_id, OTHER_AGENCY.team_id}


def test_a_forged_or_expired_state_is_refused_and_nothing_is_installed(
    installing: Installing,
) -> None:
    forged = installing.web.get(
        f"/slack/oauth_redirect?code={installing.standin.grant(AGENCY)}&state=forged",
        base_url=SITE,
        headers={"Cookie": "slack-app-oauth-state=forged"},
    )
    assert forged.status_code in (400, 401)

    _, query = installing.start()
    installing.expire_states()
    status, _ = installing.come_back(installing.standin.grant(AGENCY), query["state"][0])

    assert status in (400, 401)
    assert installing.standin.calls_to("oauth.v2.access") == []
    assert installing.stored_bots() == []


def test_the_outbox_sends_with_the_token_of_the_messages_workspace(
    installing: Installing,
) -> None:
    tokens = {where.team_id: installing.install(where) for where in (AGENCY, OTHER_AGENCY)}
    queued = given_a_role(installing, OTHER_AGENCY)

    report = installing.services.outbox.drain(installing.courier().deliver, ids=queued)

    assert report.sent == 1
    [posted] = installing.standin.calls_to("chat.postMessage")
    assert posted.token == tokens[OTHER_AGENCY.team_id]
    assert posted.params["channel"] == MEMBER


def test_uninstalling_removes_the_tokens_at_once_and_what_was_queued_fails_for_good(
    installing: Installing,
) -> None:
    installing.install(AGENCY)
    queued = given_a_role(installing, AGENCY)

    answer = installing.driver(AGENCY).event({"type": "app_uninstalled"})
    installing.standin.revoke(AGENCY)

    assert answer.status == 200
    assert installing.stored_bots() == []
    with installing.services.db.snapshot() as store:
        workspace = store.workspaces.by_team(AGENCY.team_id or "")
        assert workspace is not None and workspace.uninstalled_at is not None
    report = installing.services.outbox.drain(installing.courier().deliver, ids=queued)
    assert report.sent == 0 and [key for key, _ in report.failed] != []
    [(_, reason)] = report.failed
    assert "not installed" in reason
    assert installing.standin.calls_to("chat.postMessage") == []
    again = installing.services.outbox.drain(installing.courier().deliver)
    assert again.sent == 0 and again.failed == []


def test_a_rotating_token_is_renewed_before_it_runs_out(installing: Installing) -> None:
    first = installing.install(AGENCY, rotating=True)
    [bot] = installing.stored_bots()
    assert bot["bot_refresh_token"] and bot["bot_token_expires_at"]
    # Its end is near: the next request renews it first.
    with installing.services.db.engine.begin() as connection:
        connection.execute(update(slack_bots).values(bot_token_expires_at=bot["installed_at"]))

    assert installing.driver(AGENCY).command(COORDINATOR, "list").status == 200

    renewed = installing.token_of(AGENCY)
    assert renewed != first
    [refresh] = installing.standin.calls_to("oauth.v2.access")[1:]
    assert refresh.params["grant_type"] == "refresh_token"
    [bot] = installing.stored_bots()
    assert bot["bot_token"] == renewed
    installing.standin.expire(first)
    queued = given_a_role(installing, AGENCY)
    report = installing.services.outbox.drain(installing.courier().deliver, ids=queued)
    assert report.sent == 1
    assert installing.standin.calls_to("chat.postMessage")[-1].token == renewed


def given_a_role(installing: Installing, where: Install) -> tuple[int, ...]:
    """An admin of the workspace makes a member a coordinator: a notice waits in the outbox."""
    services = installing.services
    team = where.team_id or ""
    assert services.importer.run(team, [NETWORK], platform=Platform.SLACK).ok
    admin = services.people.identify(
        team, ADMIN, lambda _: Profile("Olli Admin", is_workspace_admin=True)
    )
    services.people.identify(team, MEMBER, lambda _: Profile("Mikko Member"))
    change = services.memberships.set_role(admin, NETWORK["id"], MEMBER, Role.COORDINATOR)
    return change.queued


def test_a_removed_workspaces_data_is_kept_for_a_reinstall_then_deleted(
    installing: Installing, clock: FrozenClock
) -> None:
    installing.install(AGENCY)
    given_a_role(installing, AGENCY)
    installing.driver(AGENCY).event({"type": "app_uninstalled"})
    services = installing.services

    clock.advance(timedelta(days=installing.settings.verkosto_retention_days - 1))
    assert services.privacy.prune().workspaces == 0
    installing.install(AGENCY)
    with services.db.snapshot() as store:
        back = store.workspaces.by_team(AGENCY.team_id or "")
        assert back is not None and back.uninstalled_at is None
        assert store.networks.all_in(back.id) != []

    installing.driver(AGENCY).event({"type": "app_uninstalled"})
    clock.advance(timedelta(days=installing.settings.verkosto_retention_days + 1))
    assert services.privacy.prune().workspaces == 1
    with services.db.snapshot() as store:
        assert store.workspaces.by_team(AGENCY.team_id or "") is None
        assert store.session.scalars(select(Network)).all() == []
        assert store.session.scalars(select(Person)).all() == []


def test_an_org_wide_install_serves_every_workspace_and_a_person_is_one_person(
    installing: Installing,
) -> None:
    token = installing.install(GRID)
    with installing.services.db.snapshot() as store:
        organisation = store.workspaces.by_team(GRID.enterprise_id or "")
        assert organisation is not None and organisation.name == "Valtio"
    assert installing.services.importer.run(GRID.enterprise_id or "", [NETWORK]).ok
    first, second = (installing.driver(GRID, team) for team in GRID_WORKSPACES)
    before = installing.standin.last_seq

    assert first.command(MEMBER, f"join {NETWORK['id']}").status == 200
    assert second.command(MEMBER, "mine").status == 200

    mine = installing.standin.since(before)
    answers = [call for call in mine if call.method == "response_url"]
    assert "Municipal climate network" in text_of(answers[-1])
    assert {call.token for call in mine if call.token} == {token}
    with installing.services.db.snapshot() as store:
        people = store.session.scalars(select(Person).where(Person.user_id == MEMBER)).all()
        assert len(people) == 1
        memberships = store.session.scalars(select(Membership)).all()
        assert [m.person_id for m in memberships] == [people[0].id]

    installing.driver(GRID, GRID_WORKSPACES[0]).event({"type": "app_uninstalled"})
    assert installing.stored_bots() == []


def test_an_org_wide_install_that_loses_one_workspace_still_serves_the_others(
    installing: Installing,
) -> None:
    token = installing.install(GRID)
    lost, kept = GRID_WORKSPACES
    revoked = installing.driver(GRID, lost).event(
        {"type": "team_access_revoked", "team_ids": [lost]}
    )
    assert revoked.status == 200

    assert [bot["bot_token"] for bot in installing.stored_bots()] == [token]
    with installing.services.db.snapshot() as store:
        organisation = store.workspaces.by_team(GRID.enterprise_id or "")
        assert organisation is not None and organisation.uninstalled_at is None
    before = installing.standin.last_seq
    assert installing.driver(GRID, kept).command(MEMBER, "mine").status == 200
    answered = [c for c in installing.standin.since(before) if c.method == "response_url"]
    assert answered and {c.token for c in installing.standin.since(before) if c.token} == {token}


def test_the_admin_who_installed_the_app_is_forgotten_from_the_installation_too(
    installing: Installing,
) -> None:
    installing.standin.add_user(INSTALLER, "ilona", "Ilona Asentaja", team_id=AGENCY.team_id)
    installing.install(AGENCY)
    slack = installing.driver(AGENCY)
    with installing.services.db.engine.connect() as connection:
        [installer] = connection.execute(select(slack_installations.c.user_id)).scalars()
    assert installer == INSTALLER

    slack.command(INSTALLER, "privacy")
    services = installing.services
    actor = services.people.identify(AGENCY.team_id or "", INSTALLER, lambda _: None)
    [installed] = services.privacy.export(actor).data["profile"]["installed_the_slack_app"]
    assert datetime.fromisoformat(installed).utcoffset() == timedelta(0), "when, in UTC"

    before = installing.standin.last_seq
    slack.command(INSTALLER, "privacy forget")
    [asked] = [c for c in installing.standin.since(before) if c.method == "response_url"]
    [forget] = buttons_of(asked)
    slack.click(INSTALLER, forget["action_id"], forget["value"])

    with installing.services.db.engine.connect() as connection:
        rows = connection.execute(select(slack_installations)).mappings().all()
    assert [row["user_id"] for row in rows] == [""]
    assert INSTALLER not in str([dict(row) for row in rows])
    assert [bot["bot_token"] for bot in installing.stored_bots()], "the workspace stays installed"
    assert slack.command(MEMBER, "mine").status == 200


def test_a_removed_workspaces_networks_leave_the_web_directory_at_once(
    installing: Installing,
) -> None:
    installing.install(AGENCY)
    published = {**TEAMS_NETWORK, "id": "virasto-yksi-verkosto"}
    assert installing.services.importer.run(AGENCY.team_id or "", [published]).ok
    assert installing.services.public.network("virasto-yksi-verkosto").network.key

    installing.driver(AGENCY).event({"type": "app_uninstalled"})

    with pytest.raises(NotFound):
        installing.services.public.network("virasto-yksi-verkosto")
