"""`/network`, `help`, `list` and `info`, driven through the real app with signed requests."""

from __future__ import annotations

import json

import pytest

from handlers.slack.blocks import ActionId
from tests.directory.conftest import publish
from tests.support import COORDINATOR, FORESIGHT, MEMBER, OUTSIDER, Slack, network, snapshot


@pytest.mark.parametrize("text", ["", "help", "ohje", "hjälp", "HELP"])
def test_help_lists_every_sub_command(slack: Slack, directory, text: str) -> None:
    answer = slack.command(OUTSIDER, text)
    for usage in (
        "list",
        "info NAME",
        "create",
        "edit NAME",
        "join NAME",
        "leave NAME",
        "mine",
        "members NAME",
        "role NAME @person ROLE",
        "settings language",
    ):
        assert f"/network {usage}" in answer.text


def test_a_new_person_is_looked_up_once_and_remembered(slack: Slack, directory) -> None:
    slack.standin.add_user("U0NEW", "uusi", "Uusi Ihminen", tz="Europe/Stockholm")
    first = slack.command("U0NEW", "help")
    assert [call.params["user"] for call in first.to("users.info")] == ["U0NEW"]
    assert slack.command("U0NEW", "help").to("users.info") == []


def test_help_follows_the_persons_language(slack: Slack, directory) -> None:
    slack.command(OUTSIDER, "settings language fi")
    answer = slack.command(OUTSIDER, "help")
    assert "/network liity NIMI" in answer.text
    assert "/network join NAME" not in answer.text


def test_list_finds_the_national_foresight_network_by_a_compound_part(slack: Slack, directory):
    answer = slack.command(OUTSIDER, "list ennakointi")
    assert "National foresight network" in answer.text
    assert "4 networks" in answer.text
    join_buttons = [b for b in answer.buttons() if b["action_id"] == ActionId.JOIN]
    assert len(join_buttons) == 4


def test_list_copes_with_inflected_finnish_and_swedish(slack: Slack, directory) -> None:
    assert "National foresight network" in slack.command(OUTSIDER, "list ennakoinnin").text
    assert "Local democracy network" in slack.command(OUTSIDER, "list kuntien demokratia").text


def test_list_with_filters(slack: Slack, directory) -> None:
    answer = slack.command(OUTSIDER, "list category:foresight scope:ngos")
    assert "Filtered by Foresight and NGOs" in answer.text
    assert "National foresight network" in answer.text
    assert "HR lawyers" not in answer.text


def test_list_filters_by_a_finnish_category_name(slack: Slack, directory) -> None:
    english = slack.command(OUTSIDER, "list category:foresight").text
    finnish = slack.command(OUTSIDER, "lista luokka:ennakointi").text
    assert english.count("`") == finnish.count("`")
    assert "Filtered by Foresight" in finnish


def test_list_without_words_pages_through_the_whole_directory(slack: Slack, directory) -> None:
    first = slack.command(OUTSIDER, "list")
    assert "29 networks" in first.text
    assert "Showing 1–8 of 29" in first.text
    more = [b for b in first.buttons() if b["action_id"] == ActionId.MORE]
    assert len(more) == 1
    second = slack.click(OUTSIDER, ActionId.MORE, more[0]["value"])
    assert "Showing 9–16 of 29" in second.text


def test_list_shows_leave_for_networks_the_person_is_in(slack: Slack, directory) -> None:
    answer = slack.command(MEMBER, "list ennakointi")
    leave = [b for b in answer.buttons() if b["action_id"] == ActionId.LEAVE]
    assert len(leave) == 1
    assert "you are a member" in answer.text


def test_list_with_nothing_found_says_what_to_try(slack: Slack, directory) -> None:
    answer = slack.command(OUTSIDER, "list zzyzx")
    assert "No network matches “zzyzx”" in answer.text
    assert "/network list" in answer.text


def test_list_with_an_unknown_filter_value(slack: Slack, directory) -> None:
    before = snapshot(slack.services)
    answer = slack.command(OUTSIDER, "list category:astrology")
    assert "“astrology” is not a category" in answer.text
    assert snapshot(slack.services) == before


