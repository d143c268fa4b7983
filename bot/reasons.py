"""Why a network is suggested, as a catalog message: one wording for every platform."""

from __future__ import annotations

from typing import Any

from bot.domain import Scope
from bot.i18n import Translator
from bot.results.recommendations import Reason


def reason_message(t: Translator, reason: Reason) -> tuple[str, dict[str, Any]]:
    """The catalog key and parameters that say `reason` (a counted message takes `count`)."""
    if reason.kind == "topics":
        return "similar.reason.topics", {"topics": ", ".join(reason.values)}
    if reason.kind == "scope":
        return "similar.reason.scope", {"scope": t.list(t.label(Scope(v)) for v in reason.values)}
    if reason.kind in ("members", "taken_up"):
        return f"similar.reason.{reason.kind}", {"count": reason.count}
    return f"similar.reason.{reason.kind}", {}
