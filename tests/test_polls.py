"""Polls: asking by form and on one line, voting, anonymity that holds, closing on time,
results and export, feedback after events, and the nudge; all through signed requests."""

from __future__ import annotations

import csv
import io
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot import worker
from bot.clock import FrozenClock
from bot.domain import Platform, Role
from bot.platforms import ServedPlatforms
from bot.services import Services
from bot.settings import Settings
from handlers.slack.client import web_client
from handlers.slack.courier import slack_courier
from handlers.slack.standin.server import Call, WebApiStandIn
from storage.models import Ballot, Event
from tests.support import (
    ADMIN,
    COORDINATOR,
    FORESIGHT,
    LINKED,
    MEMBER,
    OUTSIDER,
    Exchange,
    Slack,
    as_actor,
    buttons_of,
    snapshot,
    text_of,
)
from tests.test_events import announce, click, direct_messages, event_id

QUESTION = '"Which date suits?" "Monday" "Tuesday" "Wednesday"'
PEOPLE = {COORDINATOR: "Aino Virtanen", MEMBER: "Mikko Korhonen", ADMIN: "Olli Mäkinen"}


def ask(slack: Slack, text: str, user_id: str = COORDINATOR) -> Call:
    """A one-line poll; the poll message it posted."""
    answer = slack.command(user_id, f"poll {FORESIGHT} {text}")
    assert "as poll" in answer.text, answer.text
    [posted] = answer.to("chat.postMessage")
    assert posted.ok, posted.response
    return posted


def vote(slack: Slack, user_id: str, poll: Call, label: str) -> Exchange:
    """Press the Vote button beside `label` (or the rating button `label`)."""
    for block in poll.params["blocks"]:
        accessory = block.get("accessory")
        if accessory and block["text"]["text"].startswith(f"*{label}*"):
            return slack.click(user_id, accessory["action_id"], accessory["value"])
    button = next(b for b in buttons_of(poll) if b["text"]["text"] == label)
    return slack.click(user_id, button["action_id"], button["value"])


def press(slack: Slack, user_id: str, poll: Call, action: str) -> Exchange:
    button = next(b for b in buttons_of(poll) if b["action_id"] == action)
    return slack.click(user_id, button["action_id"], button["value"], channel_id=LINKED)


def latest(exchange: Exchange) -> str:
    [update] = exchange.to("chat.update")
    assert update.ok, update.response
    return text_of(update)


def members(slack: Slack, services: Services, *user_ids: str) -> None:
    admin = as_actor(services, slack.standin, ADMIN)
    for user_id in user_ids:
        as_actor(services, slack.standin, user_id)
        services.memberships.set_role(admin, FORESIGHT, user_id, Role.MEMBER)
    slack.worker()


# Asking ----------------------------------------------------------------------------------------


def test_a_one_line_poll_is_posted_with_a_vote_button_per_option(
    slack: Slack, directory: Services
) -> None:
    poll = ask(slack, QUESTION)
    assert poll.params["channel"] == LINKED
    shown = text_of(poll)
    assert "Which date suits?" in shown and "Poll 1 · pick one" in shown
    assert "0 people have voted" in shown
    votes = [b for b in buttons_of(poll) if b["action_id"].startswith("poll.vote")]
    assert [b["text"]["text"] for b in votes] == ["Vote", "Vote", "Vote"]
    assert len({b["action_id"] for b in votes}) == 3


def test_the_poll_form_posts_a_poll(slack: Slack, directory: Services) -> None:
    opened = slack.command(COORDINATOR, f"poll {FORESIGHT}")
    [form] = opened.to("views.open")
    view = form.response["view"]
    assert view["title"]["text"] == "New poll"
    submitted = slack.submit(COORDINATOR, view, form_values(options="Foresight\nAI\n\nData "))
    assert submitted.response.json()["response_action"] == "update"
    [posted] = submitted.to("chat.postMessage")
    sections = [b["text"]["text"] for b in posted.params["blocks"] if b["type"] == "section"]
    assert sections == ["*Foresight*", "*AI*", "*Data*"] or sections[:3] == [
        "*Foresight*\n`░░░░░░░░░░` 0 votes (0 %)",
        "*AI*\n`░░░░░░░░░░` 0 votes (0 %)",
        "*Data*\n`░░░░░░░░░░` 0 votes (0 %)",
    ]


