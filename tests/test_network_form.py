"""`create` and `edit`: the modal Slack opens, and what a submission saves or refuses."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain import MembershipStatus
from bot.services import Services
from tests.support import (
    COORDINATOR,
    FORESIGHT,
    MEMBER,
    OUTSIDER,
    Slack,
    audit,
    network,
    snapshot,
    status_of,
    text_of,
)


def text(value: str | None) -> dict[str, Any]:
    return {"value": {"type": "plain_text_input", "value": value}}


def select(value: str | None) -> dict[str, Any]:
    option = {"value": value, "text": {"type": "plain_text", "text": value}} if value else None
    return {"value": {"type": "static_select", "selected_option": option}}


def checked(*values: str) -> dict[str, Any]:
    return {"value": {"type": "checkboxes", "selected_options": [{"value": v} for v in values]}}


def channel(channel_id: str | None) -> dict[str, Any]:
    return {"value": {"type": "conversations_select", "selected_conversation": channel_id}}


def open_form(slack: Slack, user_id: str, command: str) -> dict[str, Any]:
    answer = slack.command(user_id, command)
    [opened] = answer.to("views.open")
    assert opened.ok, opened.response
    assert answer.replies == [], "opening a form needs no other answer"
    return opened.response["view"]


def new_network(**changes: Any) -> dict[str, Any]:
    values = {
        "name_fi": text("Tekoälyn soveltajat"),
        "name_en": text("AI practitioners"),
        "name_sv": text(None),
        "slug": text(None),
        "category": select("development"),
        "description_en": text("Civil servants who put AI to work in public services."),
        "description_fi": text(None),
        "description_sv": text(None),
        "coordinating_organisation": text("Valtiokonttori"),
        "scope": checked("state", "municipalities"),
        "tags": text("ai, machine learning, Services"),
        "join_policy": {
            "value": {"type": "radio_buttons", "selected_option": {"value": "request"}}
        },
        "listed": checked("listed"),
        "channel_id": channel(None),
        "origin": select("spontaneous"),
        "source": text("https://example.fi/ai"),
    }
    values.update(changes)
    return values


def test_create_opens_the_form_in_the_persons_language(slack: Slack, directory) -> None:
    view = open_form(slack, OUTSIDER, "create")
    assert view["title"]["text"] == "New network"
    block_ids = [block.get("block_id") for block in view["blocks"] if block["type"] == "input"]
    assert block_ids[:4] == ["name_fi", "name_en", "name_sv", "slug"]
    assert "archived" not in block_ids
    slack.command(OUTSIDER, "asetukset kieli fi")
    assert open_form(slack, OUTSIDER, "luo")["title"]["text"] == "Uusi verkosto"


def test_submitting_the_form_creates_the_network_with_its_creator_as_coordinator(
    slack: Slack, directory: Services
) -> None:
    view = open_form(slack, OUTSIDER, "create")
    answer = slack.submit(OUTSIDER, view, new_network())
    result = answer.response.json()
    assert result["response_action"] == "update"
    assert "*AI practitioners* is ready and you are its coordinator" in text_of(
        type("C", (), {"params": {"view": result["view"]}})()
    )
    created = network(directory, "tekoalyn-soveltajat")
    assert created is not None
    assert (created.name_en, created.join_policy.value, created.tags) == (
        "AI practitioners",
        "request",
        ["ai", "machine learning", "services"],
    )
    assert created.scope == ["state", "municipalities"] and created.listed is True
    assert status_of(directory, "tekoalyn-soveltajat", OUTSIDER) == (
        MembershipStatus.ACTIVE,
        "coordinator",
    )
    assert ("network_created", {}) in audit(directory)
    assert "AI practitioners" in slack.command(MEMBER, "list soveltajat").text


def errors_of(answer) -> dict[str, str]:
    result = answer.response.json()
    assert result["response_action"] == "errors", result
    return result["errors"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name_fi": text(None), "name_en": text(None)}, "name_fi", "at least one language"),
        ({"name_en": text("x" * 4000)}, "name_en", "at most 150 characters"),
        ({"description_en": text("y" * 2001)}, "description_en", "at most 2000 characters"),
        ({"slug": text("Not A Slug!")}, "slug", "lowercase letters"),
        ({"slug": text("kansallinen-ennakointiverkosto")}, "slug", "already has the short name"),
        ({"category": select(None)}, "category", "This is needed"),
        ({"category": select("astrology")}, "category", "Choose one of the options"),
        ({"tags": text(",".join(f"t{i}" for i in range(11)))}, "tags", "at most 10"),
    ],
)
def test_mistakes_are_shown_on_the_field_and_nothing_is_saved(
    slack: Slack, directory, changes, field, message
) -> None:
    view = open_form(slack, OUTSIDER, "create")
    before = snapshot(directory)
    errors = errors_of(slack.submit(OUTSIDER, view, new_network(**changes)))
    assert field in errors and message in errors[field]
    assert snapshot(directory) == before


def test_a_broadcast_in_a_name_is_stored_as_typed_and_never_pings(slack: Slack, directory):
    view = open_form(slack, OUTSIDER, "create")
    values = new_network(
        name_en=text("<!channel> party"),
        description_en=text("Ping <!here> and <@U0MIKKO> & <https://evil.example|click>"),
    )
    slack.submit(OUTSIDER, view, values)
    created = network(directory, "tekoalyn-soveltajat")
    assert created.name_en == "<!channel> party"
    info = slack.command(MEMBER, "info tekoalyn-soveltajat")
    assert "&lt;!channel&gt; party" in info.text
    assert "&lt;@U0MIKKO&gt; &amp; &lt;https://evil.example|click&gt;" in info.text
    listing = slack.command(MEMBER, "list party")
    assert "&lt;!channel&gt; party" in listing.text


def test_edit_is_for_coordinators_and_opens_the_current_values(slack: Slack, directory) -> None:
    before = snapshot(directory)
    refused = slack.command(MEMBER, f"edit {FORESIGHT}")
    assert "Only the coordinators of *National foresight network* can do that" in refused.text
    assert refused.to("views.open") == []
    assert snapshot(directory) == before
    view = open_form(slack, COORDINATOR, f"edit {FORESIGHT}")
    assert view["title"]["text"] == "Edit network"
    by_id = {block.get("block_id"): block for block in view["blocks"]}
    assert by_id["name_en"]["element"]["initial_value"] == "National foresight network"
    assert by_id["channel_id"]["element"]["initial_conversation"] == "C0ENNAKOINTI"
    assert "slug" not in by_id and "archived" in by_id


def test_editing_saves_changes_and_records_them(slack: Slack, directory: Services) -> None:
    view = open_form(slack, COORDINATOR, f"edit {FORESIGHT}")
    values = as_opened(view)
    values["description_en"] = text("Foresight producers meet on Fridays.")
    values["archived"] = checked("archived")
    answer = slack.submit(COORDINATOR, view, values)
    assert answer.response.json()["response_action"] == "update"
    edited = network(directory, FORESIGHT)
    assert edited.description_en == "Foresight producers meet on Fridays."
    assert edited.archived is True and edited.slug == FORESIGHT
    assert ("network_edited", {"fields": ["description_en", "archived"]}) in audit(directory)
    assert "archived" in slack.command(MEMBER, f"info {FORESIGHT}").text


def test_a_forged_submission_for_another_network_is_refused(slack: Slack, directory) -> None:
    view = open_form(slack, COORDINATOR, f"edit {FORESIGHT}")
    other = network(directory, "keino")
    forged = {
        **view,
        "private_metadata": view["private_metadata"].replace(
            str(network(directory, FORESIGHT).id), str(other.id)
        ),
    }
    before = snapshot(directory)
    answer = slack.submit(COORDINATOR, forged, new_network())
    result = answer.response.json()
    assert result["response_action"] == "update"
    assert "Only the coordinators of *KEINO" in str(result["view"])
    assert snapshot(directory) == before


def test_linking_a_channel_the_bot_is_not_in_asks_to_invite_it(slack: Slack, directory) -> None:
    view = open_form(slack, OUTSIDER, "create")
    answer = slack.submit(OUTSIDER, view, new_network(channel_id=channel("C0PRIVATE")))
    assert answer.response.json()["response_action"] == "update"
    [note] = answer.to("chat.postMessage")
    assert note.params["channel"] == OUTSIDER
    assert "type `/invite @Verkosto` there" in text_of(note)


def test_when_slack_will_not_open_the_form_the_person_is_told(slack: Slack, directory) -> None:
    slack.standin.fail("views.open", error="expired_trigger_id")
    answer = slack.command(OUTSIDER, "create")
    assert "Slack did not let me open the form" in answer.text


def as_opened(view: dict[str, Any]) -> dict[str, Any]:
    """The form's state values as a person who changes nothing submits them."""
    return {
        block["block_id"]: {"value": _initial_state(block["element"])}
        for block in view["blocks"]
        if block["type"] == "input"
    }


def _initial_state(element: dict[str, Any]) -> dict[str, Any]:
    kind = element["type"]
    if kind == "plain_text_input":
        return {"type": kind, "value": element.get("initial_value")}
    if kind in ("static_select", "radio_buttons"):
        return {"type": kind, "selected_option": element.get("initial_option")}
    if kind == "checkboxes":
        return {"type": kind, "selected_options": element.get("initial_options") or []}
    return {"type": kind, "selected_conversation": element.get("initial_conversation")}
