"""The demo consortium's funder reports (G6): the last 24 months' reports, each generated as the monthly job would
have on the first of the following month (at its moment), after the rest of the demo is written. Called by
`ancrage.demo.builder.DemoBuilder`."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta

from ancrage.core import clock
from ancrage.demo.accounts import CONSORTIUM
from ancrage.organisations.models import Consortium
from ancrage.reports.funder.services import funder_report_generate, last_ended_month

if TYPE_CHECKING:
    from ancrage.demo.builder import DemoBuilder

MONTHS = 24


def generate_history(consortium: Consortium, now: datetime.datetime, months: int = MONTHS) -> int:
    """The reports of the `months` months ended before `now`, each at its job's moment; returns how many."""
    last = last_ended_month(clock.localdate(now))
    generated = 0
    for back in range(months - 1, -1, -1):
        month = last - relativedelta(months=back)
        due = clock.start_of_day(month + relativedelta(months=1)) + datetime.timedelta(hours=4, minutes=30)
        with clock.at(min(due, now)):
            _report, created = funder_report_generate(consortium=consortium, month=month)
        generated += created
    return generated


def build_funder_reports(builder: DemoBuilder) -> dict[str, Any]:
    consortium = Consortium.objects.get(name=CONSORTIUM["name"])
    return {"funder reports": generate_history(consortium, builder.now)}