def form_values(**changes: Any) -> dict[str, Any]:
    def text(value: str | None) -> dict[str, Any]:
        return {"value": {"type": "plain_text_input", "value": value}}

    def choice(value: str) -> dict[str, Any]:
        return {"value": {"type": "static_select", "selected_option": {"value": value}}}

    def checked(*values: str) -> dict[str, Any]:
        options = [{"value": v} for v in values]
        return {"value": {"type": "checkboxes", "selected_options": options}}

    values = {
        "question": text(changes.pop("question", "What topic next?")),
        "kind": choice(changes.pop("kind", "choice")),
        "options": text(changes.pop("options", "Foresight\nAI\nData")),
        "multiple": checked(*(["multiple"] if changes.pop("multiple", False) else [])),
        "max_choices": {
            "value": {"type": "number_input", "value": changes.pop("max_choices", None)}
        },
        "anonymous": checked(*(["anonymous"] if changes.pop("anonymous", False) else [])),
        "results": {
            "value": {
                "type": "radio_buttons",
                "selected_option": {"value": changes.pop("results", "live")},
            }
        },
        "members_add_options": checked(
            *(["members_add_options"] if changes.pop("add_options", False) else [])
        ),
        "closes_at": {"value": {"type": "datetimepicker", "selected_date_time": None}},
    }
    assert not changes, changes
    return values


def form_poll(slack: Slack, **changes: Any) -> Call:
    view = slack.command(COORDINATOR, f"poll {FORESIGHT}").to("views.open")[0].response["view"]
    submitted = slack.submit(COORDINATOR, view, form_values(**changes))
    assert submitted.response.json()["response_action"] == "update", submitted.response.body
    [posted] = submitted.to("chat.postMessage")
    return posted


# Voting ----------------------------------------------------------------------------------------


def test_a_vote_can_be_changed_and_taken_back(slack: Slack, directory: Services) -> None:
    poll = ask(slack, QUESTION)
    first = vote(slack, MEMBER, poll, "Monday")
    assert "Your vote in *Which date suits?*: *Monday*" in first.text
    assert "*Monday*\n`██████████` 1 vote (100 %)" in latest(first)
    changed = vote(slack, MEMBER, poll, "Tuesday")
    assert "*Tuesday*" in changed.text and "Monday" not in changed.text
    assert "*Monday*\n`░░░░░░░░░░` 0 votes (0 %)" in latest(changed)
    withdrawn = vote(slack, MEMBER, poll, "Tuesday")
    assert "Your vote in *Which date suits?* is taken back" in withdrawn.text
    assert "0 people have voted" in latest(withdrawn)


def test_a_multiple_choice_poll_keeps_to_its_limit(slack: Slack, directory: Services) -> None:
    poll = form_poll(slack, options="A\nB\nC", multiple=True, max_choices="2")
    assert "pick up to 2" in text_of(poll)
    vote(slack, MEMBER, poll, "A")
    both = vote(slack, MEMBER, poll, "B")
    assert "*A* and *B*" in both.text
    before = snapshot(directory)
    third = vote(slack, MEMBER, poll, "C")
    assert "You can pick at most 2 options. Take one back first." in third.text
    assert third.to("chat.update") == []
    assert snapshot(directory) == before


def test_only_members_vote_and_others_are_told_how_to_join(
    slack: Slack, directory: Services
) -> None:
    poll = ask(slack, QUESTION)
    before = snapshot(directory)
    answer = vote(slack, OUTSIDER, poll, "Monday")
    assert "Only members of *National foresight network* can vote" in answer.text
    assert f"`/network join {FORESIGHT}`" in answer.text
    assert snapshot(directory) == before


def test_a_rating_poll_has_stars_and_an_average(slack: Slack, directory: Services) -> None:
    poll = ask(slack, '"How useful was the session?" --stars')
    stars = [b["text"]["text"] for b in buttons_of(poll) if b["action_id"].startswith("poll.vote")]
    assert stars == ["★", "★★", "★★★", "★★★★", "★★★★★"]
    vote(slack, MEMBER, poll, "★★★★")
    rated = vote(slack, COORDINATOR, poll, "★★")
    assert "average 3" in latest(rated)


