"""The demo consortium's fidelity self-assessments (G5), called by `ancrage.demo.builder.DemoBuilder` at the end.

Each Housing First program's manager fills in the self-assessment of the last two full quarters a week after
each ended, through the service (the computed items are snapshotted as the data stood then). The answers are
drawn from the builder's seed, mostly 3s and 4s with a weaker item or two, so the history chart has a shape.
The same seed and moment give the same data."""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING

from ancrage.accounts.models import Membership
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.organisations.models import Program
from ancrage.reports.fidelity import indicators, periods
from ancrage.reports.fidelity.services import assessment_save

if TYPE_CHECKING:
    from ancrage.demo.builder import DemoBuilder

NOTES = {
    "team_meetings": "Réunion du matin du lundi au jeudi; revue de chaque personne le mercredi.",
    "harm_reduction": "Formation en réduction des méfaits donnée à toute l'équipe au printemps.",
}


def build_fidelity(builder: DemoBuilder) -> int:
    rng = random.Random(builder.seed * 31 + 15)
    now = builder.now
    quarters = periods.recent(3, builder.today)[1:]
    programs = Program.objects.filter(
        organisation__in=list(builder.orgs.values()), kind__in=Program.HOUSING_FIRST_KINDS
    ).order_by("pk")
    saved = 0
    for program in programs:
        membership = (
            Membership.objects.filter(organisation=program.organisation, role=Role.PROGRAM_MANAGER)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is None:
            continue
        for step, key in enumerate(reversed(quarters)):
            bounds = periods.bounds(key)
            assert bounds is not None
            start, end = bounds
            answers = {}
            for item in indicators.SELF:
                # The later quarter a little better: the team worked on what the first assessment showed.
                score = min(4, max(1, rng.choice((2, 3, 3, 3, 4, 4)) + (step and rng.random() < 0.4)))
                answers[item.key] = {"score": score, "note": NOTES.get(item.key, "")}
            moment = min(
                clock.start_of_day(end + datetime.timedelta(days=7)) + datetime.timedelta(hours=10),
                now - datetime.timedelta(minutes=5),
            )
            with clock.at(moment):
                assessment_save(actor=membership.user, program=program, start=start, end=end, answers=answers)
            saved += 1
    return saved
