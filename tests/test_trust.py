"""Signed requests only; channel joins make members; Slack's retries are handled once."""

from __future__ import annotations

import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.domain import MembershipStatus
from handlers.slack.standin.driver import FORM
from storage.models import Event
from tests.support import (
    FORESIGHT,
    GENERAL,
    LINKED,
    OUTSIDER,
    Slack,
    memberships,
    network,
    snapshot,
    text_of,
)
from tests.test_events import announce


def signed_headers(slack: Slack, body: str, **overrides: str) -> dict[str, str]:
    return {**slack.driver.headers(body, FORM), **overrides}


@pytest.mark.parametrize(
    "tamper",
    [
        lambda headers: {k: v for k, v in headers.items() if k != "x-slack-signature"},
        lambda headers: {**headers, "x-slack-signature": "v0=" + "0" * 64},
        lambda headers: {k: v for k, v in headers.items() if k != "x-slack-request-timestamp"},
    ],
    ids=["no signature", "wrong signature", "no timestamp"],
)
def test_unsigned_or_mis_signed_requests_get_401_and_do_nothing(slack, directory, tamper):
    body = slack.driver.command_body(OUTSIDER, f"join {FORESIGHT}")
    before = snapshot(directory)
    response = slack.driver.transport(body, tamper(signed_headers(slack, body)))
    assert response.status == 401
    assert slack.standin.calls == []
    assert snapshot(directory) == before


def test_a_request_signed_six_minutes_ago_is_refused(slack: Slack, directory) -> None:
    body = slack.driver.command_body(OUTSIDER, f"join {FORESIGHT}")
    stale = slack.driver.headers(body, FORM, timestamp=int(time.time()) - 6 * 60)
    before = snapshot(directory)
    assert slack.driver.transport(body, stale).status == 401
    assert slack.standin.calls == []
    assert snapshot(directory) == before


def test_a_body_changed_after_signing_is_refused(slack: Slack, directory) -> None:
    body = slack.driver.command_body(OUTSIDER, "help")
    headers = signed_headers(slack, body)
    assert slack.driver.transport(body.replace("help", "join+keino"), headers).status == 401


def test_joining_a_linked_channel_in_slack_makes_a_member(slack: Slack, directory) -> None:
    answer = slack.event(user_id=OUTSIDER, channel_id=LINKED)
    assert answer.response.status == 200
    [welcome] = answer.to("chat.postEphemeral")
    assert (welcome.params["channel"], welcome.params["user"]) == (LINKED, OUTSIDER)
    assert "so you are now a member of *National foresight network*" in text_of(welcome)
    [spell] = memberships(directory, FORESIGHT, OUTSIDER)
    assert spell.status is MembershipStatus.ACTIVE


def test_a_channel_shared_under_a_new_id_keeps_its_networks(slack: Slack, directory) -> None:
    shared = "C0SHAREDNOW"
    slack.standin.channels[shared] = slack.standin.channels[LINKED]
    announce(slack)
    changed = slack.driver.event(
        {"type": "channel_id_changed", "old_channel_id": LINKED, "new_channel_id": shared}
    )
    assert changed.status == 200

    found = network(directory, FORESIGHT)
    assert found is not None and found.channel_id == shared
    with directory.db.snapshot() as store:
        [event] = store.session.scalars(select(Event)).all()
        assert event.channel_id == shared, "what is announced there follows it"
    answer = slack.event(user_id=OUTSIDER, channel_id=shared)
    [welcome] = answer.to("chat.postEphemeral")
    assert welcome.params["channel"] == shared
    [spell] = memberships(directory, FORESIGHT, OUTSIDER)
    assert spell.status is MembershipStatus.ACTIVE


def test_joining_an_unlinked_channel_changes_nothing(slack: Slack, directory) -> None:
    before = snapshot(directory)
    answer = slack.event(user_id=OUTSIDER, channel_id=GENERAL)
    assert answer.to("chat.postEphemeral") == []
    assert snapshot(directory) == before


def test_a_member_joining_the_channel_again_is_not_welcomed_twice(slack, directory) -> None:
    slack.command(OUTSIDER, f"join {FORESIGHT}")
    answer = slack.event(user_id=OUTSIDER, channel_id=LINKED)
    assert answer.to("chat.postEphemeral") == []
    assert len(memberships(directory, FORESIGHT, OUTSIDER)) == 1


def test_an_events_api_retry_is_handled_once(slack: Slack, directory) -> None:
    first = slack.event(user_id=OUTSIDER, channel_id=LINKED, event_id="Ev0RETRY")
    slack.command(OUTSIDER, f"leave {FORESIGHT}")
    retry = slack.event(user_id=OUTSIDER, channel_id=LINKED, event_id="Ev0RETRY", retry=1)
    assert first.response.status == retry.response.status == 200
    assert len(first.to("chat.postEphemeral")) == 1
    assert retry.calls == [], "the redelivery is acked and nothing else"
    statuses = [spell.status for spell in memberships(directory, FORESIGHT, OUTSIDER)]
    assert statuses == [MembershipStatus.LEFT], "the retry did not join them again"


def test_the_bot_joining_a_channel_is_not_a_member(slack: Slack, directory) -> None:
    before = snapshot(directory)
    answer = slack.event(user_id="U0VERKOSTOBOT", channel_id=LINKED)
    assert answer.calls == []
    assert snapshot(directory) == before


def test_settings_change_the_language_of_every_answer(slack: Slack, directory) -> None:
    shown = slack.command(OUTSIDER, "settings")
    assert "You read me in English" in shown.text
    changed = slack.command(OUTSIDER, "settings language svenska")
    assert "jag svarar dig på svenska" in changed.text
    assert "Du läser mig på svenska" in slack.command(OUTSIDER, "inställningar").text
    finnish = slack.command(OUTSIDER, "asetukset kieli suomi")
    assert "vastaan sinulle tästä lähtien kielellä suomi" in finnish.text


def test_an_answer_is_retried_when_slack_fails_for_a_moment(slack: Slack, directory) -> None:
    slack.standin.fail("response_url", status=500)
    answer = slack.command(OUTSIDER, "mine")
    statuses = [call.status for call in answer.to("response_url")]
    assert statuses == [500, 200]
    assert "You have not joined any network yet" in text_of(answer.to("response_url")[-1])


def test_a_web_api_call_is_retried_after_a_server_error(slack: Slack, directory) -> None:
    slack.standin.fail("conversations.invite", status=503)
    answer = slack.command(OUTSIDER, f"join {FORESIGHT}")
    assert [call.status for call in answer.to("conversations.invite")] == [503, 200]
    assert "I added you to <#C0ENNAKOINTI>" in answer.text


def test_the_stand_in_answers_unknown_methods_like_slack(standin) -> None:
    client = WebClient(token=standin.token, base_url=standin.api_url)
    for method in ("chat.flyToTheMoon", "record", "take.fault"):
        with pytest.raises(SlackApiError) as refused:
            client.api_call(method, json={})
        assert refused.value.response.data == {"ok": False, "error": "unknown_method"}
