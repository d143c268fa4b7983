"""Block Kit as terminal text: sections, fields, context, headers, and buttons numbered."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from handlers.terminal import Style

_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_CODE = re.compile(r"`([^`\n]+)`")
WIDTH = 88


@dataclass(frozen=True)
class Button:
    """A button shown on screen, with what pressing it sends."""

    label: str
    action_id: str
    value: str
    channel_id: str | None


class BlockText:
    """Renders messages and views; numbers every button it shows, in order.

    Buttons are appended to `buttons`, so that several messages can share one numbering.
    """

    def __init__(
        self, style: Style, names: Callable[[str], str], buttons: list[Button] | None = None
    ) -> None:
        self.style = style
        self.names = names
        self.buttons = [] if buttons is None else buttons

    def mrkdwn(self, text: str) -> str:
        def link(match: re.Match[str]) -> str:
            target, label = match.group(1), match.group(2)
            if target[0] in "#@":
                return target[0] + (label or self.names(target[1:]))
            if target.startswith("!"):
                return "@" + (label or target[1:])
            return f"{label} ({target})" if label else target

        text = _LINK.sub(link, text)
        text = _BOLD.sub(lambda m: self.style.bold(m.group(1)), text)
        text = _CODE.sub(lambda m: self.style.code(m.group(1)), text)
        return html.unescape(text)

    def _text(self, obj: dict[str, Any] | None) -> str:
        if not obj:
            return ""
        text = obj.get("text", "")
        return self.mrkdwn(text) if obj.get("type") == "mrkdwn" else html.unescape(text)

    def _wrap(self, text: str, indent: str = "") -> list[str]:
        lines: list[str] = []
        for paragraph in text.split("\n"):
            lines += textwrap.wrap(
                paragraph,
                WIDTH,
                initial_indent=indent,
                subsequent_indent=indent + ("  " if paragraph.startswith("•") else ""),
            ) or [""]
        return lines

    def button(self, element: dict[str, Any], channel_id: str | None) -> str:
        label = element.get("text", {}).get("text", "?")
        if element.get("url"):
            # A link button opens a page; there is nothing for the demo to press.
            return f"{self.style.bold(label)} ({element['url']})"
        self.buttons.append(
            Button(label, element.get("action_id", ""), element.get("value", ""), channel_id)
        )
        return self.style.bold(f"[{len(self.buttons)}] {label}")

    def blocks(self, blocks: list[dict[str, Any]], channel_id: str | None = None) -> list[str]:
        lines: list[str] = []
        for block in blocks:
            kind = block.get("type")
            if kind == "header":
                lines.append(self.style.bold(self._text(block["text"]).upper()))
            elif kind == "divider":
                lines.append(self.style.dim("─" * 40))
            elif kind == "section":
                if block.get("text"):
                    lines += self._wrap(self._text(block["text"]))
                for field in block.get("fields", []):
                    label, _, value = self._text(field).partition("\n")
                    lines.append(f"  {label}: {value}")
                accessory = block.get("accessory")
                if accessory and accessory.get("type") == "button":
                    lines.append("  " + self.button(accessory, channel_id))
                elif accessory and accessory.get("type") == "static_select":
                    # A menu shows what is chosen; the demo changes settings by command.
                    chosen = (accessory.get("initial_option") or {}).get("text", {})
                    lines.append("  ▾ " + str(chosen.get("text", "")))
            elif kind == "context":
                for element in block.get("elements", []):
                    lines += [
                        self.style.dim(line) for line in self._wrap(self._text(element), "  ")
                    ]
            elif kind == "actions":
                shown = [
                    self.button(e, channel_id)
                    for e in block.get("elements", [])
                    if e.get("type") == "button"
                ]
                lines.append("  " + "   ".join(shown))
        return lines

    def message(self, params: dict[str, Any], channel_id: str | None = None) -> list[str]:
        blocks = params.get("blocks")
        if blocks:
            return self.blocks(blocks, channel_id)
        return self._wrap(self.mrkdwn(params.get("text") or ""))
