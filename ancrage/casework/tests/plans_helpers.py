"""Helpers of the recovery plan's tests: an enrollment made directly (the caseload part owns the service)."""

from __future__ import annotations

import datetime

from ancrage.casework.models import Enrollment
from ancrage.core import clock
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory


def enroll(worker, participant, *, on: datetime.date | None = None, program=None) -> Enrollment:
    program = program or ProgramFactory(organisation=participant.organisation, kind=Program.Kind.ICM)
    return Enrollment.objects.create(
        participant=participant,
        program=program,
        primary_worker=worker,
        enrolled_on=on or clock.today() - datetime.timedelta(days=30),
    )
