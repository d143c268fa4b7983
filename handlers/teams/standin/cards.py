"""What Teams checks in a card before it shows it, and what a person then reads on it.

A card must be an Adaptive Card of a version Teams shows (1.0 to 1.5), the message within
Teams' size limit, and each `Action.Execute` must carry a verb the bot handles. `displayed`
reads a card as a person sees it: a `TextRun` is shown as it is, a `TextBlock` through Teams'
Markdown (so a test can tell when text would have become markup)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from handlers.teams.actions import BUTTONS

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5")
# Teams refuses a message larger than about 28 KB.
MESSAGE_BYTES = 28_000
VERBS = frozenset(act.value for act in BUTTONS)


def card_problems(activity: dict[str, Any]) -> list[str]:
    """Why Teams would refuse this message's cards; empty when it would show them."""
    problems = []
    if len(json.dumps(activity).encode()) > MESSAGE_BYTES:
        problems.append(f"the message is larger than {MESSAGE_BYTES} bytes")
    for attachment in activity.get("attachments") or []:
        if attachment.get("contentType") != CARD_TYPE:
            continue
        card = attachment.get("content") or {}
        problems.extend(_problems(card))
    return problems


def invoke_answer_problems(answer: dict[str, Any]) -> list[str]:
    """Why Teams would refuse the cards in a bot's answer to an invoke: the card that replaces
    a pressed one (`adaptiveCard/action`) or a dialog's (`task/fetch`, `task/submit`, a message
    action's); empty when it would show them."""
    cards = []
    if answer.get("type") == CARD_TYPE:
        cards.append(answer.get("value") or {})
    task = (answer.get("task") or {}).get("value")
    if isinstance(task, dict) and isinstance(task.get("card"), dict):
        cards.append(task["card"].get("content") or {})
    problems = []
    if len(json.dumps(answer).encode()) > MESSAGE_BYTES:
        problems.append(f"the answer is larger than {MESSAGE_BYTES} bytes")
    for card in cards:
        problems.extend(_problems(card))
    return problems


def _problems(card: dict[str, Any]) -> list[str]:
    problems = []
    if card.get("type") != "AdaptiveCard":
        problems.append("not an AdaptiveCard")
    if card.get("version") not in VERSIONS:
        problems.append(f"version {card.get('version')!r} is not one Teams shows")
    for action in actions(card):
        if action.get("type") == "Action.Execute" and action.get("verb") not in VERBS:
            problems.append(f"the bot does not handle the verb {action.get('verb')!r}")
        if not action.get("title"):
            problems.append(f"an {action.get('type')} without a title")
    return problems


def _elements(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _elements(value)
    elif isinstance(node, list):
        for item in node:
            yield from _elements(item)


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every action on a card, in order, those inside shown cards and action sets included."""
    return [node for node in _elements(card) if str(node.get("type", "")).startswith("Action.")]


def containers(card: dict[str, Any]) -> list[dict[str, Any]]:
    """The card's containers, innermost parts of it that hold a network, an event, …; the card
    itself when it has none."""
    found = [node for node in _elements(card) if node.get("type") == "Container"]
    return found or [card]


def displayed(card: dict[str, Any]) -> str:
    """The card's words as a person reads them, one element to a line."""
    lines = []
    for node in _elements(card):
        kind = node.get("type")
        if kind == "RichTextBlock":
            lines.append("".join(str(run.get("text", "")) for run in node.get("inlines") or []))
        elif kind == "TextBlock":
            lines.append(_markdown_shown(str(node.get("text", ""))))
        elif kind == "FactSet":
            lines.extend(f"{f.get('title', '')}: {f.get('value', '')}" for f in node["facts"])
        elif kind and str(kind).startswith("Action."):
            lines.append(f"[{node.get('title', '')}]")
    return "\n".join(lines)


def _markdown_shown(text: str) -> str:
    """Roughly what Teams shows for a TextBlock: Markdown's marks are gone."""
    for mark in ("**", "__", "*", "_", "`"):
        text = text.replace(mark, "")
    return text


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    """The first card a message carries; an empty one if it carries none."""
    for attachment in activity.get("attachments") or []:
        if attachment.get("contentType") == CARD_TYPE:
            content: dict[str, Any] = attachment.get("content") or {}
            return content
    return {}
