"""What people do with suggestions: shown ones recorded without text, "Not interested" hiding a
network from one person, what members take up moving a pair for everyone once enough of them
have, the report's count, and the privacy export, forget and retention covering the records."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.clock import FrozenClock
from bot.domain import SuggestionOutcome
from bot.errors import Unavailable
from bot.i18n import Translator
from bot.services import Services
from bot.settings import Settings
from handlers.slack.standin.server import WebApiStandIn
from storage.models import Person, Suggestion
from storage.repositories.suggestions import Suggestions
from tests.support import (
    ADMIN,
    FORESIGHT,
    MEMBER,
    OUTSIDER,
    Slack,
    add_members,
    as_actor,
    buttons_of,
    memberships,
    network,
)

NETWORK_LINE = re.compile(r"^\*(.+?)\*  `([a-z0-9-]+)`", re.M)
NOT_INTERESTED = "suggestion.not_interested"
STALE = Translator("en")("error.stale_action")


def similar(slack: Slack, user_id: str, slug: str = FORESIGHT) -> list[str]:
    answer = slack.command(user_id, f"similar {slug}")
    return [match.group(2) for match in NETWORK_LINE.finditer(answer.text)]


def network_id(services: Services, slug: str) -> int:
    found = network(services, slug)
    assert found is not None
    return found.id


def suggestions_of(services: Services, user_id: str) -> dict[str, SuggestionOutcome | None]:
    """What is stored of the suggestions made to a person: how each network was taken up."""
    return {slug: outcome for slug, (outcome, _) in _rows(services, user_id).items()}


def refused_by(services: Services, user_id: str) -> set[str]:
    """The networks a person said they are not interested in."""
    return {slug for slug, (_, refused) in _rows(services, user_id).items() if refused}


def _rows(services: Services, user_id: str) -> dict[str, tuple[SuggestionOutcome | None, bool]]:
    with services.db.snapshot() as store:
        rows = store.session.execute(
            select(Suggestion)
            .join(Person, Person.id == Suggestion.person_id)
            .where(Person.user_id == user_id)
        ).scalars()
        return {r.network.slug: (r.outcome, r.not_interested_at is not None) for r in rows}


def test_what_is_shown_is_recorded_without_text(slack: Slack, directory: Services) -> None:
    shown = similar(slack, MEMBER)
    assert len(shown) >= 3
    assert suggestions_of(directory, MEMBER) == dict.fromkeys(shown)
    columns = set(Suggestion.__table__.columns.keys())
    kept = {"id", "workspace_id", "person_id", "network_id", "shown_at", "outcome", "acted_at"}
    kept.add("not_interested_at")
    assert columns == kept, "no text of the suggestion is kept"


def test_not_interested_hides_a_network_from_that_person_only(
    slack: Slack, directory: Services
) -> None:
    answer = slack.command(MEMBER, f"similar {FORESIGHT}")
    first = NETWORK_LINE.findall(answer.text)[0][1]
    [button] = [
        b
        for b in answer.buttons()
        if b["action_id"].startswith(NOT_INTERESTED)
        and b["value"] == str(network_id(directory, first))
    ]
    assert button["text"]["text"] == "Not interested"

    pressed = slack.click(MEMBER, button["action_id"], button["value"])

    assert pressed.response.status == 200
    assert "I will not suggest" in pressed.text and "again" in pressed.text
    assert refused_by(directory, MEMBER) == {first}
    assert first not in similar(slack, MEMBER)
    assert first not in slack.command(MEMBER, "suggest").text
    assert first in similar(slack, OUTSIDER), "only for the one who said so"


def test_not_interested_in_a_network_that_is_gone_changes_nothing(
    slack: Slack, directory: Services
) -> None:
    pressed = slack.click(MEMBER, NOT_INTERESTED, "999999")
    assert STALE in pressed.text
    assert suggestions_of(directory, MEMBER) == {}


def test_what_members_take_up_lifts_the_pair_for_everyone_after_enough_evidence(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    members = ["U0L001", "U0L002", "U0L003"]
    add_members(directory, standin, FORESIGHT, members)
    newcomer = "U0L009"
    standin.add_user(newcomer, "newcomer", "New Comer")
    before = similar(slack, newcomer)
    lifted = before[-1]
    target = str(network_id(directory, lifted))

    def opens(user_id: str) -> None:
        assert lifted in similar(slack, user_id), "shown the network first"
        slack.click(user_id, "network.info", target)
        assert suggestions_of(directory, user_id)[lifted] is SuggestionOutcome.OPENED

    opens(members[0])
    assert similar(slack, newcomer) == before, "one person's click moves nothing"
    opens(members[1])
    assert similar(slack, newcomer) == before
    opens(members[2])
    after = similar(slack, newcomer)
    assert after.index(lifted) < before.index(lifted), "three members took it up: it rises"
    answer = slack.command(newcomer, f"similar {FORESIGHT}")
    assert "3 people took it up when it was suggested" in answer.text


def test_what_members_turn_down_sinks_for_everyone_after_enough_evidence(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    members = ["U0L001", "U0L002", "U0L003"]
    add_members(directory, standin, FORESIGHT, members)
    standin.add_user("U0L009", "newcomer", "New Comer")
    before = similar(slack, "U0L009")
    sunk = before[1]
    for user_id in members:
        similar(slack, user_id)
        slack.click(user_id, NOT_INTERESTED, str(network_id(directory, sunk)))
    after = similar(slack, "U0L009")
    assert sunk not in after or after.index(sunk) > before.index(sunk)


def test_joining_soon_after_a_suggestion_counts_in_the_report_and_late_joining_does_not(
    slack: Slack, directory: Services, clock: FrozenClock, standin: WebApiStandIn
) -> None:
    add_members(directory, standin, FORESIGHT, ["U0L001", "U0L002"])
    joined_early = similar(slack, "U0L001")[0]
    similar(slack, "U0L002")
    ennakointiluotsi_id = str(network_id(directory, joined_early))
    slack.click("U0L001", "network.join", ennakointiluotsi_id)
    clock.advance(timedelta(days=15))
    slack.click("U0L002", "network.join", ennakointiluotsi_id)

    assert suggestions_of(directory, "U0L001")[joined_early] is SuggestionOutcome.JOINED
    assert suggestions_of(directory, "U0L002")[joined_early] is None, "after 14 days"
    report = slack.command(ADMIN, f"report {joined_early} 4w")
    assert "1 member joined after it was suggested to them" in report.text


def test_export_forget_and_retention_cover_suggestions(
    slack: Slack,
    directory: Services,
    clock: FrozenClock,
    settings: Settings,
    standin: WebApiStandIn,
) -> None:
    shown = similar(slack, MEMBER)
    slack.click(MEMBER, NOT_INTERESTED, str(network_id(directory, shown[1])))

    export = directory.privacy.export(as_actor(directory, standin, MEMBER)).data["suggestions"]
    assert {item["network"] for item in export} == set(shown)
    refused = [item for item in export if item["not_interested"]]
    assert [item["network"] for item in refused] == [shown[1]]
    fields = {"network", "shown", "what_you_did", "when", "not_interested"}
    assert all(set(item) == fields for item in export)

    clock.advance(timedelta(days=settings.verkosto_retention_days + 1))
    similar(slack, OUTSIDER)
    pruned = directory.privacy.prune()
    assert pruned.suggestions == len(shown), "MEMBER's are older than the retention period"
    assert suggestions_of(directory, MEMBER) == {}
    assert suggestions_of(directory, OUTSIDER), "shown today: kept"

    directory.privacy.forget(as_actor(directory, standin, OUTSIDER))
    with directory.db.snapshot() as store:
        assert store.session.scalars(select(Suggestion)).all() == []


def test_the_buttons_on_suggestions_say_not_interested_in_the_readers_language(
    slack: Slack, directory: Services
) -> None:
    slack.command(OUTSIDER, "settings language sv")
    answer = slack.command(OUTSIDER, f"similar {FORESIGHT}")
    labels = [b["text"]["text"] for b in buttons_of(answer.reply)]
    assert labels.count("Inte intresserad") == len(NETWORK_LINE.findall(answer.text)) > 0
    payload = json.dumps(answer.reply.params)
    assert NOT_INTERESTED in payload


def test_a_person_in_many_networks_counts_once_and_one_click_still_moves_nothing(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    sources = [FORESIGHT, "ennakointiluotsi", "eu-ennakointiverkosto"]
    for slug in sources:
        add_members(directory, standin, slug, ["U0L001", "U0L009"])
    before = slack.command("U0L009", "suggest").text
    first = NETWORK_LINE.findall(before)[0][1]
    slack.command("U0L001", "suggest")
    slack.click("U0L001", NOT_INTERESTED, str(network_id(directory, first)))
    assert slack.command("U0L009", "suggest").text == before, "one person, however many networks"


def test_not_interested_in_ones_own_network_is_refused_and_changes_nothing(
    slack: Slack, directory: Services
) -> None:
    shown = similar(slack, MEMBER)
    joined = shown[0]
    slack.click(MEMBER, "network.join", str(network_id(directory, joined)))
    # The suggestion's list is still on screen: its Not interested pressed after joining.
    pressed = slack.click(MEMBER, NOT_INTERESTED, str(network_id(directory, joined)))
    assert "already a member" in pressed.text
    assert refused_by(directory, MEMBER) == set()
    assert suggestions_of(directory, MEMBER)[joined] is SuggestionOutcome.JOINED


def test_an_unlisted_network_cannot_be_turned_down_by_someone_who_cannot_see_it(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    admin = as_actor(directory, standin, ADMIN)
    directory.networks.create(
        admin, {"name_fi": "Piilotettu", "slug": "piilotettu", "category": "development"}
    )
    editable = directory.networks.editable(admin, "piilotettu")
    directory.networks.update(
        admin, editable.network_id, {**editable.form.model_dump(), "listed": False}
    )
    pressed = slack.click(MEMBER, NOT_INTERESTED, str(network_id(directory, "piilotettu")))
    assert STALE in pressed.text
    assert refused_by(directory, MEMBER) == set()


def test_a_declined_request_is_not_a_joining_and_an_approved_one_is(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    by_request = "hr-juristiverkosto"
    admin = as_actor(directory, standin, ADMIN)
    editable = directory.networks.editable(admin, by_request)
    directory.networks.update(
        admin, editable.network_id, {**editable.form.model_dump(), "join_policy": "request"}
    )
    add_members(directory, standin, FORESIGHT, ["U0L001", "U0L002"])
    target = str(network_id(directory, by_request))
    for user_id in ("U0L001", "U0L002"):
        assert by_request in similar(slack, user_id, "valtion-tyonantajaverkosto")
        slack.click(user_id, "network.join", target)
    for user_id, approve in (("U0L001", True), ("U0L002", False)):
        [request] = memberships(directory, by_request, user_id)
        directory.memberships.decide(admin, request.id, approve=approve)
    assert suggestions_of(directory, "U0L001")[by_request] is SuggestionOutcome.JOINED
    assert suggestions_of(directory, "U0L002")[by_request] is None


def test_an_answer_is_given_when_what_was_shown_cannot_be_recorded(
    slack: Slack, directory: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable(*args: object, **kwargs: object) -> None:
        raise Unavailable(retry_safe=True)

    monkeypatch.setattr(Suggestions, "shown", unavailable)
    assert len(similar(slack, MEMBER)) >= 3
    assert suggestions_of(directory, MEMBER) == {}
