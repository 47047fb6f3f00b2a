"""A small world for the funder reports' tests: an ICM and an ACT program of organisation A with enrollments,
assignments, tenancies (one evicted), an exit, a budget line with an expense and an approved rent roll, in
February 2026; the clock is pinned by the tests at 2026-03-15."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ancrage.casework.models import Assignment, Enrollment, Exit
from ancrage.core.permissions import Role
from ancrage.housing.models import Expense
from ancrage.housing.models_rent import RentCharge, RentRoll
from ancrage.housing.tests.support_factories import budget_line, make_tenancy
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory, make_participant, member

FEB = datetime.date(2026, 2, 1)


def build(
    org, actor, *, people: int = 7, act_people: int = 1, shared_org=None, prefix: str = "Personne"
) -> dict:
    icm = ProgramFactory(organisation=org, kind=Program.Kind.ICM, name="Suivi intensif", name_en="ICM team")
    act = ProgramFactory(
        organisation=org, kind=Program.Kind.ACT, name="Suivi dans la communauté", name_en="ACT"
    )
    worker = member(org, Role.CASE_MANAGER)
    tenancies = []
    participants = []
    for index in range(people):
        person = make_participant(
            actor, org, legal_first_name=f"{prefix}{index}", legal_last_name="=HYPERLINK(1)"
        )
        participants.append(person)
        enrollment = Enrollment.objects.create(
            participant=person, program=icm, primary_worker=worker, enrolled_on=datetime.date(2025, 1, 10)
        )
        Assignment.objects.create(
            enrollment=enrollment, worker=worker, starts_on=datetime.date(2025, 1, 10), assigned_by=actor
        )
        if index < people - 1:
            evicted = index == 0
            tenancies.append(
                make_tenancy(
                    person,
                    actor,
                    organisation=org,
                    start=datetime.date(2025, 1, 20),
                    ended_on=datetime.date(2025, 6, 1) if evicted else None,
                    end_reason="eviction" if evicted else "",
                    program=icm,
                    address=f"{index} rue Test",
                )
            )
    # The last person left the program in February for their own housing.
    last = Enrollment.objects.get(participant=participants[-1])
    Enrollment.objects.filter(pk=last.pk).update(status="exited", exited_on=datetime.date(2026, 2, 20))
    Exit.objects.create(
        enrollment=last,
        participant=participants[-1],
        kind="planned",
        reason="goals_reached",
        exited_on=datetime.date(2026, 2, 20),
        destination="own_housing",
        recorded_by=actor,
    )
    # People in the ACT program since February (one by default: a small count).
    for index in range(act_people):
        act_person = make_participant(
            actor, org, legal_first_name=f"{prefix}ACT{index}", legal_last_name="Seul"
        )
        Enrollment.objects.create(participant=act_person, program=act, enrolled_on=datetime.date(2026, 2, 3))
    line = budget_line(icm, amount="5000.00", year=2026)
    Expense.objects.create(
        line=line,
        spent_on=datetime.date(2026, 2, 10),
        amount=Decimal("1234.56"),
        description="Lit",
        recorded_by=actor,
    )
    Expense.objects.create(
        line=line,
        spent_on=datetime.date(2026, 3, 2),
        amount=Decimal("100.00"),
        description="Mars",
        recorded_by=actor,
    )
    roll = RentRoll.objects.create(service=shared_org or org, month=FEB, status=RentRoll.Status.APPROVED)
    draft = RentRoll.objects.create(
        service=shared_org or org, month=datetime.date(2026, 3, 1), status=RentRoll.Status.DRAFT
    )
    for rent_roll in (roll, draft):
        tenancy = tenancies[1]
        RentCharge.objects.create(
            roll=rent_roll,
            tenancy=tenancy,
            landlord=tenancy.landlord,
            participant=tenancy.participant,
            days=28,
            days_in_month=28,
            monthly_rent=Decimal("850.00"),
            amount=Decimal("850.00"),
            supplement_part=Decimal("595.00"),
            share_part=Decimal("255.00"),
        )
    return {"icm": icm, "act": act, "worker": worker, "participants": participants}
