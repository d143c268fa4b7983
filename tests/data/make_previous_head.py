"""Made tests/data/previous-head.sqlite (see tests/test_upgrade_from_previous_head.py): a
database written by the code of migration head 0008, commit 41e9a50, with networks, people,
memberships (one pending), an event with a waitlist, polls (one anonymous) with votes, a signal
saved from a message, and outbox rows both sent and waiting.

It runs only with that commit's code; kept as the record of how the file was made:
`git worktree add /tmp/old 41e9a50 && cd /tmp/old && python tests/data/make_previous_head.py
OUT.sqlite`. pytest does not collect it.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, time

from bot.clock import FrozenClock
from bot.domain import Answer, Role
from bot.results.people import Profile
from bot.services import Services
from bot.services.importer import bundled_networks
from bot.services.outbox import Sent
from bot.services.signals import SignalSource
from bot.settings import Settings
from storage.database import Database
from storage.migrate import upgrade

TEAM = "T0PREVIOUS"
PEOPLE = {
    "U0ADMIN": Profile("Olli Admin", "Europe/Helsinki", True),
    "U0AINO": Profile("Aino Virtanen", "Europe/Helsinki"),
    "U0MIKKO": Profile("Mikko Korhonen", "Europe/Helsinki"),
    "U0SARA": Profile("Sara Lindqvist", "Europe/Helsinki"),
}


def main(path: str) -> None:
    settings = Settings(
        database_url=f"sqlite:///{path}", verkosto_secret="previous-head", _env_file=None
    )
    db = Database(settings.database_url)
    upgrade(db)
    clock = FrozenClock(datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    services = Services.build(settings, db, clock)
    services.importer.run(TEAM, bundled_networks())
    actors = {u: services.people.identify(TEAM, u, PEOPLE.__getitem__) for u in PEOPLE}
    admin = actors["U0ADMIN"]
    open_net, request_net = "kansallinen-ennakointiverkosto", "hr-juristiverkosto"
    for slug, policy, channel in (
        (open_net, "open", "C0ENNAKOINTI"),
        (request_net, "request", None),
    ):
        editable = services.networks.editable(admin, slug)
        values = {**editable.form.model_dump(), "join_policy": policy, "channel_id": channel}
        services.networks.update(admin, editable.network_id, values)
        services.memberships.set_role(admin, slug, "U0AINO", Role.COORDINATOR)
    services.memberships.join(actors["U0MIKKO"], name=open_net)
    services.memberships.join(actors["U0SARA"], name=request_net)  # stays pending
    network_id = services.networks.editable(admin, open_net).network_id
    event = services.events.create(
        actors["U0AINO"],
        network_id,
        "C0ENNAKOINTI",
        {
            "title": "Foresight morning",
            "start_date": date(2026, 12, 10),
            "start_time": time(10, 0),
            "end_time": time(12, 0),
            "timezone": "Europe/Helsinki",
            "capacity": 1,
            "reminders": (1440,),
        },
    )
    services.events.answer(actors["U0MIKKO"], event.event.id, Answer.GOING)
    services.events.answer(actors["U0AINO"], event.event.id, Answer.GOING)  # waitlisted
    for anonymous in (False, True):
        poll = services.polls.create(
            actors["U0AINO"],
            "C0ENNAKOINTI",
            {"question": "Which day?", "options": ("Tue", "Thu"), "anonymous": anonymous},
            name=open_net,
        )
        services.polls.vote(actors["U0MIKKO"], poll.poll.id, poll.poll.options[1].id)
    services.signals.record(
        actors["U0MIKKO"],
        "Municipal AI pilots are multiplying",
        name=open_net,
        source=SignalSource("C0ENNAKOINTI", "1764489600.000100", None),
    )
    # The first messages reached Slack; the rest wait in the outbox.
    posted = iter(range(1, 1000))

    def slack(item: object) -> Sent:
        channel = item.recipient if item.recipient.startswith("C") else "D0" + item.recipient[1:]
        return Sent(channel, f"1764489600.{next(posted):06d}")

    services.outbox.drain(slack, ids=tuple(range(1, 6)))
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1])
