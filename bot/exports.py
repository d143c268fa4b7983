"""The files the bot hands people, named the same on every platform and on the command line:
a poll's answers, a network's signals, its report, and a person's own data."""

from __future__ import annotations

import json

from bot.i18n import Translator
from bot.platform import Files
from bot.report_chart import report_png
from bot.results.polls import PollCard
from bot.results.privacy import PersonalExport
from bot.results.reports import NetworkReport
from bot.results.signals import SignalListing
from bot.services.reports import report_csv


def poll_files(card: PollCard, table: str) -> Files:
    return {f"poll-{card.id}.csv": table}


def signal_files(listing: SignalListing, table: str) -> Files:
    return {f"signals-{listing.network.slug}.csv": table}


def report_files(report: NetworkReport, t: Translator, timezone: str) -> Files:
    """The report's chart, in `t`'s words, and its table, in `timezone`'s days."""
    slug = report.network.slug
    return {
        f"{slug}-report.png": report_png(report, t),
        f"{slug}-report.csv": report_csv(report, timezone),
    }


def personal_data_files(exported: PersonalExport) -> Files:
    return {"verkosto-my-data.json": json.dumps(exported.data, ensure_ascii=False, indent=2)}
