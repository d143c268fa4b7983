"""A network report's chart (matplotlib) and the parts of its summary, for any platform."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no screen: draw to memory

import matplotlib.pyplot as plt
from matplotlib.dates import date2num

from bot.i18n import Translator
from bot.results.reports import NetworkReport

ACTIVITY = (
    ("joined", "#1d4f91"),
    ("events", "#e07b00"),
    ("votes", "#3a9a5b"),
    ("signals", "#8e44ad"),
)


def summary(report: NetworkReport) -> list[tuple[str, dict[str, Any]]]:
    """The report in a few sentences: (catalog key, values) for each, in order."""
    parts: list[tuple[str, dict[str, Any]]] = [
        (
            "report.members",
            {
                "before": report.members_at_start,
                "after": report.members_at_end,
                "joined": report.joined,
                "left": report.left,
                "count": report.active,
            },
        ),
    ]
    scores = [e.feedback_score for e in report.events if e.feedback_score is not None]
    parts.append(
        (
            "report.events",
            {
                "count": len(report.events),
                "attendance": sum(e.going for e in report.events),
                "feedback": f"{sum(scores) / len(scores):.1f}" if scores else "–",
            },
        )
    )
    shares = [p.voters / p.members for p in report.polls if p.members]
    parts.append(
        (
            "report.polls",
            {
                "count": len(report.polls),
                "share": round(100 * sum(shares) / len(shares)) if shares else 0,
            },
        )
    )
    parts.append(("report.signals", {"count": report.signals, "seconds": report.signal_seconds}))
    parts.append(
        (
            "report.reach",
            {
                "count": report.in_other_networks,
                "networks": report.other_networks,
                "organisations": report.other_organisations,
            },
        )
    )
    if report.joined_through_suggestion:
        parts.append(("report.suggested", {"count": report.joined_through_suggestion}))
    if report.external_organisations == 1:
        parts.append(("report.external_one", {"count": report.external_members}))
    elif report.external_organisations > 1:
        external = {
            "count": report.external_members,
            "organisations": report.external_organisations,
        }
        parts.append(("report.external_many", external))
    return parts


def report_png(report: NetworkReport, t: Translator) -> bytes:
    """A PNG of the report, labelled in the reader's language."""
    labels = {key: t(f"report.chart.{key}") for key in ("members", "week", *dict(ACTIVITY))}
    title = t(
        "report.chart.title",
        network=report.network.names.in_(t.language) or report.network.slug,
        start=t.date(report.start),
        end=t.date(report.end),
    )
    weeks = [week.start for week in report.weeks]
    figure, (members, activity) = plt.subplots(
        2, 1, figsize=(8, 6), sharex=True, gridspec_kw={"height_ratios": [3, 2]}
    )
    figure.suptitle(title)
    # Members are counted at each week's end.
    ends = [min(week + timedelta(weeks=1), report.end) for week in weeks]
    members.plot(ends, [week.members for week in report.weeks], color="#1d4f91", marker="o")
    members.set_ylabel(labels["members"])
    members.set_ylim(bottom=0)
    members.grid(alpha=0.3)
    width = 1.2  # days, so that four bars fit in a week
    for place, (series, colour) in enumerate(ACTIVITY):
        values = [getattr(week, series) for week in report.weeks]
        activity.bar(
            [date2num(week) + (place - 1.5) * width for week in weeks],
            values,
            width=width,
            color=colour,
            label=labels[series],
        )
    activity.set_ylabel(labels["week"])
    activity.legend(loc="upper left", ncol=4, fontsize="small")
    activity.grid(alpha=0.3, axis="y")
    figure.autofmt_xdate()
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=100)
    plt.close(figure)
    return out.getvalue()
