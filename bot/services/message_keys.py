"""The unique keys of outbox messages, one constructor per kind: a key built where a message is
queued and looked up elsewhere (to update it, cancel it or find its thread) is spelled once.
A key reads as what the message is about, for example `event:12:reminder:60:7`."""

from __future__ import annotations


def _key(subject: str, subject_id: int, *parts: object) -> str:
    return ":".join((subject, str(subject_id), *(str(part) for part in parts)))


def announcement(event_id: int) -> str:
    """An event's announcement in its channel."""
    return _key("event", event_id, "announce")


def announcement_refresh(event_id: int) -> str:
    """The announcement shown again with its current answers."""
    return _key("event", event_id, "refresh")


def answers_closing(event_id: int, closes_at_unix: int) -> str:
    """The announcement shown again when the answers close."""
    return _key("event", event_id, "closes", closes_at_unix)


def reminder(event_id: int, minutes_before: int, person_id: int) -> str:
    return _key("event", event_id, "reminder", minutes_before, person_id)


def reminders_of(event_id: int) -> str:
    """The prefix of every reminder of an event."""
    return _key("event", event_id, "reminder", "")


def promotion(event_id: int, person_id: int, queue_order: int) -> str:
    """Telling someone they moved up from the waitlist."""
    return _key("event", event_id, "promoted", person_id, queue_order)


def event_notice(event_id: int, kind: str, revision: int, person_id: int) -> str:
    """Telling someone who answered that the event changed or was cancelled."""
    return _key("event", event_id, kind, revision, person_id)


def poll_message(poll_id: int, *parts: object) -> str:
    """A message about a poll: `post`, `results`, or `ask`, `nudge`, `summary` with a person."""
    return _key("poll", poll_id, *parts)


def poll_post(poll_id: int) -> str:
    return poll_message(poll_id, "post")


def poll_refresh(poll_id: int) -> str:
    return poll_message(poll_id, "refresh")


def signal_post(signal_id: int) -> str:
    return _key("signal", signal_id, "post")


def signal_refresh(signal_id: int) -> str:
    return _key("signal", signal_id, "refresh")


def join_request(membership_id: int, decider_id: int) -> str:
    """A join request shown to one of the people who may decide it."""
    return _key("membership", membership_id, "request", decider_id)


def join_requests_of(membership_id: int) -> str:
    """The prefix of every notice of one join request."""
    return _key("membership", membership_id, "request", "")


def request_answer(membership_id: int) -> str:
    return _key("membership", membership_id, "answer")


def request_closed(membership_id: int, notice_id: int) -> str:
    """A request's notice changed to say it was decided or withdrawn."""
    return _key("membership", membership_id, "closed", notice_id)


def role_given(membership_id: int, audit_entry_id: int) -> str:
    return _key("membership", membership_id, "role", audit_entry_id)


def digest(subject: str, subject_id: int, period_start: str) -> str:
    """A channel's or a person's digest of one period."""
    return _key("digest", subject_id, subject, period_start)
