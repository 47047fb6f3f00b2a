"""What the rent payment service adds to shared pages: the clerk's day on the home page (the roll to generate
or approve, payments not reconciled, arrears over the threshold, broken plans), and a participant's arrears
on their file (only under the HOUSING category; never the landlord's other tenants)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings

from ancrage.core import clock
from ancrage.core.permissions import Category
from ancrage.housing.models import RentRoll, RepaymentPlan, Tenancy
from ancrage.housing.rent import selectors
from ancrage.housing.rent.arithmetic import first_of_month, next_month


def home(*, user) -> dict[str, Any]:
    if not user.has_ancrage_perm("housing.manage_rent"):
        return {}
    services = list(selectors.services_managed_by(user))
    if not services:
        return {}
    today = clock.today()
    months = [first_of_month(today)]
    if today.day >= settings.ANCRAGE["RENT_ROLL_DAY"]:
        months.append(next_month(today))
    rolls = {
        (r.service_id, r.month): r
        for r in RentRoll.objects.filter(service__in=services, month__in=months).select_related("service")
    }
    todo = []
    for service in services:
        for month in months:
            roll = rolls.get((service.pk, month))
            if roll is None or roll.status == RentRoll.Status.DRAFT:
                todo.append({"service": service, "month": month, "roll": roll})
    arrears = [row for row in selectors.arrears_list(user, today) if row[1].alerting]
    broken = list(
        selectors.plans_for(selectors.tenancies_for_rent(user))
        .filter(status=RepaymentPlan.Status.BROKEN, ended_on__gte=today - datetime.timedelta(days=60))
        .select_related("tenancy__participant")
        .order_by("-ended_on", "-pk")[:5]
    )
    unreconciled = selectors.unreconciled_payments(user).order_by("paid_on", "pk")
    return {
        "rent_panel": {
            "todo": todo,
            "unreconciled_count": unreconciled.count(),
            "unreconciled": list(unreconciled[:5]),
            "arrears_count": len(arrears),
            "arrears": arrears[:5],
            "broken": broken,
        }
    }


def participant_detail(*, user, access) -> dict[str, Any]:
    """The participant's arrears of their share, for a reader of their housing information."""
    if not access.can(Category.HOUSING) or not (
        user.has_ancrage_perm("housing.view_tenancies") or user.has_ancrage_perm("housing.view_rent")
    ):
        return {}
    tenancies = Tenancy.objects.filter(participant=access.participant)
    found = selectors.arrears(tenancies, clock.today())
    if not found and not tenancies.exists():
        return {}
    return {"rent_arrears": list(found.values()), "rent_arrears_shown": True}
