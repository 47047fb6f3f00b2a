"""People with a whole history for the outcomes page's tests: a by-name list entry, a first move-in, an exit
(to housing, then back on the list for some), and the progress scale at baseline and follow-up. Rows are
written directly: the services that write them are other parts' and tested there."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta

from ancrage.access.models import ByNameEntry, ByNameStatusChange
from ancrage.assessments.models import Administration, InstrumentVersion
from ancrage.assessments.tests.factories import load_shipped_instruments
from ancrage.casework.models import Enrollment, Exit
from ancrage.core import clock
from ancrage.housing.tests.support_factories import make_tenancy
from ancrage.people.tests.factories import make_participant

IDENTITIES = ("first_nations", "metis", "not_indigenous", "not_collected")
GENDERS = ("woman", "man", "non_binary", "refused")

DOMAINS = (
    "home",
    "money",
    "self_care",
    "physical_health",
    "wellbeing",
    "substance_use",
    "relationships",
    "activities",
    "safety_rights",
    "hope",
)


def _status(entry, on, src, dst, actor) -> None:
    ByNameStatusChange.objects.create(
        entry=entry, from_status=src, to_status=dst, on=on, reason="test", by=actor
    )


def _sitting(participant, version, actor, day: datetime.date, level: int) -> None:
    points = dict.fromkeys(DOMAINS, level)
    Administration.objects.create(
        participant=participant,
        version=version,
        administered_by=actor,
        started_at=clock.start_of_day(day),
        completed_at=clock.start_of_day(day),
        status=Administration.Status.COMPLETED,
        score={
            "total": level * len(DOMAINS),
            "points": points,
            "sections": {"domains": {"total": level * 10}},
        },
    )


def person(actor, organisation, program, index: int, *, today: datetime.date | None = None, **values):
    """Person `index`: on the list 20 months ago, housed 18 months ago (an eviction and a rehousing for every
    fifth), exited to their own housing 14 months ago, back on the list 4 months later for every third, and
    the progress scale at baseline and 6 months later (better for most)."""
    today = today or clock.today()
    version = (
        InstrumentVersion.objects.filter(instrument__key="progress_scale").order_by("-created_at").first()
    )
    if version is None:
        load_shipped_instruments()
        version = (
            InstrumentVersion.objects.filter(instrument__key="progress_scale").order_by("-created_at").first()
        )
    defaults = {
        "legal_first_name": f"Personne{index}",
        "legal_last_name": f"Résultat{index}",
        "indigenous_identity": IDENTITIES[index % len(IDENTITIES)],
        "gender": GENDERS[index % len(GENDERS)],
        "date_of_birth": datetime.date(1960 + index % 40, 5, 1),
    }
    defaults.update(values)
    participant = make_participant(actor, organisation, **defaults)
    listed = today - relativedelta(months=20)
    moved = today - relativedelta(months=18)
    left = today - relativedelta(months=14)
    entry = ByNameEntry.objects.create(
        participant=participant,
        status="housed",
        entered_on=listed,
        status_since=moved,
        reference_worker=actor,
        is_chronic=index % 2 == 0,
    )
    _status(entry, listed, "", "active", actor)
    _status(entry, moved, "active", "housed", actor)
    if index % 3 == 0:
        _status(entry, left + relativedelta(months=4), "housed", "active", actor)
        ByNameEntry.objects.filter(pk=entry.pk).update(status="active")
    if index % 5 == 0:
        first = make_tenancy(
            participant,
            actor,
            organisation=organisation,
            program=program,
            start=moved,
            ended_on=moved + relativedelta(months=3),
            end_reason="eviction",
        )
        make_tenancy(
            participant,
            actor,
            organisation=organisation,
            program=program,
            start=moved + relativedelta(months=3, days=10),
            previous=first,
        )
    else:
        make_tenancy(participant, actor, organisation=organisation, program=program, start=moved)
    enrollment = Enrollment.objects.create(
        participant=participant, program=program, enrolled_on=listed, status="exited", exited_on=left
    )
    Exit.objects.create(
        enrollment=enrollment,
        participant=participant,
        kind="graduation",
        reason="goals_reached",
        exited_on=left,
        destination="own_housing" if index % 7 else "shelter",
        recorded_by=actor,
    )
    _sitting(participant, version, actor, moved, 4)
    _sitting(participant, version, actor, moved + relativedelta(months=6), 4 if index % 4 == 0 else 6)
    return participant


def people(actor, organisation, program, count: int, *, start: int = 0, today=None) -> list:
    return [person(actor, organisation, program, i, today=today) for i in range(start, start + count)]
