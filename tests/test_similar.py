"""Similar networks, on the real networks: answers a civil servant would agree with, the people
signal, the exclusions and the reasons; asked through signed `/network` commands."""

from __future__ import annotations

import re

from bot.services import Services
from bot.services.catalog import NetworkCatalog
from bot.services.recommendations import RecommendationService
from bot.settings import Settings
from bot.similarity import PeopleIndex
from handlers.slack.standin.server import WebApiStandIn
from tests.support import (
    ADMIN,
    COORDINATOR,
    FORESIGHT,
    MEMBER,
    OUTSIDER,
    TEAM_ID,
    Slack,
    add_members,
    as_actor,
)

NETWORK_LINE = re.compile(r"^\*(.+?)\*  `([a-z0-9-]+)`", re.M)


def similar(slack: Slack, slug: str, user_id: str = OUTSIDER) -> list[str]:
    """The slugs `/network similar` answers with, best first."""
    answer = slack.command(user_id, f"similar {slug}")
    return [match.group(2) for match in NETWORK_LINE.finditer(answer.text)]


def test_the_national_foresight_network_and_the_foresight_pilot_group_find_each_other(
    slack: Slack, directory: Services
) -> None:
    assert similar(slack, FORESIGHT)[0] == "ennakointiluotsi"
    assert similar(slack, "ennakointiluotsi")[0] == FORESIGHT
    # The other foresight networks follow.
    assert {"eu-ennakointiverkosto", "osaamisen-ennakointifoorumi"} <= set(
        similar(slack, FORESIGHT)[:4]
    )


def test_the_democracy_networks_find_each_other(slack: Slack, directory: Services) -> None:
    assert similar(slack, "kuntademokratiaverkosto")[0] == "valtioneuvoston-demokratiaverkosto"
    assert similar(slack, "valtioneuvoston-demokratiaverkosto")[0] == "kuntademokratiaverkosto"


