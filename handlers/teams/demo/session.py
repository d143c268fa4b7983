"""The Teams demo's terminal: write to Verkosto in your chat with it (or in the foresight
network's channel, mentioning it) as one of the demo people, and see what Teams shows: the
cards, what a press shows, and the dialogs, asked field by field."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot import worker
from bot.clock import MovableClock
from bot.i18n import Translator
from handlers.teams.demo.render import Button, CardText
from handlers.teams.demo.seed import CHANNEL, CHANNEL_NAME, PEOPLE
from handlers.teams.standin.cards import card_of
from handlers.teams.standin.connector import SEND, UPDATE, Call, ConnectorStandIn, Person
from handlers.teams.standin.driver import Response, TeamsDriver
from handlers.terminal import Console, Style

_TIME_STEP = re.compile(r"\+(\d{1,4})([mhdw])")
_TIME_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
SHOWN = (SEND, UPDATE)


class TeamsDemoSession:
    def __init__(
        self,
        connector: ConnectorStandIn,
        driver: TeamsDriver,
        people: dict[str, Person],
        console: Console,
        t: Translator,
        clock: MovableClock,
    ) -> None:
        self.connector = connector
        self.driver = driver
        self.people = people
        self.console = console
        self.t = t
        self.clock = clock
        self.style = Style(console.interactive)
        self.handle = "mikko"
        self.in_channel = False
        self.buttons: list[Button] = []
        # Messages that reached someone else, shown when they take over.
        self.inbox: dict[str, list[Call]] = {}

    @property
    def person(self) -> Person:
        return self.people[self.handle]

    @property
    def prompt(self) -> str:
        where = f"#{CHANNEL_NAME}" if self.in_channel else self.t("demo.teams_chat")
        return f"{self.handle}@{where}> "

    def run(self) -> None:
        self.console.say(self.t("demo.teams_welcome"))
        self.console.say(self.t("demo.you_are", name=self.person.name))
        while (line := self.console.ask(self.prompt)) is not None:
            if not self.handle_line(line.strip()):
                break
        self.console.say(self.t("demo.bye"))

    def handle_line(self, line: str) -> bool:
        """Act on one line; False to end the session."""
        if not line or line.startswith("#"):
            return True
        if not line.startswith(":"):
            channel = CHANNEL if self.in_channel else None
            self.exchange(lambda: self.driver.message(self.person, line, channel))
            return True
        verb, _, argument = line.partition(" ")
        actions: dict[str, Callable[[str], bool | None]] = {
            ":help": lambda _: self.console.say(self.t("demo.teams_help")),
            ":click": self.click,
            ":as": self.switch_person,
            ":who": self.show_people,
            ":channel": self.switch_place,
            ":signal": self.save_signal,
            ":time": self.move_time,
            ":home": lambda _: self.exchange(lambda: self.driver.message(self.person, "home")),
            ":quit": lambda _: False,
        }
        action = actions.get(verb)
        if action is None:
            self.note(self.t("demo.unknown", line=line, command="network"))
            return True
        return action(argument.strip()) is not False

    def note(self, text: str) -> None:
        self.console.say(self.style.dim(text))

    # People and places -----------------------------------------------------------------------

    def show_people(self, _: str) -> None:
        for person in PEOPLE:
            marker = "*" if person.handle == self.handle else " "
            self.console.say(f" {marker} {person.handle:<8} {person.name}")

    def switch_person(self, handle: str) -> None:
        wanted = handle.lstrip("@").lower()
        if wanted not in self.people:
            known = ", ".join(self.people)
            self.note(self.t("demo.no_such_person", handle=handle, people=known))
            return
        self.handle = wanted
        self.console.say(self.t("demo.you_are", name=self.person.name))
        self.buttons = []
        for call in self.inbox.pop(wanted, []):
            self.show(call)

    def switch_place(self, name: str) -> None:
        """`:channel ennakointi` to write in the network's channel, `:channel chat` for one's
        own chat with the bot."""
        self.in_channel = name.lstrip("#") == CHANNEL_NAME
        if not self.in_channel and name not in ("chat", ""):
            known = f"#{CHANNEL_NAME}, chat"
            self.note(self.t("demo.no_such_channel", channel=name, channels=known))
        if self.in_channel and self.connector.sent_to(CHANNEL):
            # Opening the channel shows its latest message as it stands, buttons and all.
            self.buttons = []
            self.console.say(self.style.dim(f"── #{CHANNEL_NAME} ──"))
            latest = self.connector.activity_id_of(CHANNEL)
            self.draw(card_of(self.connector.messages[(CHANNEL, latest)]), CHANNEL, latest)

    def save_signal(self, text: str) -> None:
        """Choose "Save as weak signal" on a message with `text` in the network's channel."""
        if not text:
            self.note(self.t("demo.teams_signal_usage"))
            return
        answer = self.exchange(lambda: self.driver.message_action(self.person, CHANNEL, text))
        self.after_invoke(answer, CHANNEL, submitted_as="composeExtension/submitAction")

    def move_time(self, argument: str) -> None:
        step = _TIME_STEP.fullmatch(argument)
        if step is None:
            self.note(self.t("demo.time_usage"))
            return
        self.clock.advance(timedelta(**{_TIME_UNITS[step.group(2)]: int(step.group(1))}))
        self.note(self.t("demo.time_now", now=self.t.moment(self.clock.now())))
        before = self.connector.last_seq
        worker.run_due()
        if not self.show_since(before):
            self.note(self.t("demo.time_nothing"))

    # Buttons and dialogs ---------------------------------------------------------------------

    def click(self, argument: str) -> None:
        number = int(argument) if argument.isdigit() else 0
        if not 1 <= number <= len(self.buttons):
            self.note(self.t("demo.no_such_button", count=len(self.buttons)))
            return
        button = self.buttons[number - 1]
        action = button.action
        kind = action.get("type")
        if kind == "Action.OpenUrl":
            self.note(str(action.get("url")))
        elif kind == "Action.ShowCard":
            self.buttons = []
            for line in CardText(self.style, self.buttons).card(
                action.get("card") or {}, button.conversation, button.message
            ):
                self.console.say("  " + line)
        elif kind == "Action.Submit":
            data = action.get("data") or {}
            answer = self.exchange(
                lambda: self.driver.invoke(
                    self.person, button.conversation, "task/fetch", {"data": data}, button.message
                )
            )
            self.after_invoke(answer, button.conversation)
        else:
            value = {
                "action": {
                    "type": "Action.Execute",
                    "verb": action.get("verb"),
                    "data": action.get("data") or {},
                },
                "trigger": "manual",
            }
            answer = self.exchange(
                lambda: self.driver.invoke(
                    self.person, button.conversation, "adaptiveCard/action", value, button.message
                )
            )
            self.after_invoke(answer, button.conversation)

    def after_invoke(
        self, answer: Response, conversation: str, submitted_as: str = "task/submit"
    ) -> None:
        """What Teams shows for an invoke's answer: a card, a note, or a dialog (submitted as
        `submitted_as`: a message action's dialog comes back as its own invoke)."""
        body = answer.json()
        if body.get("type") == "application/vnd.microsoft.card.adaptive":
            self.console.say(self.style.dim(f"── {self.t('demo.teams_your_card')} ──"))
            self.draw(body["value"], conversation, None)
        elif body.get("type") == "application/vnd.microsoft.activity.message" and body.get("value"):
            self.note(f"({body['value']})")
        elif (body.get("task") or {}).get("type") == "continue":
            self.fill_dialog(body, conversation, submitted_as)
        elif (body.get("task") or {}).get("value"):
            self.note(f"({body['task']['value']})")

    def fill_dialog(self, shown: dict[str, Any], conversation: str, submitted_as: str) -> None:
        """Ask for each field of a dialog in turn, submit it, and show what the app answers."""
        while True:
            task = shown["task"]["value"]
            form = task["card"]["content"]
            self.console.say(self.style.bold(f"┌ {task['title']}"))
            self.console.say(self.style.dim(self.t("demo.modal_hint")))
            filled: dict[str, str] = {}
            for element in form.get("body") or []:
                if not str(element.get("type", "")).startswith("Input."):
                    for line in CardText(self.style, []).card({"body": [element]}, "", None):
                        self.console.say("│ " + line)
                    continue
                answer = self.ask_field(element)
                if answer is None:
                    self.console.say(self.t("demo.modal_cancelled"))
                    return
                filled[element["id"]] = answer
            answer = self.submit(conversation, shown, submitted_as, filled)
            body = answer.json()
            if (body.get("task") or {}).get("type") != "continue":
                self.console.say("└")
                return
            shown = body

    def submit(
        self, conversation: str, shown: dict[str, Any], invoke: str, filled: dict[str, str]
    ) -> Response:
        return self.exchange(
            lambda: self.driver.submit_dialog(
                self.person, conversation, shown, invoke=invoke, **filled
            )
        )

    def ask_field(self, element: dict[str, Any]) -> str | None:
        """One field's answer as Teams sends it; None when the input ended."""
        kind = element["type"]
        label = element.get("label") or element.get("title") or element["id"]
        current = str(element.get("value") or "")
        if kind == "Input.ChoiceSet":
            choices = element.get("choices") or []
            for number, choice in enumerate(choices, start=1):
                self.console.say(f"│   {number}. {choice['title']}")
            chosen = [c["value"] for c in choices]
            shown = ",".join(str(chosen.index(v) + 1) for v in current.split(",") if v in chosen)
            answer = self.console.ask(f"│ {label} [{shown}]: ")
            if answer is None:
                return None
            if not answer.strip():
                return current
            numbers = [int(n) for n in answer.replace(" ", "").split(",") if n.isdigit()]
            return ",".join(chosen[n - 1] for n in numbers if 1 <= n <= len(chosen))
        if kind == "Input.Toggle":
            answer = self.console.ask(f"│ {label}: {element.get('title', '')} (y/n) [{current}]: ")
            if answer is None:
                return None
            return (
                current
                if not answer.strip()
                else ("true" if answer.strip() in "yYkKjJ" else "false")
            )
        answer = self.console.ask(f"│ {label} [{current}]: ")
        if answer is None:
            return None
        return current if not answer.strip() else ("" if answer.strip() == "-" else answer)

    # Showing what Teams would show -----------------------------------------------------------

    def exchange(self, send: Callable[[], Response]) -> Response:
        """Send an activity and show what reached the person, the channel and others."""
        before = self.connector.last_seq
        response = send()
        if response.status != 200:
            self.note(self.t("demo.http_error", status=response.status))
        self.buttons = []
        self.show_since(before)
        return response

    def show_since(self, before: int) -> bool:
        shown = False
        for call in self.connector.calls:
            if call.seq <= before or call.kind not in SHOWN or call.status not in (200, 201):
                continue
            owner = self._owner(call.conversation)
            if call.conversation == CHANNEL or owner == self.handle:
                self.show(call)
                shown = True
            if owner is not None and owner != self.handle:
                self.inbox.setdefault(owner, []).append(call)
                name = self.people[owner].name
                self.note(self.t("demo.message_for", name=name, handle=owner))
        return shown

    def _owner(self, conversation: str) -> str | None:
        return next(
            (h for h, p in self.people.items() if self.driver.chat_of(p) == conversation), None
        )

    def show(self, call: Call) -> None:
        where = f"#{CHANNEL_NAME}" if call.conversation == CHANNEL else self.t("demo.teams_chat")
        if call.kind == UPDATE:
            where += " " + self.t("demo.updated")
        self.console.say(self.style.dim(f"── {where} ──"))
        self.draw(card_of(call.body), call.conversation, call.activity_id)

    def draw(self, card: dict[str, Any], conversation: str, message: str | None) -> None:
        for line in CardText(self.style, self.buttons).card(card, conversation, message):
            self.console.say(line)