# Anonymity -------------------------------------------------------------------------------------


def test_an_anonymous_poll_never_tells_who_voted_for_what(
    slack: Slack,
    directory: Services,
    standin: WebApiStandIn,
    caplog: pytest.LogCaptureFixture,
) -> None:
    members(slack, directory, ADMIN)
    caplog.set_level(logging.DEBUG)
    poll = ask(slack, QUESTION + " --anonymous")
    assert "Anonymous: nobody, not the person who asked" in text_of(poll)
    start = standin.last_seq
    caplog.clear()
    first = vote(slack, MEMBER, poll, "Monday")
    assert "the poll keeps no trace of who you are" in first.text
    assert "shown once at least 3 people have voted" in latest(first)
    assert "1 vote" not in latest(first)
    second = vote(slack, COORDINATOR, poll, "Tuesday")
    assert "2 people have voted" in latest(second) and "Monday*\n`" not in latest(second)
    third = vote(slack, ADMIN, poll, "Monday")
    assert "*Monday*\n`███████░░░` 2 votes (67 %)" in latest(third)
    # Everything logged while people voted (DEBUG included, Web API requests and all).
    logged_while_voting = caplog.text
    assert "poll" in logged_while_voting.lower(), "the logs were captured"

    poll_id = 1
    export = slack.command(COORDINATOR, f"poll export {poll_id}")
    assert "as a CSV file" in export.text
    [shared] = standin.files.values()
    table = shared["content"].decode()
    assert list(csv.reader(io.StringIO(table)))[:4] == [
        ["option", "votes"],
        ["Monday", "2"],
        ["Tuesday", "1"],
        ["Wednesday", "0"],
    ]
    messages = [
        text
        for call in standin.since(start)
        if call.method != "response_url"
        for text in standin.displayed_texts([call])
    ]
    for user_id, name in PEOPLE.items():
        for said in [*messages, table, logged_while_voting]:
            assert user_id not in said and name not in said, (user_id, said[:300])
    with directory.db.snapshot() as store:
        ballots = store.session.scalars(select(Ballot)).all()
        assert len(ballots) == 3
        assert {(b.person_id, b.voted_at) for b in ballots} == {(None, None)}
        assert all(len(b.voter) == 64 and not b.voter.isdigit() for b in ballots)


def test_results_shown_at_close_stay_hidden_until_then(slack: Slack, directory: Services) -> None:
    poll = form_poll(slack, results="at_close")
    voted = vote(slack, MEMBER, poll, "AI")
    assert "The results are shown when the poll closes." in latest(voted)
    hidden = slack.command(MEMBER, "poll results 1")
    assert "The results are shown when the poll closes." in hidden.text
    closed = press(slack, COORDINATOR, poll, "poll.close")
    assert "*AI*\n`██████████` 1 vote (100 %)" in latest(closed)


# Closing ---------------------------------------------------------------------------------------


def test_a_poll_closes_on_time_even_after_the_worker_restarts(
    slack: Slack, directory: Services, settings: Settings, clock: FrozenClock
) -> None:
    poll = ask(slack, QUESTION + " --closes 2d")
    assert "closes Wed, Dec 2, 2026 10:00 (in 2 days)" in text_of(poll)
    vote(slack, MEMBER, poll, "Monday")
    assert slack.worker().to("chat.update") == [], "not before its time"
    # The worker stops; a new one starts with nothing of the old one in memory.
    restarted = Services.build(settings, directory.db, clock)
    courier = slack_courier(settings, restarted, web_client(settings, retries=False))
    worker.configure(
        restarted, ServedPlatforms.one(Platform.SLACK, courier.deliver, slack.workspace_profile)
    )
    clock.advance(timedelta(days=2))
    before = slack.standin.last_seq
    worker.run_due()
    closing = Exchange(vote(slack, MEMBER, poll, "Tuesday").response, slack.standin.since(before))
    final = next(c for c in closing.to("chat.update") if c.params["ts"] == poll.response["ts"])
    assert "Poll 1 · pick one · closed" in text_of(final)
    assert "poll.vote" not in str(final.params["blocks"])
    [thread] = [c for c in closing.to("chat.postMessage") if c.params.get("thread_ts")]
    assert thread.params["thread_ts"] == poll.response["ts"]
    assert "Results: *Which date suits?*" in text_of(thread) and "1 vote (100 %)" in text_of(thread)
    assert "*Which date suits?* is closed." in text_of(closing.replies[-1])


