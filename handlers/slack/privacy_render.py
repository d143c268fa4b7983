"""A person's own data in Block Kit: what is kept and why, the export's answer, and the
confirmation before forgetting them."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, ConfirmObject, PlainTextObject

from bot.i18n import Translator
from bot.results.privacy import ForgetPreview, Forgotten, StoredAboutYou
from handlers.slack.blocks import ActionId, Reply, button, header, name_of, plain, section
from handlers.slack.markup import Mrkdwn, say

# The Forget me button's value: anything else is a forged or mistaken press.
FORGET = "forget"


def _stored_line(t: Translator, stored: StoredAboutYou) -> Mrkdwn:
    return say(
        t,
        "privacy.stored",
        memberships=stored.memberships,
        rsvps=stored.rsvps,
        signals=stored.signals,
        votes=stored.votes,
    )


def explain_reply(t: Translator, stored: StoredAboutYou) -> Reply:
    """`privacy`: what is kept, why, for how long, and what one can do about it."""
    text = say(t, "privacy.title")
    return Reply(
        text=text,
        blocks=[
            header(t("privacy.title")),
            section(say(t, "privacy.kept")),
            section(say(t, "privacy.retention", days=stored.retention_days)),
            section(_stored_line(t, stored)),
            section(say(t, "privacy.how")),
        ],
    )


def exported_reply(t: Translator, sent: bool) -> Reply:
    return plain(t, "privacy.exported" if sent else "privacy.export_failed")


def export_note(t: Translator) -> Mrkdwn:
    return say(t, "privacy.export_note")


def forget_confirmation(t: Translator, preview: ForgetPreview) -> Reply:
    """What forgetting removes and keeps, and the button that does it (with Slack's own
    confirmation dialog on top)."""
    forget = button(t("button.forget_me"), ActionId.FORGET_ME, FORGET, style="danger")
    forget.confirm = ConfirmObject(
        title=PlainTextObject(text=t("privacy.confirm_title")),
        text=PlainTextObject(text=t("privacy.confirm_text")),
        confirm=PlainTextObject(text=t("button.forget_me")),
        deny=PlainTextObject(text=t("button.keep_my_data")),
        style="danger",
    )
    blocks = [
        section(say(t, "privacy.forget_intro")),
        section(_stored_line(t, preview.stored)),
        section(
            say(
                t,
                "privacy.forget_keeps",
                events=preview.events_kept,
                signals=preview.signals_kept,
            )
        ),
    ]
    if preview.sole_coordinator_of:
        names = ", ".join(name_of(network, t) for network in preview.sole_coordinator_of)
        blocks.append(section(say(t, "privacy.forget_coordinator", networks=names)))
    blocks += [section(say(t, "privacy.forget_after")), ActionsBlock(elements=[forget])]
    return Reply(text=say(t, "privacy.confirm_title"), blocks=blocks)


def forgotten_reply(t: Translator, forgotten: Forgotten) -> Reply:
    reply = plain(
        t,
        "privacy.forgotten",
        memberships=forgotten.memberships,
        rsvps=forgotten.rsvps,
        votes=forgotten.votes,
        anonymous=forgotten.anonymous_votes_unlinked,
    )
    return Reply(text=reply.text, blocks=reply.blocks, replace_original=True)
