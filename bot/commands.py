"""The grammar of `/network`: from a list of tokens to one sub-command, in any language.

Platforms turn their payload text into tokens (words, quoted phrases, mentions of people and
channels) with `bot.words`; this module knows nothing of their markup. Keywords come from the
catalogs of every language, so `/network join`, `/network liity` and `/network anslut` are the
same command.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

from bot.domain import (
    LANGUAGES,
    Category,
    DigestFrequency,
    DigestSchedule,
    PollKind,
    Role,
    Scope,
    row_id,
)
from bot.errors import InvalidInput
from bot.i18n import Translator, keywords
from bot.text import fold
from bot.words import Word

MAX_NAME_LENGTH = 150
# The command as typed where a platform has no slash commands (Teams): to the bot, or after
# mentioning it.
CHAT_COMMAND = "network"
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class PersonMention:
    user_id: str


@dataclass(frozen=True)
class ChannelMention:
    channel_id: str


Token = Word | PersonMention | ChannelMention


class Verb(StrEnum):
    HELP = "help"
    LIST = "list"
    INFO = "info"
    CREATE = "create"
    EDIT = "edit"
    JOIN = "join"
    LEAVE = "leave"
    MINE = "mine"
    MEMBERS = "members"
    ROLE = "role"
    EVENT = "event"
    EVENTS = "events"
    POLL = "poll"
    SIMILAR = "similar"
    SUGGEST = "suggest"
    SIGNAL = "signal"
    SIGNALS = "signals"
    DIGEST = "digest"
    REPORT = "report"
    SETTINGS = "settings"
    PRIVACY = "privacy"


NAMED_VERBS = (
    Verb.INFO,
    Verb.EDIT,
    Verb.JOIN,
    Verb.LEAVE,
    Verb.MEMBERS,
    Verb.EVENT,
    Verb.SIMILAR,
    Verb.DIGEST,
)


class PrivacyAction(StrEnum):
    """`privacy` explains, `privacy export` sends one's data, `privacy forget` removes it."""

    EXPLAIN = "explain"
    EXPORT = "export"
    FORGET = "forget"


@dataclass(frozen=True)
class Command:
    """A parsed sub-command. Only the fields its verb uses are set."""

    verb: Verb
    name: str = ""
    query: str = ""
    category: Category | None = None
    scopes: tuple[Scope, ...] = ()
    user_id: str = ""
    role: Role | None = None
    language: str | None = None
    reminders: bool | None = None
    poll: PollRequest | None = None
    text: str = ""
    export: bool = False
    digest_frequency: DigestFrequency | None = None
    digest_schedule: DigestSchedule | None = None
    period: ReportPeriod | None = None
    privacy: PrivacyAction = PrivacyAction.EXPLAIN
    # The words typed after a name that was one unquoted word: perhaps the name went on.
    after_unquoted_name: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportPeriod:
    """`90d`, `12w`, `6m`, `1y` back from now, or the days `2026-01-01..2026-06-30`."""

    span: timedelta | None = None
    first: date | None = None
    last: date | None = None


class PollAction(StrEnum):
    FORM = "form"
    QUICK = "quick"
    RESULTS = "results"
    EXPORT = "export"


@dataclass(frozen=True)
class PollRequest:
    """`poll NAME` (the form), `poll NAME "Question?" "A" "B" [flags]`, `poll results ID`."""

    action: PollAction
    poll_id: int = 0
    question: str = ""
    options: tuple[str, ...] = ()
    kind: PollKind = PollKind.CHOICE
    multiple: bool = False
    anonymous: bool = False
    closes: timedelta | datetime | None = None


@cache
def _aliases(group: str) -> dict[str, str]:
    """Folded keyword -> meaning, over the catalogs of every language."""
    table: dict[str, str] = {}
    for per_language in keywords(group).values():
        for meaning, words in per_language.items():
            for word in words:
                table[fold(word)] = meaning
    return table


