"""Block Kit checked the way Slack checks it, from Slack's published limits.

Written independently of slack_sdk's models, so that it catches what the models let through.
Returns the problems as readable strings; an empty list means Slack would accept the blocks.
"""

from __future__ import annotations

import re
from typing import Any

MESSAGE_BLOCKS = 50
SURFACE_BLOCKS = 100
MESSAGE_TEXT = 40_000

_TEXT_TYPES = {"plain_text", "mrkdwn"}
_LAYOUT = {"section", "divider", "header", "context", "actions", "input", "image", "rich_text"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_OPTION_LIMITS = {
    "static_select": 100,
    "multi_static_select": 100,
    "checkboxes": 10,
    "radio_buttons": 10,
    "overflow": 5,
}


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def text(
        self, where: str, obj: Any, limit: int, plain_only: bool = False, required: bool = True
    ) -> None:
        if obj is None:
            if required:
                self.fail(where, "missing text object")
            return
        if not isinstance(obj, dict) or obj.get("type") not in _TEXT_TYPES:
            self.fail(where, "not a text object")
            return
        if plain_only and obj["type"] != "plain_text":
            self.fail(where, "must be plain_text")
        if "emoji" in obj and obj["type"] != "plain_text":
            self.fail(where, "emoji is only for plain_text")
        text = obj.get("text")
        if not isinstance(text, str) or not text:
            self.fail(where, "text must be a non-empty string")
        elif len(text) > limit:
            self.fail(where, f"text is {len(text)} characters, more than {limit}")

    def length(self, where: str, value: Any, limit: int) -> None:
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            self.fail(where, f"must be a string of at most {limit} characters")

    def element(self, where: str, element: Any) -> None:
        if not isinstance(element, dict) or "type" not in element:
            self.fail(where, "not an element")
            return
        kind = element["type"]
        self.length(f"{where}.action_id", element.get("action_id"), 255)
        if kind == "button":
            self.text(f"{where}.text", element.get("text"), 75, plain_only=True)
            self.length(f"{where}.value", element.get("value"), 2000)
            self.length(f"{where}.url", element.get("url"), 3000)
            if element.get("style") not in (None, "primary", "danger"):
                self.fail(where, "style must be primary or danger")
            if "confirm" in element:
                self.confirm(f"{where}.confirm", element["confirm"])
        elif kind in _OPTION_LIMITS:
            self.options(where, element, _OPTION_LIMITS[kind])
        elif kind == "plain_text_input":
            limit = element.get("max_length", 3000)
            if not isinstance(limit, int) or not 1 <= limit <= 3000:
                self.fail(where, "max_length must be 1 to 3000")
            self.length(f"{where}.initial_value", element.get("initial_value"), limit)
        elif kind == "datepicker":
            self.pattern(where, element.get("initial_date"), _DATE, "initial_date as YYYY-MM-DD")
        elif kind == "timepicker":
            self.pattern(where, element.get("initial_time"), _TIME, "initial_time as HH:mm")
        elif kind == "datetimepicker":
            stamp = element.get("initial_date_time")
            if stamp is not None and (not isinstance(stamp, int) or stamp < 0):
                self.fail(where, "initial_date_time must be a UNIX timestamp")
        elif kind == "number_input":
            if not isinstance(element.get("is_decimal_allowed"), bool):
                self.fail(where, "is_decimal_allowed is required")
            self.pattern(where, element.get("initial_value"), _NUMBER, "a numeric initial_value")
        elif kind not in {
            "conversations_select",
            "channels_select",
            "users_select",
            "url_text_input",
            "image",
        }:
            self.fail(where, f"unknown element type {kind}")

    def pattern(self, where: str, value: Any, pattern: re.Pattern[str], meaning: str) -> None:
        if value is not None and not (isinstance(value, str) and pattern.fullmatch(value)):
            self.fail(where, f"needs {meaning}")

    def confirm(self, where: str, confirm: Any) -> None:
        if not isinstance(confirm, dict):
            self.fail(where, "not a confirmation dialog")
            return
        self.text(f"{where}.title", confirm.get("title"), 100, plain_only=True)
        self.text(f"{where}.text", confirm.get("text"), 300)
        self.text(f"{where}.confirm", confirm.get("confirm"), 30, plain_only=True)
        self.text(f"{where}.deny", confirm.get("deny"), 30, plain_only=True)

    def options(self, where: str, element: dict[str, Any], limit: int) -> None:
        options = element.get("options")
        if not isinstance(options, list) or not 1 <= len(options) <= limit:
            self.fail(where, f"needs 1 to {limit} options")
            return
        values = []
        for i, option in enumerate(options):
            self.text(f"{where}.options[{i}].text", option.get("text"), 75)
            self.length(f"{where}.options[{i}].value", option.get("value"), 150)
            values.append(option.get("value"))
        initial = [element["initial_option"]] if element.get("initial_option") else []
        initial += element.get("initial_options") or []
        for option in initial:
            if option not in options:
                self.fail(where, "an initial option must be one of the options")

    def block(self, where: str, block: Any, surface: str) -> None:
        kind = block.get("type") if isinstance(block, dict) else None
        if kind not in _LAYOUT:
            self.fail(where, f"unknown block type {kind!r}")
            return
        if kind == "section":
            if "text" not in block and "fields" not in block:
                self.fail(where, "a section needs text or fields")
            if "text" in block:
                self.text(f"{where}.text", block["text"], 3000)
            fields = block.get("fields", [])
            if len(fields) > 10:
                self.fail(where, "at most 10 fields")
            for i, field in enumerate(fields):
                self.text(f"{where}.fields[{i}]", field, 2000)
            if "accessory" in block:
                self.element(f"{where}.accessory", block["accessory"])
        elif kind == "header":
            self.text(f"{where}.text", block.get("text"), 150, plain_only=True)
        elif kind == "context":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= 10:
                self.fail(where, "a context needs 1 to 10 elements")
            for i, element in enumerate(elements):
                if element.get("type") in _TEXT_TYPES:
                    self.text(f"{where}.elements[{i}]", element, 3000)
        elif kind == "actions":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= 25:
                self.fail(where, "actions need 1 to 25 elements")
            ids = [e.get("action_id") for e in elements if e.get("action_id")]
            if len(ids) != len(set(ids)):
                self.fail(where, "action_id must be unique within a block")
            for i, element in enumerate(elements):
                self.element(f"{where}.elements[{i}]", element)
        elif kind == "input":
            if surface == "message":
                self.fail(where, "input blocks belong in modals and the Home tab")
            self.text(f"{where}.label", block.get("label"), 2000, plain_only=True)
            self.text(f"{where}.hint", block.get("hint"), 2000, plain_only=True, required=False)
            self.element(f"{where}.element", block.get("element"))


def check_blocks(blocks: Any, surface: str = "message") -> list[str]:
    """Problems Slack would report for these blocks on a `message`, `modal` or `home`."""
    checker = _Checker()
    if not isinstance(blocks, list):
        return ["blocks: must be a list"]
    limit = MESSAGE_BLOCKS if surface == "message" else SURFACE_BLOCKS
    if len(blocks) > limit:
        checker.fail("blocks", f"{len(blocks)} blocks, more than {limit}")
    block_ids = [b.get("block_id") for b in blocks if isinstance(b, dict) and b.get("block_id")]
    if len(block_ids) != len(set(block_ids)):
        checker.fail("blocks", "block_id must be unique")
    for i, block in enumerate(blocks):
        if isinstance(block, dict):
            checker.length(f"blocks[{i}].block_id", block.get("block_id"), 255)
        checker.block(f"blocks[{i}]", block, surface)
    return checker.problems


def check_view(view: Any) -> list[str]:
    """Problems Slack would report for a modal or Home tab view."""
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        return ["view: type must be modal or home"]
    checker = _Checker()
    if view["type"] == "modal":
        checker.text("view.title", view.get("title"), 24, plain_only=True)
        checker.text("view.submit", view.get("submit"), 24, plain_only=True, required=False)
        checker.text("view.close", view.get("close"), 24, plain_only=True, required=False)
        has_input = any(b.get("type") == "input" for b in view.get("blocks", []))
        if has_input and "submit" not in view:
            checker.fail("view.submit", "a modal with inputs needs a submit button")
    checker.length("view.private_metadata", view.get("private_metadata"), 3000)
    checker.length("view.callback_id", view.get("callback_id"), 255)
    return checker.problems + check_blocks(view.get("blocks"), view["type"])


def check_message(params: dict[str, Any]) -> list[str]:
    """Problems with a message's text and blocks."""
    problems = []
    text = params.get("text")
    if text is not None and (not isinstance(text, str) or len(text) > MESSAGE_TEXT):
        problems.append(f"text: at most {MESSAGE_TEXT} characters")
    if "blocks" in params:
        problems += check_blocks(params["blocks"], "message")
    elif not text:
        problems.append("text: a message needs text or blocks")
    return problems
