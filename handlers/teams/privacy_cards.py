"""A person's own data in Teams: what is kept and why, the export's answer, the confirmation
before forgetting them, and a network's report."""

from __future__ import annotations

from microsoft_teams.cards import CardElement

from bot.card_actions import forget_action
from bot.i18n import Translator
from bot.report_chart import summary
from bot.results.privacy import ForgetPreview, Forgotten, StoredAboutYou
from bot.results.reports import NetworkReport
from handlers.teams.cards import (
    Message,
    action_elements,
    heading,
    message,
    name_of,
    plain,
    say,
    text,
)


def _stored_line(t: Translator, stored: StoredAboutYou) -> str:
    return say(
        t,
        "privacy.stored",
        memberships=stored.memberships,
        rsvps=stored.rsvps,
        signals=stored.signals,
        votes=stored.votes,
    )


def explained_message(t: Translator, stored: StoredAboutYou) -> Message:
    """`privacy`: what is kept, why, for how long, and what one can do about it."""
    return message(
        t("privacy.title"),
        heading(t("privacy.title")),
        text(say(t, "teams.privacy_kept")),
        text(say(t, "teams.privacy_retention", days=stored.retention_days)),
        text(_stored_line(t, stored)),
        text(say(t, "privacy.how")),
    )


def exported_message(t: Translator, sent: bool) -> Message:
    return plain(t, "privacy.exported" if sent else "privacy.export_failed")


def forget_confirmation(t: Translator, preview: ForgetPreview) -> Message:
    """What forgetting removes and keeps, and the button that does it, asking first."""
    body: list[CardElement] = [
        text(say(t, "privacy.forget_intro")),
        text(_stored_line(t, preview.stored)),
        text(
            say(t, "privacy.forget_keeps", events=preview.events_kept, signals=preview.signals_kept)
        ),
    ]
    if preview.sole_coordinator_of:
        names = ", ".join(name_of(network, t) for network in preview.sole_coordinator_of)
        body.append(text(say(t, "privacy.forget_coordinator", networks=names)))
    body.append(text(say(t, "teams.privacy_forget_after")))
    body.extend(action_elements(t, [forget_action()]))
    return message(say(t, "privacy.confirm_title"), *body)


def forgotten_message(t: Translator, forgotten: Forgotten) -> Message:
    return plain(
        t,
        "privacy.forgotten",
        memberships=forgotten.memberships,
        rsvps=forgotten.rsvps,
        votes=forgotten.votes,
        anonymous=forgotten.anonymous_votes_unlinked,
    )


def report_message(t: Translator, report: NetworkReport, sent: bool) -> Message:
    title = say(
        t,
        "report.title",
        network=name_of(report.network, t),
        start=t.date(report.start),
        end=t.date(report.end),
    )
    lines = [say(t, key, **values) for key, values in summary(report)]
    note = say(t, "report.sent" if sent else "report.not_sent")
    return message(title, text(title), *(text(f"• {line}") for line in lines), text(note))


def report_comment(t: Translator, report: NetworkReport) -> str:
    return say(t, "report.files", network=name_of(report.network, t))
