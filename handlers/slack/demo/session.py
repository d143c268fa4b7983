"""The demo's terminal: type `/network ...` as one of the demo people and see what Slack shows."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot import worker
from bot.clock import MovableClock, is_time_zone
from bot.i18n import Translator
from handlers.slack.demo.render import BlockText, Button
from handlers.slack.demo.seed import GENERAL, PEOPLE
from handlers.slack.standin.driver import Driver, Response
from handlers.slack.standin.server import Call, WebApiStandIn
from handlers.terminal import Console, Style

_TIME_STEP = re.compile(r"\+(\d{1,4})([mhdw])")
_TIME_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
# Slack's pickers: the key their state sends, and the key of their initial value.
_PICKERS = {
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
    "datetimepicker": ("selected_date_time", "initial_date_time"),
}


@dataclass
class Inbox:
    """What reached someone other than the person at the keyboard, shown when they take over."""

    messages: dict[str, list[tuple[str, Call]]] = field(default_factory=dict)

    def put(self, user_id: str, kind: str, call: Call) -> None:
        self.messages.setdefault(user_id, []).append((kind, call))

    def take(self, user_id: str) -> list[tuple[str, Call]]:
        return self.messages.pop(user_id, [])


class DemoSession:
    def __init__(
        self,
        standin: WebApiStandIn,
        driver: Driver,
        console: Console,
        t: Translator,
        command: str,
        clock: MovableClock,
    ) -> None:
        self.clock = clock
        self.standin = standin
        self.driver = driver
        self.console = console
        self.t = t
        self.command = command
        self.style = Style(console.interactive)
        self.user_id = PEOPLE[1].user_id
        self.channel_id = GENERAL
        self.inbox = Inbox()
        self.buttons: list[Button] = []
        self.joined_channels: list[tuple[str, str]] = []
        self.standin.on_channel_join = lambda channel, user: self.joined_channels.append(
            (channel, user)
        )

    # Names -----------------------------------------------------------------------------------

    def name_of(self, some_id: str) -> str:
        if some_id in self.standin.users:
            return self.standin.users[some_id].real_name
        channel = self.standin.channels.get(some_id)
        return channel.name if channel else some_id

    def handle_of(self, user_id: str) -> str:
        return self.standin.users[user_id].name

    @property
    def prompt(self) -> str:
        return f"{self.handle_of(self.user_id)}@#{self.name_of(self.channel_id)}> "

    # The loop --------------------------------------------------------------------------------

    def run(self) -> None:
        self.console.say(self.t("demo.welcome", command=self.command))
        self.console.say(self.t("demo.you_are", name=self.name_of(self.user_id)))
        while True:
            line = self.console.ask(self.prompt)
            if line is None:
                break
            if not self.handle(line.strip()):
                break
        self.console.say(self.t("demo.bye"))

    def handle(self, line: str) -> bool:
        """Act on one line; False to end the session."""
        if not line or line.startswith("#"):
            return True
        if line.startswith("/"):
            name, _, text = line.partition(" ")
            if name != self.command:
                self.note(self.t("demo.unknown_slash", name=name, command=self.command))
                return True
            self.exchange(lambda: self.driver.command(self.user_id, text, self.channel_id))
            return True
        verb, _, argument = line.partition(" ")
        actions: dict[str, Callable[[str], bool | None]] = {
            ":help": self.show_help,
            ":click": self.click,
            ":as": self.switch_person,
            ":who": self.show_people,
            ":channel": self.switch_channel,
            ":enter": self.enter_channel,
            ":time": self.move_time,
            ":profile": self.change_profile,
            ":home": self.open_home,
            ":quit": lambda _: False,
        }
        action = actions.get(verb)
        if action is None:
            self.note(self.t("demo.unknown", line=line))
            return True
        return action(argument.strip()) is not False

    def note(self, text: str) -> None:
        self.console.say(self.style.dim(text))

    # Commands --------------------------------------------------------------------------------

    def show_help(self, _: str) -> None:
        self.console.say(self.t("demo.help", command=self.command))

    def show_people(self, _: str) -> None:
        for person in PEOPLE:
            marker = "*" if person.user_id == self.user_id else " "
            self.console.say(f" {marker} {person.handle:<8} {person.name}")

    def switch_person(self, handle: str) -> None:
        wanted = handle.lstrip("@").lower()
        person = next((p for p in PEOPLE if p.handle == wanted), None)
        if person is None:
            self.note(
                self.t(
                    "demo.no_such_person", handle=handle, people=", ".join(p.handle for p in PEOPLE)
                )
            )
            return
        self.user_id = person.user_id
        self.console.say(self.t("demo.you_are", name=person.name))
        waiting = self.inbox.take(person.user_id)
        self.buttons = []
        for kind, call in waiting:
            self.show(kind, call)

    def switch_channel(self, name: str) -> None:
        channel = self._channel(name)
        if channel is not None:
            self.channel_id = channel

    def enter_channel(self, name: str) -> None:
        """Join a channel in Slack itself, which sends the app a member_joined_channel event."""
        channel = self._channel(name)
        if channel is None:
            return
        self.standin.channels[channel].members.add(self.user_id)
        self.note(self.t("demo.entered", channel=self.name_of(channel)))
        self.exchange(lambda: self.driver.member_joined_channel(self.user_id, channel))

    def change_profile(self, argument: str) -> None:
        """Change one's own profile in Slack itself (`admin on|off`, `tz ZONE`, `name NAME`),
        which sends the app a user_change event."""
        field, _, value = argument.partition(" ")
        user = self.standin.users[self.user_id]
        if field == "admin" and value in ("on", "off"):
            user.is_admin = value == "on"
        elif field == "tz" and is_time_zone(value):
            user.tz = value
        elif field == "name" and value.strip():
            user.real_name = value.strip()
        else:
            self.note(self.t("demo.profile_usage"))
            return
        user.updated += 1
        self.note(self.t("demo.profile_changed"))
        self.exchange(lambda: self.driver.user_change(self.user_id))

    def _channel(self, name: str) -> str | None:
        wanted = name.lstrip("#").lower()
        for channel in self.standin.channels.values():
            if channel.name == wanted or channel.id == name:
                return channel.id
        known = ", ".join("#" + c.name for c in self.standin.channels.values())
        self.note(self.t("demo.no_such_channel", channel=name, channels=known))
        return None

    def move_time(self, argument: str) -> None:
        """Move the clock forward (`+1d`, `+2h`, `+30m`, `+1w`), then do what the worker would."""
        match = _TIME_STEP.fullmatch(argument.replace(" ", ""))
        if match is None:
            self.note(self.t("demo.time_usage"))
            return
        amount, unit = int(match.group(1)), match.group(2)
        self.clock.advance(timedelta(**{_TIME_UNITS[unit]: amount}))
        self.note(self.t("demo.time_now", now=self.t.moment(self.clock.now())))
        before = self.standin.last_seq
        worker.run_due()
        calls = self.standin.since(before)
        if not calls:
            self.note(self.t("demo.time_nothing"))
        self.buttons = []
        self.show_calls(calls)

    def open_home(self, _: str) -> None:
        self.exchange(lambda: self.driver.app_home_opened(self.user_id))

    def click(self, argument: str) -> None:
        plain_number = argument.isascii() and argument.isdigit()
        if not plain_number or not 1 <= int(argument) <= len(self.buttons):
            self.note(self.t("demo.no_such_button", count=len(self.buttons)))
            return
        button = self.buttons[int(argument) - 1]
        self.exchange(
            lambda: self.driver.click(
                self.user_id, button.action_id, button.value, channel_id=button.channel_id
            )
        )

    # Showing what Slack would show -----------------------------------------------------------

    def exchange(self, send: Callable[[], Response]) -> Response:
        """Send a request and show everything the app did in answer, as the people would see it."""
        before = self.standin.last_seq
        response = send()
        if response.status != 200:
            self.note(self.t("demo.http_error", status=response.status))
        self.buttons = []
        self.show_calls(self.standin.since(before))
        self.deliver_channel_joins()
        return response

    def deliver_channel_joins(self) -> None:
        """Slack tells the app about people it added to channels; so does the demo."""
        while self.joined_channels:
            channel, user = self.joined_channels.pop(0)
            before = self.standin.last_seq
            self.driver.member_joined_channel(user, channel)
            self.show_calls(self.standin.since(before))

    def show_calls(self, calls: list[Call]) -> None:
        for call in calls:
            recipient = self._recipient(call)
            if call.method == "views.open" and call.ok:
                self.fill_modal(call.response["view"])
            elif call.method == "views.publish" and call.ok:
                render = BlockText(self.style, self.name_of, self.buttons)
                self.console.say(self.style.dim(f"── {self.t('demo.home')} ──"))
                for line in render.message({"blocks": call.params["view"]["blocks"]}):
                    self.console.say(line)
            elif call.method == "conversations.invite" and call.ok:
                self.note(
                    self.t(
                        "demo.invited",
                        person=self.name_of(str(call.params["users"])),
                        channel=self.name_of(str(call.params["channel"])),
                    )
                )
            elif recipient is None:
                continue
            elif recipient == self.user_id or recipient.startswith(("C", "G")):
                self.show(self._kind(call), call)
                self._leave_for_channel_members(recipient, call)
            else:
                self.inbox.put(recipient, self._kind(call), call)
                self.note(
                    self.t(
                        "demo.message_for",
                        name=self.name_of(recipient),
                        handle=self.handle_of(recipient),
                    )
                )

    def _leave_for_channel_members(self, channel_id: str, call: Call) -> None:
        """The other people in a channel see its new messages when they take over."""
        channel = self.standin.channels.get(channel_id)
        for member in channel.members if channel else ():
            if member != self.user_id and member in self.standin.users:
                self.inbox.put(member, self._kind(call), call)

    @staticmethod
    def _kind(call: Call) -> str:
        if call.method == "chat.update":
            return (
                "dm_updated" if str(call.params.get("channel", "")).startswith("D") else "updated"
            )
        if call.method == "chat.postMessage":
            return "dm" if str(call.params.get("channel", "")).startswith("U") else "channel"
        return "ephemeral"

    def _recipient(self, call: Call) -> str | None:
        if not call.ok:
            return None
        if call.method == "response_url":
            return call.user_id
        if call.method == "chat.postEphemeral":
            return str(call.params.get("user"))
        if call.method in ("chat.postMessage", "chat.update"):
            channel = str(call.params.get("channel"))
            # The stand-in names a direct message conversation after its person: D0AINO, U0AINO.
            person = "U" + channel[1:]
            return person if channel.startswith("D") and person in self.standin.users else channel
        return None

    def show(self, kind: str, call: Call) -> None:
        render = BlockText(self.style, self.name_of, self.buttons)
        channel = call.channel_id or call.params.get("channel")
        if kind == "dm":
            title = self.t("demo.dm")
            channel = call.response.get("channel")
        elif kind == "channel":
            title = "#" + self.name_of(str(channel))
        elif kind == "updated":
            title = "#" + self.name_of(str(channel)) + " " + self.t("demo.updated")
        elif kind == "dm_updated":
            title = self.t("demo.dm") + " " + self.t("demo.updated")
        else:
            title = self.t("demo.only_you")
        if call.params.get("replace_original"):
            title += " " + self.t("demo.replaced")
        self.console.say(self.style.dim(f"── {title} ──"))
        for line in render.message(call.params, channel):
            self.console.say(line)

    # Modals ----------------------------------------------------------------------------------

    def fill_modal(self, view: dict[str, Any]) -> None:
        """Ask for each field of a modal in turn, submit it, and show what the app answers."""
        render = BlockText(self.style, self.name_of)
        self.console.say(self.style.bold(f"┌ {view['title']['text']}"))
        self.console.say(self.style.dim(self.t("demo.modal_hint")))
        values: dict[str, Any] = {}
        inputs = [block for block in view.get("blocks", []) if block.get("type") == "input"]
        for block in view.get("blocks", []):
            if block.get("type") != "input":
                for line in render.blocks([block]):
                    self.console.say("│ " + line)
        todo = inputs
        while todo:
            for block in todo:
                answer = self.ask_field(block)
                if answer is None:
                    self.console.say(self.t("demo.modal_cancelled"))
                    return
                values[block["block_id"]] = {"value": answer}
            before = self.standin.last_seq
            response = self.driver.submit(self.user_id, view, values)
            result = response.json()
            if result.get("response_action") == "errors":
                errors = result.get("errors", {})
                for block_id, message in errors.items():
                    self.console.say(f"│ ✗ {block_id}: {message}")
                todo = [block for block in inputs if block["block_id"] in errors]
                continue
            if result.get("response_action") == "update":
                for line in render.blocks(result["view"].get("blocks", [])):
                    self.console.say("│ " + line)
            self.console.say("└")
            self.show_calls(self.standin.since(before))
            return

    def ask_field(self, block: dict[str, Any]) -> dict[str, Any] | None:
        """One field's answer as Slack's state value; None when the input ended."""
        element = block["element"]
        kind = element["type"]
        label = block["label"]["text"]
        optional = " " + self.t("demo.optional") if block.get("optional") else ""
        options = element.get("options", [])
        if kind == "conversations_select":
            options = [
                {"text": {"text": "#" + c.name}, "value": c.id}
                for c in self.standin.channels.values()
            ]
        for number, option in enumerate(options, start=1):
            self.console.say(f"│   {number}. {option['text']['text']}")
        initial = self._initial(element, options)
        shown = f" [{initial}]" if initial else ""
        answer = self.console.ask(f"│ {label}{optional}{shown}: ")
        if answer is None:
            return None
        answer = answer.strip()
        keep = answer == ""
        if kind in ("plain_text_input", "url_text_input", "number_input"):
            value = element.get("initial_value") if keep else (None if answer == "-" else answer)
            return {"type": kind, "value": value}
        if kind in _PICKERS:
            state_key, initial_key = _PICKERS[kind]
            value = element.get(initial_key) if keep else (None if answer == "-" else answer)
            if kind == "datetimepicker" and value is not None and not keep:
                value = self._timestamp(str(value))
            return {"type": kind, state_key: value}
        chosen = self._choose(answer, options, keep, element)
        if kind in ("checkboxes", "multi_static_select"):
            return {"type": kind, "selected_options": chosen}
        if kind == "conversations_select":
            return {"type": kind, "selected_conversation": chosen[0]["value"] if chosen else None}
        return {"type": kind, "selected_option": chosen[0] if chosen else None}

    def _timestamp(self, answer: str) -> int | None:
        """ "2026-12-05 16:00", read in the demo's time zone, as Slack's picker sends it."""
        try:
            moment = datetime.strptime(answer, "%Y-%m-%d %H:%M")
        except ValueError:
            return None
        return int(moment.replace(tzinfo=self.t.timezone).timestamp())

    @staticmethod
    def _initial(element: dict[str, Any], options: list[dict[str, Any]]) -> str:
        for key in ("initial_value", "initial_date", "initial_time", "initial_date_time"):
            if element.get(key):
                return str(element[key])
        chosen = ([element["initial_option"]] if element.get("initial_option") else []) + (
            element.get("initial_options") or []
        )
        if element.get("initial_conversation"):
            chosen = [o for o in options if o["value"] == element["initial_conversation"]]
        numbers = [str(options.index(o) + 1) for o in chosen if o in options]
        return ",".join(numbers)

    def _choose(
        self, answer: str, options: list[dict[str, Any]], keep: bool, element: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if keep:
            numbers = [int(n) for n in self._initial(element, options).split(",") if n]
        elif answer == "-":
            numbers = []
        else:
            parts = answer.replace(" ", "").split(",")
            numbers = [int(n) for n in parts if n.isascii() and n.isdigit()]
        return [options[n - 1] for n in numbers if 1 <= n <= len(options)]