def test_the_creator_or_a_coordinator_closes_early(slack: Slack, directory: Services) -> None:
    members(slack, directory, ADMIN)
    poll = ask(slack, QUESTION, user_id=MEMBER) if False else ask(slack, QUESTION)
    refused = press(slack, MEMBER, poll, "poll.close")
    assert "Only the person who asked, or a coordinator" in refused.text
    closed = press(slack, COORDINATOR, poll, "poll.close")
    assert "*Which date suits?* is closed; the results are in the poll's thread." in closed.text
    before = snapshot(directory)
    late = vote(slack, MEMBER, poll, "Monday")
    assert "*Which date suits?* is closed." in late.text
    assert snapshot(directory) == before


def test_results_and_an_export_with_names_for_an_open_poll(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    poll = ask(slack, QUESTION)
    vote(slack, MEMBER, poll, "Tuesday")
    results = slack.command(MEMBER, "poll results 1")
    assert "Results: *Which date suits?*" in results.text and "1 vote (100 %)" in results.text
    refused = slack.command(MEMBER, "poll export 1")
    assert "Only the person who asked, or a coordinator" in refused.text
    slack.command(COORDINATOR, "poll export 1")
    [shared] = standin.files.values()
    assert shared["channel"] == "D0AINO" and shared["filename"] == "poll-1.csv"
    rows = list(csv.reader(io.StringIO(shared["content"].decode())))
    assert ["Mikko Korhonen", "Tuesday"] in rows
    assert "with each person's choices" in shared["initial_comment"]
    missing = slack.command(COORDINATOR, "poll results 99")
    assert "There is no poll 99." in missing.text


def test_members_may_add_options_where_allowed(slack: Slack, directory: Services) -> None:
    poll = form_poll(slack, add_options=True)
    opened = press(slack, MEMBER, poll, "poll.add_option")
    view = opened.to("views.open")[0].response["view"]
    value = {"option": {"value": {"type": "plain_text_input", "value": "Ethics"}}}
    added = slack.submit(MEMBER, view, value)
    assert "“Ethics” is now an option." in str(added.response.json()["view"])
    assert "*Ethics*" in latest(added)
    again = slack.submit(MEMBER, view, value)
    assert again.response.json()["errors"] == {"option": "Each option only once."}


# The nudge -------------------------------------------------------------------------------------


def test_remind_non_voters_reaches_each_once(slack: Slack, directory: Services) -> None:
    members(slack, directory, ADMIN)
    poll = ask(slack, QUESTION)
    vote(slack, MEMBER, poll, "Monday")
    refused = press(slack, MEMBER, poll, "poll.nudge")
    assert "Only the person who asked can remind" in refused.text
    nudged = press(slack, COORDINATOR, poll, "poll.nudge")
    assert "I reminded 2 members who have not voted yet." in nudged.text
    reminded = {c.params["channel"] for c in nudged.to("chat.postMessage")}
    assert reminded == {COORDINATOR, ADMIN}
    assert (
        "A poll is waiting for your vote: *Which date suits?*" in direct_messages(nudged, ADMIN)[0]
    )
    again = press(slack, COORDINATOR, poll, "poll.nudge")
    assert "already reminded" in again.text
    assert again.posted() == []


# Feedback after events -------------------------------------------------------------------------


def test_the_people_who_went_are_asked_for_feedback_once_and_coordinators_get_the_summary(
    slack: Slack, directory: Services, clock: FrozenClock
) -> None:
    _, posted = announce(slack)
    event = event_id(posted)
    for going in (MEMBER, COORDINATOR, ADMIN):
        click(slack, going, "going", event)
    click(slack, OUTSIDER, "maybe", event)
    clock.advance(datetime(2026, 12, 10, 10, 1, tzinfo=UTC) - clock.now())  # it has ended
    asked = slack.worker()
    requests = {c.params["channel"]: c for c in asked.posted()}
    assert set(requests) == {MEMBER, COORDINATOR, ADMIN}
    request = requests[MEMBER]
    assert "How was *Foresight morning*?" in text_of(request)
    assert slack.worker().posted() == [], "asked once"

    rated = vote(slack, MEMBER, request, "★★★★")
    assert "Your vote in *Foresight morning*: *4*" in rated.text
    vote(slack, COORDINATOR, requests[COORDINATOR], "★★")
    vote(slack, ADMIN, requests[ADMIN], "★★★")
    forged = vote(slack, OUTSIDER, request, "★")
    assert "Only the people who went to the event" in forged.text

    form = press(slack, MEMBER, request, "poll.comment").to("views.open")[0].response["view"]
    comment = {"comment": {"value": {"type": "plain_text_input", "value": "More <!here> time"}}}
    thanked = slack.submit(MEMBER, form, comment)
    assert "Your comment is saved, without your name" in str(thanked.response.json()["view"])

    clock.advance(timedelta(days=3))
    summed = slack.worker()
    [summary] = summed.to("chat.postMessage")
    assert summary.params["channel"] == COORDINATOR
    shown = text_of(summary)
    assert "Feedback on *Foresight morning*" in shown and "average 3" in shown
    assert "More &lt;!here&gt; time" in shown
    assert "Mikko" not in shown
    with directory.db.snapshot() as store:
        held = store.session.get(Event, event)
        assert held is not None
        assert (held.feedback_score, held.feedback_count) == (3.0, 3)


# Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"Which date?" "Monday"', "Give 2 to 10 options."),
        ('"Which?" ' + " ".join(f'"{n}"' for n in range(11)), "Give 2 to 10 options."),
        ('"Which date?" "Monday" ""', "An option is empty."),
        ('"Which date?" "Monday" "monday"', "Each option only once."),
        (
            '"Which date?" "A" "B" --closes 2026-11-01T12:00',
            "The closing time must be in the future.",
        ),
        (
            '"Which date?" "A" "B" --closes tomorrow',
            "“tomorrow” is not a closing time I understand",
        ),
        ('"Which date?" "A" "B" --closes', "is not a closing time I understand"),
        ('"Which date?" "A" "B" --secret', "I do not know the option “--secret”"),
        ('"" "A" "B"', "This is needed."),
        ('"<!channel> now?" "A" "B" ' + '"x"' * 0 + " --closes 99999d", "not a closing time"),
    ],
)
def test_bad_polls_get_a_clear_answer_and_change_nothing(
    slack: Slack, directory: Services, text: str, expected: str
) -> None:
    before = snapshot(directory)
    answer = slack.command(COORDINATOR, f"poll {FORESIGHT} {text}")
    assert expected in answer.text
    assert [c.method for c in answer.calls] == ["response_url"]
    assert snapshot(directory) == before