def test_info_shows_everything_a_newcomer_needs(slack: Slack, directory) -> None:
    answer = slack.command(OUTSIDER, "info kansallinen")
    text = answer.text
    for expected in (
        "National foresight network",
        "Coordinated by",
        "Foresight",
        "Who takes part",
        "Origin",
        "2 members",
        "Aino Virtanen",
        "<#C0ENNAKOINTI>",
        "How to join",
        "anyone can join",
    ):
        assert expected in text
    join, *similar = answer.buttons()
    assert join["action_id"] == ActionId.JOIN
    foresight = network(directory, "kansallinen-ennakointiverkosto")
    assert foresight is not None and join["value"] == str(foresight.id)
    assert "Similar networks" in text and "Foresight pilot group" in text
    # Each of the three similar networks: join (or details), and not interested.
    assert len(similar) == 6 and all(b["value"] != join["value"] for b in similar)
    assert [ActionId.of(b["action_id"]) for b in similar[1::2]] == [ActionId.NOT_INTERESTED] * 3


def test_info_in_finnish_uses_the_finnish_name_and_description(slack: Slack, directory) -> None:
    slack.command(OUTSIDER, "settings language fi")
    text = slack.command(OUTSIDER, "tiedot kansallinen-ennakointiverkosto").text
    assert "Kansallinen ennakointiverkosto" in text
    assert "Koordinoija" in text
    assert "2 jäsentä" in text


def test_info_tells_coordinators_they_can_edit(slack: Slack, directory) -> None:
    assert (
        "/network edit kansallinen-ennakointiverkosto"
        in slack.command(COORDINATOR, f"info {FORESIGHT}").text
    )
    assert "/network edit" not in slack.command(MEMBER, f"info {FORESIGHT}").text


@pytest.mark.parametrize(
    "name",
    [
        "kansallinen-ennakointiverkosto",
        "Kansallinen ennakointiverkosto",
        "national foresight network",
        "KANSALLINEN ENNAKOINTIVERKOSTO",
        "kansallinen",
        "Kånsallinen ennakointiverkosto",
    ],
)
def test_a_name_resolves_by_slug_name_accentless_or_prefix(slack: Slack, directory, name) -> None:
    assert "National foresight network" in slack.command(OUTSIDER, f"info {name}").text


def test_an_ambiguous_name_lists_the_candidates(slack: Slack, directory) -> None:
    answer = slack.command(OUTSIDER, "info valtion")
    assert "“valtion” matches several networks" in answer.text
    assert "valtion-kehittajaverkosto" in answer.text
    assert "valtion-tyonantajaverkosto" in answer.text


def test_an_unknown_name_suggests_the_closest(slack: Slack, directory) -> None:
    answer = slack.command(OUTSIDER, "info ennakointiverkostoo")
    assert "I found no network called “ennakointiverkostoo”" in answer.text
    assert "Did you mean" in answer.text
    assert "kansallinen-ennakointiverkosto" in answer.text


def test_the_details_button_shows_info(slack: Slack, directory) -> None:
    listing = slack.command(OUTSIDER, "list kansallinen")
    details = next(b for b in listing.buttons() if b["action_id"] == ActionId.INFO)
    answer = slack.click(OUTSIDER, ActionId.INFO, details["value"])
    assert "Coordinated by" in answer.text


def test_forged_show_more_values_are_refused_politely(slack: Slack, directory) -> None:
    for value in (
        "not json",
        json.dumps({"q": 1, "o": "x"}),
        json.dumps({"q": "", "c": "bogus", "s": [], "o": 0}),
    ):
        answer = slack.click(OUTSIDER, ActionId.MORE, value)
        assert answer.response.status == 200
        assert "That button is out of date" in answer.text


def test_info_says_nothing_of_a_web_directory_the_deployment_does_not_have(
    slack: Slack, directory, standin
) -> None:
    publish(directory, standin, FORESIGHT)

    for person in (COORDINATOR, MEMBER):
        assert "web directory" not in slack.command(person, f"info {FORESIGHT}").text
