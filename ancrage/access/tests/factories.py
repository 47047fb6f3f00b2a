"""Factories and helpers for coordinated-access tests."""

from __future__ import annotations

import datetime

from ancrage.access import services
from ancrage.access.models import ByNameEntry, Referral
from ancrage.core import clock
from ancrage.core.permissions import Category
from ancrage.people.tests.factories import make_participant, share


class Span:
    """A living-situation period without the database, for the chronic rule."""

    def __init__(self, kind: str, starts_on: datetime.date, ends_on: datetime.date | None = None):
        self.kind, self.starts_on, self.ends_on = kind, starts_on, ends_on


def homeless(starts_on: datetime.date, ends_on: datetime.date | None = None, *, sheltered=True) -> Span:
    return Span("homeless_sheltered" if sheltered else "homeless_unsheltered", starts_on, ends_on)


def make_referral(actor, **values) -> Referral:
    defaults = {
        "person_name": "Marc",
        "source_kind": Referral.SourceKind.SHELTER,
        "source_name": "Refuge du Vieux-Port",
        "reason": "Dort au refuge depuis trois mois",
    }
    defaults.update(values)
    return services.referral_create(actor=actor, **defaults)


def consent_for_access(actor, participant, organisations, *, categories=None, **kwargs):
    cats = categories or [Category.IDENTITY, Category.COORDINATED_ACCESS]
    return share(actor, participant, organisations, cats, **kwargs)


def make_entry(actor, organisation, *, entered_on=None, worker=None, **participant_values) -> ByNameEntry:
    """A person on the list since `entered_on`: their file dates from that day (the list's date may not come
    before the first record of the person), and an earlier date carries its reason."""
    participant = make_participant(actor, organisation, **participant_values)
    entered_on = entered_on or clock.today()
    if entered_on < clock.today():
        type(participant).objects.filter(pk=participant.pk).update(created_at=clock.start_of_day(entered_on))
        participant.refresh_from_db()
    return services.by_name_entry_add(
        actor=actor,
        participant=participant,
        reference_worker=worker or actor,
        entered_on=entered_on,
        backdate_reason="Inscrite sur la liste papier de l'organisme" if entered_on < clock.today() else "",
    )


# A small priority policy for tests: acuity (out of 25), chronic status, age 50 or more; earliest entry first.
TEST_POLICY = """\
title: {fr: Priorités de test, en: Test priorities}
factors:
  - factor: acuity_score
    weight: 40
    max: 25
  - factor: chronic
    weight: 20
  - factor: age_at_least
    years: 50
    weight: 5
tie_breakers: [entered_on]
"""

# Days homeless in three years and chronic status, half and half: the homelessness history decides the rank.
DAYS_HOMELESS_POLICY = """\
title: {fr: Priorités locales, en: Local priorities}
factors:
  - factor: days_homeless_past_three_years
    weight: 50
  - factor: chronic
    weight: 50
tie_breakers: [entered_on]
"""