def test_a_network_described_only_in_finnish_finds_its_subject(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    admin = as_actor(directory, standin, ADMIN)
    directory.networks.create(
        admin,
        {
            "name_fi": "Tekoälyn soveltajat",
            "slug": "tekoalyn-soveltajat",
            "category": "development",
            "description_fi": "Julkishallinnon tekoälyn ja elämäntapahtumiin perustuvien "
            "digitaalisten palvelujen kehittäjien verkosto.",
        },
    )
    assert similar(slack, "tekoalyn-soveltajat")[0] == "auroraai-verkosto"


def test_many_shared_members_bring_networks_together_whatever_their_texts(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    before = similar(slack, "hr-juristiverkosto")
    assert "terve-kunta-verkosto" not in before[:3], "nothing in common by topic"
    people = [f"U0S{number:03d}" for number in range(12)]
    add_members(directory, standin, "hr-juristiverkosto", people)
    add_members(directory, standin, "terve-kunta-verkosto", people)
    assert similar(slack, "hr-juristiverkosto")[0] == "terve-kunta-verkosto"
    answer = slack.command(OUTSIDER, "similar terve-kunta-verkosto")
    assert "HR lawyers' network" in answer.text
    assert "12 members are in both" in answer.text


def test_the_reasons_say_what_is_shared(slack: Slack, directory: Services) -> None:
    answer = slack.command(OUTSIDER, f"similar {FORESIGHT}")
    first = answer.text.split("Foresight pilot group", 1)[1]
    assert "shares topics: coordination, decision making, foresight" in first
    # Who takes part counts for nothing in the score (cross-validation gave it no weight), so it
    # is not given as a reason.
    assert "also open to" not in answer.text


def test_never_itself_nor_archived_nor_unlisted_nor_ones_own(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    admin = as_actor(directory, standin, ADMIN)
    for slug, change in (
        ("ennakointiluotsi", {"archived": True}),
        ("eu-ennakointiverkosto", {"listed": False}),
    ):
        editable = directory.networks.editable(admin, slug)
        directory.networks.update(
            admin, editable.network_id, {**editable.form.model_dump(), **change}
        )
    found = similar(slack, FORESIGHT)
    assert FORESIGHT not in found
    assert "ennakointiluotsi" not in found and "eu-ennakointiverkosto" not in found
    slack.command(MEMBER, "join osaamisen-ennakointifoorumi")
    assert "osaamisen-ennakointifoorumi" not in similar(slack, FORESIGHT, user_id=MEMBER)


def test_suggest_for_a_person_from_their_networks(slack: Slack, directory: Services) -> None:
    nothing = slack.command(OUTSIDER, "suggest")
    assert "Join a network first" in nothing.text
    slack.command(OUTSIDER, "join kuntademokratiaverkosto")
    answer = slack.command(OUTSIDER, "ehdota")
    assert "Networks for you" in answer.text
    found = [m.group(2) for m in NETWORK_LINE.finditer(answer.text)]
    assert found[0] == "valtioneuvoston-demokratiaverkosto"
    assert "kuntademokratiaverkosto" not in found
    mine = slack.command(COORDINATOR, "suggest")
    assert FORESIGHT not in mine.text


def test_an_edit_changes_the_recommendations_at_once(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    assert "hr-sytyttajat" not in similar(slack, FORESIGHT)
    admin = as_actor(directory, standin, ADMIN)
    editable = directory.networks.editable(admin, "hr-sytyttajat")
    values = {
        **editable.form.model_dump(),
        "tags": ["foresight", "futures", "decision-making", "coordination"],
        "description_en": "Foresight and futures work for national decision-making.",
    }
    directory.networks.update(admin, editable.network_id, values)
    assert "hr-sytyttajat" in similar(slack, FORESIGHT), "no restart needed"


def test_joining_suggests_networks_one_may_also_like_with_join_buttons(
    slack: Slack, directory: Services
) -> None:
    answer = slack.command(OUTSIDER, f"join {FORESIGHT}")
    assert "Welcome! You are now a member of *National foresight network*" in answer.text
    assert "You may also like:" in answer.text
    assert "Foresight pilot group" in answer.text
    luotsi = next(b for b in answer.buttons() if b["action_id"] == "network.join")
    joined = slack.click(OUTSIDER, "network.join", luotsi["value"])
    assert "You are now a member of *Foresight pilot group*" in joined.text
    assert "Foresight pilot group" not in joined.text.split("You may also like:")[-1]


def test_a_large_model_is_rebuilt_in_the_background_while_the_old_one_answers(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    recommendations = RecommendationService(
        directory.db, directory.clock, NetworkCatalog(), rebuild_while_asked=1
    )
    admin = as_actor(directory, standin, ADMIN)
    before = [r.network.ref.slug for r in recommendations.similar(admin, FORESIGHT).networks]
    editable = directory.networks.editable(admin, "hr-sytyttajat")
    values = {
        **editable.form.model_dump(),
        "tags": ["foresight", "futures", "decision-making", "coordination"],
        "description_en": "Foresight and futures work for national decision-making.",
    }
    directory.networks.update(admin, editable.network_id, values)
    meanwhile = [r.network.ref.slug for r in recommendations.similar(admin, FORESIGHT).networks]
    assert meanwhile == before, "the previous model answers while the new one is built"
    recommendations.wait_for_rebuilds()
    after = [r.network.ref.slug for r in recommendations.similar(admin, FORESIGHT).networks]
    assert "hr-sytyttajat" in after


def test_another_process_edit_is_seen_by_name_and_in_the_recommendations(
    slack: Slack, directory: Services, standin: WebApiStandIn, settings: Settings
) -> None:
    assert "hr-sytyttajat" not in similar(slack, FORESIGHT)  # this process now holds a catalog
    elsewhere = Services.build(settings, directory.db, directory.clock)
    admin = as_actor(elsewhere, standin, ADMIN)
    editable = elsewhere.networks.editable(admin, "hr-sytyttajat")
    values = {
        **editable.form.model_dump(),
        "name_en": "Futures sparkers",
        "tags": ["foresight", "futures", "decision-making", "coordination"],
        "description_en": "Foresight and futures work for national decision-making.",
    }
    elsewhere.networks.update(admin, editable.network_id, values)
    assert "hr-sytyttajat" in similar(slack, FORESIGHT)
    assert "Futures sparkers" in slack.command(OUTSIDER, "info futures sparkers").text


def test_the_networks_version_moves_with_network_writes_only(
    directory: Services, standin: WebApiStandIn
) -> None:
    def version() -> str:
        with directory.db.snapshot() as store:
            return store.workspaces.networks_version(
                as_actor(directory, standin, ADMIN).workspace_id
            )

    admin = as_actor(directory, standin, ADMIN)
    seen = {version()}
    directory.networks.create(admin, {"name_fi": "Uusi verkosto", "category": "development"})
    seen.add(version())
    directory.memberships.join(as_actor(directory, standin, OUTSIDER), name="uusi-verkosto")
    assert version() in seen, "a membership is not a change of the network"
    editable = directory.networks.editable(admin, "uusi-verkosto")
    directory.networks.update(
        admin, editable.network_id, {**editable.form.model_dump(), "name_en": "New network"}
    )
    seen.add(version())
    assert len(seen) == 3


def test_a_network_described_only_in_swedish_finds_its_finnish_and_english_neighbours(
    slack: Slack, directory: Services, standin: WebApiStandIn
) -> None:
    """No list names these subjects: the Swedish texts meet the others' Finnish and English
    ones through the words the languages share ("demokrati", "demokratia", "democracy")."""
    for creator, slug, name, description in (
        (
            OUTSIDER,
            "demokratinatverket",
            "Demokratinätverket för kommunerna",
            "Tjänstemän som utvecklar den lokala demokratin och invånarnas delaktighet i "
            "kommunerna utbyter erfarenheter.",
        ),
        (
            MEMBER,
            "digitalisering",
            "Nätverket för digitalisering i kommunerna",
            "Kommunernas digitaliseringsansvariga samarbetar kring digitala tjänster och "
            "digitalt stöd för invånarna.",
        ),
    ):
        # Different creators, so that no coordinator in common brings networks together.
        directory.networks.create(
            as_actor(directory, standin, creator),
            {
                "name_sv": name,
                "slug": slug,
                "category": "participation",
                "description_sv": description,
            },
        )
        if slug == "demokratinatverket":
            assert set(similar(slack, slug)[:2]) == {
                "kuntademokratiaverkosto",
                "valtioneuvoston-demokratiaverkosto",
            }
    assert set(similar(slack, "digitalisering")[:2]) <= {
        "digiverkostohanke",
        "kuntien-digitiekartta-yhteistyo",
        "digituen-alueelliset-verkostot",
    }
    answer = slack.command(ADMIN, "similar digitalisering")
    assert "a similar description" in answer.text, "no keyword is shared, so the text says why"


def test_the_digest_workers_people_index_counts_what_the_database_counts(
    directory: Services, standin: WebApiStandIn
) -> None:
    """A batch of digests ranks with the in-memory index; a single answer asks the database.
    Both must see the same people in common, for a network and for a person."""
    add_members(directory, standin, "hr-juristiverkosto", ["U0P001", "U0P002", "U0P003"])
    add_members(directory, standin, "terve-kunta-verkosto", ["U0P002", "U0P003", "U0P004"])
    add_members(directory, standin, FORESIGHT, ["U0P001", "U0P004"])
    with directory.db.snapshot() as store:
        workspace = store.workspaces.by_team(TEAM_ID)
        assert workspace is not None
        index = PeopleIndex(store.memberships.active_pairs(workspace.id))
        slugs = ("hr-juristiverkosto", "terve-kunta-verkosto", FORESIGHT)
        networks = {slug: store.networks.by_slug(workspace.id, slug) for slug in slugs}
        for network in networks.values():
            assert network is not None
            fellows, shared, sizes = store.memberships.people_in_common([network.id])
            around = index.around(network.id)
            assert (around.fellows, dict(around.shared)) == (fellows, shared)
            assert sizes == {n: around.sizes[n] for n in shared}
            assert sizes == store.memberships.active_counts(workspace.id, only=list(shared))
        person = store.people.by_user(workspace.id, "U0P001")
        assert person is not None
        theirs = [n.id for n in networks.values() if n is not None][::2]
        fellows, shared, sizes = store.memberships.people_in_common(theirs, excluding=person.id)
        around = index.around_person(person.id, theirs)
        assert sizes == {n: around.sizes[n] for n in shared}
        assert fellows >= 3, "U0P002, U0P003, U0P004 and the foresight network's own members"
        assert (around.fellows, dict(around.shared)) == (fellows, shared)