def _lookup(group: str, word: str) -> str | None:
    return _aliases(group).get(fold(word))


def _usage(verb: Verb) -> InvalidInput:
    return InvalidInput("error.usage", usage_key=f"help.usage.{verb.value}")


def parse(tokens: list[Token]) -> Command:
    """Read a sub-command; raise `InvalidInput` with a key that says what is wrong."""
    if not tokens:
        return Command(Verb.HELP)
    head, rest = tokens[0], tokens[1:]
    if not isinstance(head, Word):
        raise InvalidInput("error.not_a_command")
    meaning = _lookup("command", head.text)
    if meaning is None:
        close = difflib.get_close_matches(fold(head.text), list(_aliases("command")), n=1)
        if close:
            raise InvalidInput("error.unknown_command_close", word=head.text[:40], close=close[0])
        raise InvalidInput("error.unknown_command", word=head.text[:40])
    verb = Verb(meaning)
    if verb in NAMED_VERBS:
        return Command(verb, name=_name(rest, verb))
    if verb is Verb.LIST:
        return _parse_list(rest)
    if verb is Verb.ROLE:
        return _parse_role(rest)
    if verb is Verb.SETTINGS:
        return _parse_settings(rest)
    if verb is Verb.POLL:
        return _parse_poll(rest)
    if verb is Verb.SIGNAL:
        return _parse_signal(rest)
    if verb is Verb.SIGNALS:
        return _parse_signals(rest)
    if verb is Verb.REPORT:
        return _parse_report(rest)
    if verb is Verb.PRIVACY:
        return _parse_privacy(rest)
    if verb is Verb.EVENTS:
        words = [token for token in rest if isinstance(token, Word)]
        return Command(verb, name=_name(words, verb) if words else "")
    return Command(verb)


def _name(tokens: list[Token], verb: Verb) -> str:
    text = " ".join(token.text for token in tokens if isinstance(token, Word)).strip()
    if not text:
        raise InvalidInput("error.missing_name", usage_key=f"help.usage.{verb.value}")
    if len(text) > MAX_NAME_LENGTH:
        raise InvalidInput("error.name_too_long", max=MAX_NAME_LENGTH)
    return text


def _parse_list(tokens: list[Token]) -> Command:
    query: list[str] = []
    category: Category | None = None
    scopes: list[Scope] = []
    for token in tokens:
        if not isinstance(token, Word):
            continue
        prefix, colon, value = token.text.partition(":")
        meaning = _lookup("filter", prefix) if colon else None
        if meaning == "category":
            category = Category(_choice("category", value, Category))
        elif meaning == "scope":
            scopes.append(Scope(_choice("scope", value, Scope)))
        else:
            query.append(token.text)
    text = " ".join(query)
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidInput("error.query_too_long", max=MAX_QUERY_LENGTH)
    return Command(Verb.LIST, query=text, category=category, scopes=tuple(scopes))


def _choice(group: str, value: str, enum: type[StrEnum]) -> str:
    """An enum value from its code or the start of its display name in any language."""
    wanted = fold(value)
    for member in enum:
        if wanted and any(label.startswith(wanted) for label in _labels(member)):
            return member.value
    raise InvalidInput("error.filter_value", filter_key=f"filter.{group}", value=value[:40])


@cache
def _labels(member: StrEnum) -> tuple[str, ...]:
    """A value's code and its display names in every language, folded."""
    return (fold(member.value), *(fold(Translator(lang).label(member)) for lang in LANGUAGES))


def _parse_role(tokens: list[Token]) -> Command:
    mentions = [token for token in tokens if isinstance(token, PersonMention)]
    if len(mentions) != 1:
        raise InvalidInput("error.role_needs_person", usage_key="help.usage.role")
    mention_at = tokens.index(mentions[0])
    name_tokens, after = tokens[:mention_at], tokens[mention_at + 1 :]
    role_words = [token.text for token in after if isinstance(token, Word)]
    if not role_words:
        raise _usage(Verb.ROLE)
    meaning = _lookup("role", " ".join(role_words)) or _lookup("role", role_words[0])
    if meaning is None:
        raise InvalidInput("error.unknown_role", role=" ".join(role_words)[:40])
    return Command(
        Verb.ROLE,
        name=_name(name_tokens, Verb.ROLE),
        user_id=mentions[0].user_id,
        role=Role(meaning),
    )


