"""A network's report in Slack: a few sentences, with the chart and the CSV by direct message."""

from __future__ import annotations

from bot.i18n import Translator
from bot.report_chart import summary
from bot.results.reports import NetworkReport
from handlers.slack.blocks import Reply, name_of, section
from handlers.slack.markup import Mrkdwn, say


def report_reply(t: Translator, report: NetworkReport, sent: bool) -> Reply:
    title = say(
        t,
        "report.title",
        network=name_of(report.network, t),
        start=t.date(report.start),
        end=t.date(report.end),
    )
    lines = [say(t, key, **values) for key, values in summary(report)]
    note = say(t, "report.sent" if sent else "report.not_sent")
    text = Mrkdwn("\n".join([title, *(f"• {line}" for line in lines), note]))
    return Reply(text=title, blocks=[section(text)])


def report_comment(t: Translator, report: NetworkReport) -> Mrkdwn:
    return say(t, "report.files", network=name_of(report.network, t))
