"""The demos' terminal: reading what a person types (piped input echoed, so that a transcript
reads like a session) and styling what the app shows."""

from __future__ import annotations

from typing import TextIO


class Console:
    """Reads lines from a terminal or a pipe; piped answers are echoed, so that the transcript
    reads like a session."""

    def __init__(self, stdin: TextIO, stdout: TextIO, interactive: bool) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.interactive = interactive

    def ask(self, prompt: str) -> str | None:
        if self.interactive:
            try:
                return input(prompt)
            except EOFError:
                return None
        line = self.stdin.readline()
        if not line:
            return None
        line = line.rstrip("\n")
        self.say(prompt + line)
        return line

    def say(self, text: str = "") -> None:
        print(text, file=self.stdout, flush=True)


class Style:
    """ANSI styling on a terminal; plain text when piped."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _wrap(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.enabled else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def code(self, text: str) -> str:
        return self._wrap("36", text)