def _parse_settings(tokens: list[Token]) -> Command:
    words = [token.text for token in tokens if isinstance(token, Word)]
    if not words:
        return Command(Verb.SETTINGS)
    setting = _lookup("setting", words[0])
    if setting == "digest":
        return _parse_digest_setting(tokens[1:])
    if setting == "reminders":
        switch = _lookup("switch", words[1]) if len(words) == 2 else None
        if switch is None:
            raise _usage(Verb.SETTINGS)
        return Command(Verb.SETTINGS, reminders=switch == "on")
    if setting == "language":
        words = words[1:]
    if len(words) != 1:
        raise _usage(Verb.SETTINGS)
    language = language_code(words[0])
    if language is None:
        raise InvalidInput("error.unknown_language", value=words[0][:40])
    return Command(Verb.SETTINGS, language=language)


def _parse_digest_setting(tokens: list[Token]) -> Command:
    """`settings digest daily|weekly|never` for oneself; `settings digest NAME
    weekly|biweekly|monthly|off` for a network's channel."""
    words = [token for token in tokens if isinstance(token, Word)]
    how = _lookup("frequency", words[-1].text) if words else None
    if how is None:
        raise InvalidInput("error.usage", usage_key="help.usage.digest_settings")
    if len(words) == 1:
        if how not in {member.value for member in DigestFrequency} | {"off"}:
            raise InvalidInput("error.digest.personal_frequency", value=words[0].text[:40])
        frequency = DigestFrequency.NEVER if how == "off" else DigestFrequency(how)
        return Command(Verb.SETTINGS, digest_frequency=frequency)
    if how not in {member.value for member in DigestSchedule} | {"never"}:
        raise InvalidInput("error.digest.network_schedule", value=words[-1].text[:40])
    schedule = DigestSchedule.OFF if how == "never" else DigestSchedule(how)
    name = _name(words[:-1], Verb.DIGEST)
    return Command(Verb.SETTINGS, name=name, digest_schedule=schedule)


def _parse_signal(tokens: list[Token]) -> Command:
    """`signal NAME text...`: the network is the first word, or the first quoted words; the
    text is the rest as typed."""
    words = [token for token in tokens if isinstance(token, Word)]
    if len(words) < 2:
        raise _usage(Verb.SIGNAL)
    name = _name(words[:1], Verb.SIGNAL)
    rest = tuple(word.raw or word.text for word in words[1:])
    after = () if words[0].quoted else rest
    return Command(Verb.SIGNAL, name=name, text=" ".join(rest), after_unquoted_name=after)


def _parse_signals(tokens: list[Token]) -> Command:
    """`signals NAME` lists; `signals NAME export` sends the CSV."""
    words = [token for token in tokens if isinstance(token, Word)]
    export = bool(words) and _lookup("action", words[-1].text) == PollAction.EXPORT
    name = _name(words[:-1] if export else words, Verb.SIGNALS)
    return Command(Verb.SIGNALS, name=name, export=export)


def _parse_privacy(tokens: list[Token]) -> Command:
    """`privacy`, `privacy export` or `privacy forget`."""
    words = [token for token in tokens if isinstance(token, Word)]
    if not words:
        return Command(Verb.PRIVACY)
    meaning = _lookup("action", words[0].text)
    if len(words) > 1 or meaning not in (PrivacyAction.EXPORT, PrivacyAction.FORGET):
        raise _usage(Verb.PRIVACY)
    return Command(Verb.PRIVACY, privacy=PrivacyAction(meaning))


_SPAN = re.compile(r"(\d{1,4})([dwmy])")
_SPAN_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_DAYS = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")


