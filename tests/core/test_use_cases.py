"""The use-case runner that every platform's commands, buttons and forms go through: who acts,
tries again on a busy database, and what goes wrong told in the person's words."""

from __future__ import annotations

import ast
import logging
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.domain import Platform
from bot.errors import Unavailable
from bot.results.memberships import JoinKind
from storage.models import Workspace
from tests.core.platform import Scene
from tests.core.scenarios import OPEN_NETWORK, OUTSIDER

CORE_TESTS = Path(__file__).parent
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def test_a_workspace_first_met_on_teams_is_kept_as_a_teams_tenant(scene: Scene) -> None:
    on_teams = replace(scene, workspace=TENANT, kind=Platform.TEAMS)
    on_teams.meet("29:1a2b3c-teams-user", "Kaisa Teams")

    actor = on_teams.actor("29:1a2b3c-teams-user")

    with scene.services.db.snapshot() as store:
        platforms = dict(store.session.execute(select(Workspace.team_id, Workspace.platform)).all())
    assert platforms == {scene.workspace: scene.kind, TENANT: Platform.TEAMS}
    assert actor.workspace_id != scene.actor(OUTSIDER).workspace_id


def test_a_busy_database_that_saved_nothing_is_tried_again(scene: Scene) -> None:
    turned_away: list[int] = []

    def join_once_the_database_answers(actor, t):
        if not turned_away:
            turned_away.append(1)
            raise Unavailable(retry_safe=True)
        return scene.services.memberships.join(actor, name=OPEN_NETWORK)

    outcome = scene.act(OUTSIDER, join_once_the_database_answers)

    assert outcome.error is None
    assert outcome.result.kind is JoinKind.JOINED


def test_work_that_may_have_been_saved_is_not_tried_again(scene: Scene) -> None:
    tries: list[int] = []

    def unsure(actor, t):
        tries.append(1)
        raise Unavailable(retry_safe=False)

    outcome = scene.act(OUTSIDER, unsure)

    assert tries == [1]
    assert outcome.error is not None and outcome.error.key == "error.unavailable"


def test_something_unexpected_is_logged_and_told_as_a_generic_error(
    scene: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(actor, t):
        raise KeyError("a bug")

    with caplog.at_level(logging.ERROR, logger="bot.use_cases"):
        outcome = scene.act(OUTSIDER, broken)

    assert outcome.error is not None and outcome.error.key == "error.generic"
    assert "request from P-SARA in T0CORE failed" in caplog.text


def test_someone_the_platform_does_not_know_is_told_so(scene: Scene) -> None:
    outcome = scene.act("P-NOBODY", lambda actor, t: "never reached")

    assert outcome.error is not None and outcome.error.key == "error.person_not_found"
    assert outcome.result is None


def test_the_answer_is_in_the_persons_own_language(scene: Scene) -> None:
    scene.done(OUTSIDER, lambda actor, t: scene.services.people.set_language(actor, "fi"))

    outcome = scene.act(OUTSIDER, lambda actor, t: t("help.title"))

    assert outcome.t.language == "fi"
    assert outcome.result == outcome.t("help.title")
    assert outcome.result != scene.runner.translator("en")("help.title")


def test_the_core_tests_import_no_platform() -> None:
    platforms = ("handlers", "slack_bolt", "slack_sdk", "microsoft_teams")
    imported = set()
    for path in CORE_TESTS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
    assert "bot.use_cases" in imported
    assert [name for name in imported if name.split(".")[0] in platforms] == []
