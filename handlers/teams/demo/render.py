"""Adaptive Cards as terminal text: text runs (bold, monospace), facts, inputs' values, and every
button numbered, those behind a "show card" button included."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from handlers.terminal import Style

WIDTH = 88


@dataclass(frozen=True)
class Button:
    """A button on screen: the card action, and the message it is on (its conversation and
    activity id), for pressing it."""

    action: dict[str, Any]
    conversation: str
    message: str | None

    @property
    def label(self) -> str:
        return str(self.action.get("title", ""))


class CardText:
    """Draws cards; appends every button it shows to `buttons`, so that several messages share
    one numbering."""

    def __init__(self, style: Style, buttons: list[Button]) -> None:
        self.style = style
        self.buttons = buttons

    def card(self, card: dict[str, Any], conversation: str, message: str | None) -> list[str]:
        lines: list[str] = []
        for element in card.get("body") or []:
            lines += self._element(element, conversation, message)
        lines += self._actions(card.get("actions") or [], conversation, message)
        return lines

    def _element(
        self, element: dict[str, Any], conversation: str, message: str | None
    ) -> list[str]:
        kind = element.get("type")
        if kind == "RichTextBlock":
            return self._wrap("".join(self._run(run) for run in element.get("inlines") or []))
        if kind == "TextBlock":
            return self._wrap(str(element.get("text", "")))
        if kind == "FactSet":
            return [
                f"  {self.style.bold(str(fact.get('title', '')))}: {fact.get('value', '')}"
                for fact in element.get("facts") or []
            ]
        if kind == "Container":
            lines = [self.style.dim("─" * 40)] if element.get("separator") else []
            for item in element.get("items") or []:
                lines += self._element(item, conversation, message)
            return lines
        if kind == "ActionSet":
            return self._actions(element.get("actions") or [], conversation, message)
        return []

    def _run(self, run: dict[str, Any]) -> str:
        words = str(run.get("text", ""))
        if run.get("fontType") == "Monospace":
            return self.style.code(words)
        if run.get("weight") == "Bolder":
            return self.style.bold(words)
        return self.style.dim(words) if run.get("isSubtle") else words

    def _actions(
        self, actions: list[dict[str, Any]], conversation: str, message: str | None
    ) -> list[str]:
        labels = []
        for action in actions:
            self.buttons.append(Button(action, conversation, message))
            labels.append(f"[{len(self.buttons)}] {action.get('title', '')}")
        return self._wrap("  ".join(labels)) if labels else []

    def _wrap(self, text: str) -> list[str]:
        lines: list[str] = []
        for paragraph in text.split("\n"):
            lines += textwrap.wrap(paragraph, WIDTH) or [""]
        return lines
