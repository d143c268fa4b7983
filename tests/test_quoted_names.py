"""A network's name with spaces, quoted as people quote, wherever a name is followed by more
words: poll, signal, role, event, report, settings digest and signals export. Signed commands
against the stand-in; what Slack received and what is stored."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from bot.domain import DigestSchedule, MembershipStatus
from bot.services import Services
from handlers.slack.event_modal import EventFormContext
from handlers.slack.standin.server import WebApiStandIn
from storage.models import Poll, Signal
from tests.support import (
    COORDINATOR,
    FORESIGHT,
    LINKED,
    MEMBER,
    OUTSIDER,
    Exchange,
    Slack,
    network,
    snapshot,
    status_of,
    text_of,
)

NAME = "National foresight network"
# Opening and closing quotes as people type them: straight, English, Finnish and Swedish,
# single, and guillemets.
QUOTES = [('"', '"'), ("“", "”"), ("”", "”"), ("'", "'"), ("«", "»"), ("»", "»")]
# The quotes that, left open, leave nobody knowing where the name ends.
PAIRED = ['"', "“", "”", "„", "«", "»"]


def polls(services: Services) -> list[tuple[int, str, list[str]]]:
    with services.db.snapshot() as store:
        found = store.session.scalars(select(Poll).order_by(Poll.id))
        return [(p.network_id, p.question, [o.label for o in p.options]) for p in found]


def signals(services: Services) -> list[tuple[int, str]]:
    with services.db.snapshot() as store:
        return [(s.network_id, s.text) for s in store.session.scalars(select(Signal))]


def foresight_id(services: Services) -> int:
    found = network(services, FORESIGHT)
    assert found is not None
    return found.id


def poll_made(answer: Exchange, services: Services, standin: WebApiStandIn) -> None:
    assert polls(services) == [(foresight_id(services), "Which day?", ["Monday", "Tuesday"])]
    assert [call.params["channel"] for call in answer.to("chat.postMessage")] == [LINKED]


def signal_saved(answer: Exchange, services: Services, standin: WebApiStandIn) -> None:
    assert "Saved as a weak signal in *National foresight network*" in answer.text
    assert signals(services) == [(foresight_id(services), "Libraries lend “VR” headsets")]


def role_given(answer: Exchange, services: Services, standin: WebApiStandIn) -> None:
    assert "Sara Lindqvist is now in *National foresight network*" in answer.text
    assert status_of(services, FORESIGHT, OUTSIDER) == (MembershipStatus.ACTIVE, "member")


def event_form_opened(answer: Exchange, services: Services, standin: WebApiStandIn) -> None:
    [opened] = answer.to("views.open")
    assert opened.params["view"]["callback_id"] == "event.form"
    form = EventFormContext.decode(opened.params["view"]["private_metadata"])
    assert form.network_id == foresight_id(services)


def report_sent(answer: Exchange, services: Services, standin: WebApiStandIn) -> None:
    assert "*National foresight network* from" in answer.text
    names = {upload["filename"] for upload in standin.files.values()}
    assert names == {f"{FORESIGHT}-report.png", f"{FORESIGHT}-report.csv"}


def schedule_set(answer: Exchange, services: Services, standin: WebApiStandIn) -> None:
    assert "gets its digest monthly" in answer.text
    found = network(services, FORESIGHT)
    assert found is not None and found.digest_schedule is DigestSchedule.MONTHLY


def signals_exported(answer: Exchange, services: Services, standin: WebApiStandIn) -> None:
    names = [upload["filename"] for upload in standin.files.values()]
    assert names == [f"signals-{FORESIGHT}.csv"]


@dataclass(frozen=True)
class Typed:
    """A sub-command with {name} where the network's name goes, who types it, and what must
    follow."""

    text: str
    user: str
    check: Callable[[Exchange, Services, WebApiStandIn], None]

    def __str__(self) -> str:
        return self.text.split(" ")[0] if "digest" not in self.text else "settings digest"


SUBCOMMANDS = [
    Typed('poll {name} "Which day?" "Monday" "Tuesday"', COORDINATOR, poll_made),
    Typed("signal {name} Libraries lend “VR” headsets", MEMBER, signal_saved),
    Typed(f"role {{name}} <@{OUTSIDER}|sara> member", COORDINATOR, role_given),
    Typed("event {name}", COORDINATOR, event_form_opened),
    Typed("report {name} 90d", COORDINATOR, report_sent),
    Typed("settings digest {name} monthly", COORDINATOR, schedule_set),
    Typed("signals {name} export", COORDINATOR, signals_exported),
]


@pytest.mark.parametrize("opening, closing", QUOTES)
@pytest.mark.parametrize("typed", SUBCOMMANDS, ids=str)
def test_a_quoted_name_with_spaces_is_read_whole(
    typed: Typed, opening: str, closing: str, slack: Slack, directory: Services, standin
) -> None:
    if typed.check is signals_exported:
        slack.command(MEMBER, f"signal {FORESIGHT} Libraries lend VR headsets")
        standin.reset()
    answer = slack.command(typed.user, typed.text.format(name=f"{opening}{NAME}{closing}"))
    typed.check(answer, directory, standin)


@pytest.mark.parametrize("typed", SUBCOMMANDS, ids=str)
def test_an_unquoted_short_name_still_works(
    typed: Typed, slack: Slack, directory: Services, standin
) -> None:
    if typed.check is signals_exported:
        slack.command(MEMBER, f"signal {FORESIGHT} Libraries lend VR headsets")
        standin.reset()
    typed.check(slack.command(typed.user, typed.text.format(name=FORESIGHT)), directory, standin)


@pytest.mark.parametrize("opening", PAIRED)
@pytest.mark.parametrize("typed", SUBCOMMANDS, ids=str)
def test_an_unclosed_quote_gets_a_clear_answer_changes_nothing_and_posts_nothing(
    typed: Typed, opening: str, slack: Slack, directory: Services, standin
) -> None:
    before = snapshot(directory)
    answer = slack.command(typed.user, typed.text.format(name=f"{opening}{NAME}"))
    assert f"A quote ({opening}) opens but never closes" in answer.text
    assert [call.method for call in answer.calls] == ["response_url"]
    assert standin.files == {} and signals(directory) == []
    assert snapshot(directory) == before


def test_an_apostrophe_left_open_is_only_a_letter(slack: Slack, directory: Services) -> None:
    before = snapshot(directory)
    answer = slack.command(MEMBER, f"signal '{NAME} Libraries lend VR headsets")
    assert "I found no network called “'National”" in answer.text
    assert "If the network's name has spaces, put it in quotes" in answer.text
    assert [call.method for call in answer.calls] == ["response_url"]
    assert snapshot(directory) == before and signals(directory) == []


def test_an_unquoted_name_that_goes_on_is_refused_with_the_command_quoted(
    slack: Slack, directory: Services
) -> None:
    before = snapshot(directory)
    answer = slack.command(MEMBER, f"signal {NAME} Libraries lend VR headsets")
    assert "Where does the network's name end: at “National”, or is it “National foresight" in (
        answer.text
    )
    assert "`/network signal “National foresight network” Libraries lend VR headsets`" in (
        answer.text
    )
    assert [call.method for call in answer.calls] == ["response_url"]
    assert snapshot(directory) == before and signals(directory) == []


def test_an_unquoted_name_of_no_network_is_answered_with_how_to_quote_in_the_persons_language(
    slack: Slack, directory: Services
) -> None:
    slack.command(MEMBER, "settings language fi")
    answer = slack.command(MEMBER, "signaali Acceptance Quality Network something noticed")
    assert "En löytänyt verkostoa nimeltä ”Acceptance”" in answer.text
    assert "kirjoita se lainausmerkkeihin: `/network signaali ”Verkoston nimi”" in answer.text
    assert signals(directory) == []


def test_an_unquoted_signal_name_that_is_ambiguous_or_misspelt_still_gets_its_choices(
    slack: Slack, directory: Services
) -> None:
    ambiguous = slack.command(MEMBER, "signal valtion Libraries lend VR headsets")
    assert "“valtion” matches several networks" in ambiguous.text
    assert "valtion-tyonantajaverkosto" in ambiguous.text
    misspelt = slack.command(MEMBER, "signal ennakointiverkostoo Libraries lend VR headsets")
    assert "put it in quotes" in misspelt.text and "Did you mean" in misspelt.text
    assert "National foresight network" in misspelt.text
    assert signals(directory) == []


def test_quotes_inside_a_signal_text_are_kept_as_typed(slack: Slack, directory: Services) -> None:
    slack.command(MEMBER, f'signal “{NAME}” A "digital twin" of the city, «soon»')
    assert signals(directory) == [(foresight_id(directory), 'A "digital twin" of the city, «soon»')]


def test_a_quoted_poll_name_comes_before_the_question(
    slack: Slack, directory: Services, standin
) -> None:
    answer = slack.command(COORDINATOR, f"poll ”{NAME}” ”Which day?” ”Monday” ”Tuesday”")
    poll_made(answer, directory, standin)
    assert text_of(answer.reply)