def test_members_cannot_ask_unless_the_network_allows_it(slack: Slack, directory: Services) -> None:
    answer = slack.command(MEMBER, f"poll {FORESIGHT} {QUESTION}")
    assert "Only the coordinators of *National foresight network* start its polls" in answer.text


def test_a_recommendation_poll_runs_from_zero_to_ten(slack: Slack, directory: Services) -> None:
    poll = ask(slack, '"Would you recommend the network to a colleague?" --nps')
    scale = [b["text"]["text"] for b in buttons_of(poll) if b["action_id"].startswith("poll.vote")]
    assert scale == [str(point) for point in range(11)]
    vote(slack, MEMBER, poll, "9")
    assert "average 9" in latest(vote(slack, COORDINATOR, poll, "9"))


@pytest.mark.parametrize("value", ["abc", "1:999", "999:1", "1", "1:1:1", ":", "1:-2", "x" * 3000])
def test_forged_vote_buttons_are_refused_and_change_nothing(
    slack: Slack, directory: Services, value: str
) -> None:
    ask(slack, QUESTION)
    before = snapshot(directory)
    answer = slack.click(MEMBER, "poll.vote.1", value)
    assert "That button is out of date" in answer.text or "There is no poll" in answer.text
    assert answer.to("chat.update") == []
    assert snapshot(directory) == before