def _parse_report(tokens: list[Token]) -> Command:
    """`report NAME [period]`: the period, if any, is the last word."""
    words = [token for token in tokens if isinstance(token, Word)]
    period = _report_period(words[-1].text) if len(words) > 1 else None
    name = _name(words[:-1] if period else words, Verb.REPORT)
    return Command(Verb.REPORT, name=name, period=period)


def _report_period(word: str) -> ReportPeriod | None:
    if span := _SPAN.fullmatch(word):
        return ReportPeriod(span=timedelta(days=int(span.group(1)) * _SPAN_DAYS[span.group(2)]))
    if days := _DAYS.fullmatch(word):
        try:
            first, last = (date.fromisoformat(days.group(n)) for n in (1, 2))
        except ValueError as error:
            raise InvalidInput("error.report.period", value=word[:40]) from error
        return ReportPeriod(first=first, last=last)
    if ".." in word:
        raise InvalidInput("error.report.period", value=word[:40])
    return None


_DURATION = re.compile(r"(\d{1,4})([mhdw])")
_DURATION_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_MOMENT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d")


def _parse_poll(tokens: list[Token]) -> Command:
    words = [token for token in tokens if isinstance(token, Word)]
    if words and not words[0].quoted:
        action = _lookup("action", words[0].text)
        if action in (PollAction.RESULTS, PollAction.EXPORT):
            poll_id = row_id(words[1].text) if len(words) == 2 else None
            if poll_id is None:
                raise InvalidInput("error.usage", usage_key="help.usage.poll_id")
            return Command(Verb.POLL, poll=PollRequest(PollAction(action), poll_id))
    name_words: list[Token] = []
    while words and not words[0].quoted and not words[0].text.startswith("--"):
        name_words.append(words.pop(0))
    if not name_words and words and words[0].quoted:
        # `poll "Network name" "Question?" "A" "B"`: a quoted name comes first.
        name_words.append(words.pop(0))
    name = _name(name_words, Verb.POLL)
    if not words:
        return Command(Verb.POLL, name=name, poll=PollRequest(PollAction.FORM))
    texts: list[str] = []
    flags: dict[str, Any] = {}
    while words:
        word = words.pop(0)
        if word.quoted or not word.text.startswith("--"):
            texts.append(word.text)
            continue
        flag = _lookup("poll_flag", word.text)
        if flag == "closes":
            if not words:
                raise InvalidInput("error.poll.closes_format", value="")
            flags["closes"] = _closing(words.pop(0).text)
        elif flag in ("stars", "nps"):
            flags["kind"] = PollKind(flag)
        elif flag in ("multiple", "anonymous"):
            flags[flag] = True
        else:
            raise InvalidInput(
                "error.poll.unknown_flag", flag=word.text[:40], usage_key="help.usage.poll"
            )
    if not texts:
        raise InvalidInput("error.poll.no_question", usage_key="help.usage.poll")
    request = PollRequest(PollAction.QUICK, question=texts[0], options=tuple(texts[1:]), **flags)
    return Command(Verb.POLL, name=name, poll=request)


def _closing(value: str) -> timedelta | datetime:
    """`2d`, `12h`, `30m`, `1w` from now, or a local day and time such as `2026-12-01T12:00`."""
    duration = _DURATION.fullmatch(value)
    if duration:
        return timedelta(**{_DURATION_UNITS[duration.group(2)]: int(duration.group(1))})
    for pattern in _MOMENT_FORMATS:
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    raise InvalidInput("error.poll.closes_format", value=value[:40])


def language_code(value: str) -> str | None:
    """ "fi", "suomi", "Finnish" or "finska" -> "fi"; None for a language the bot does not speak."""
    wanted = fold(value)
    for code in LANGUAGES:
        names = {code, *(Translator(lang).language_name(code) for lang in LANGUAGES)}
        if wanted in {fold(name) for name in names}:
            return code
    return None
