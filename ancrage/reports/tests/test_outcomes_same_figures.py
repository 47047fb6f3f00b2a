"""The outcomes report made fast (issue 16) counts exactly as before: on varied histories (births on 29
February, move-ins on the 31st, gaps of exactly the allowed days and one more, deaths before and after a
milestone, missing move-in days, exits and returns on the edges of their windows, linked and merged files,
another consortium, instruments with several follow-ups), every figure, every person behind it, every group
and every cell of every table (small counts hidden) is the old computation's (`outcomes_oracle`), for every
filter and breakdown, in both languages. And the report is kept a few minutes and the page says when."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from ancrage.access.models import ByNameEntry, ByNameStatusChange, Referral
from ancrage.access.tests.factories import make_referral
from ancrage.assessments.models import Administration, InstrumentVersion
from ancrage.assessments.tests.factories import load_shipped_instruments
from ancrage.casework.models import Enrollment, Exit
from ancrage.core import clock
from ancrage.housing.models import Tenancy
from ancrage.housing.tests.support_factories import make_tenancy
from ancrage.people.models import Participant
from ancrage.people.tests.factories import (
    ConsortiumFactory,
    OrganisationFactory,
    ProgramFactory,
    make_participant,
)
from ancrage.reports.outcomes import present
from ancrage.reports.outcomes import selectors as sel
from ancrage.reports.tests.outcomes_oracle import old_outcomes_report
from ancrage.reports.tests.outcomes_world import people

pytestmark = pytest.mark.django_db

# The last day of August (a 31st): six months earlier is the last day of February.
NOW = datetime.datetime(2026, 8, 31, 16, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 8, 31)
D = datetime.date


@pytest.fixture(autouse=True)
def pinned(time_machine):
    time_machine.move_to(NOW, tick=False)


class World:
    def __init__(self, actor, org, org_b, program, program_b):
        self.actor, self.org, self.org_b, self.program, self.program_b = actor, org, org_b, program, program_b
        self.n = 0

    def person(self, org=None, **values):
        self.n += 1
        values.setdefault("legal_first_name", f"Bord{self.n}")
        values.setdefault("legal_last_name", f"Cas{self.n}")
        if values.get("date_of_birth", ...) is None:
            values["dob_quality"] = "not_collected"
        born = values.get("date_of_birth")
        if born is not None and born > clock.today():
            # A birth after the period (an entry error the services refuse), written as an import would.
            values["date_of_birth"] = D(1990, 1, 1)
            participant = make_participant(self.actor, org or self.org, **values)
            Participant.objects.filter(pk=participant.pk).update(date_of_birth=born)
            return participant
        return make_participant(self.actor, org or self.org, **values)

    def tenancy(self, participant, start, *, moved_in=..., ended_on=None, end_reason="", previous=None):
        tenancy = make_tenancy(
            participant,
            self.actor,
            organisation=self.org,
            program=self.program,
            start=start,
            ended_on=ended_on,
            end_reason=end_reason,
            previous=previous,
        )
        if moved_in is not ...:
            Tenancy.objects.filter(pk=tenancy.pk).update(moved_in_on=moved_in)
        return tenancy

    def exit(self, participant, on, destination, program=None):
        enrollment = Enrollment.objects.create(
            participant=participant,
            program=program or self.program,
            enrolled_on=on - datetime.timedelta(days=200),
            status="exited",
            exited_on=on,
        )
        Exit.objects.create(
            enrollment=enrollment,
            participant=participant,
            kind="graduation",
            reason="goals_reached",
            exited_on=on,
            destination=destination,
            recorded_by=self.actor,
        )

    def entry(self, participant, entered, *changes, chronic=False, status="active", listed_via=None):
        entry = ByNameEntry.objects.create(
            participant=participant,
            status=status,
            entered_on=entered,
            status_since=entered,
            reference_worker=self.actor,
            is_chronic=chronic,
            listed_via=listed_via,
        )
        for on, src, dst in changes:
            ByNameStatusChange.objects.create(
                entry=entry, from_status=src, to_status=dst, on=on, reason="test", by=self.actor
            )
        return entry

    def referral(self, participant, on):
        referral = make_referral(self.actor, participant=participant, organisation=self.org)
        Referral.objects.filter(pk=referral.pk).update(referred_at=clock.start_of_day(on))

    def sitting(self, participant, key, day, total, domains):
        version = InstrumentVersion.objects.filter(instrument__key=key).order_by("-created_at").first()
        score = {"total": total}
        if key == "baseline_functioning":
            score["sections"] = {k: {"total": v} for k, v in domains.items()}
        else:
            score["points"] = domains
        Administration.objects.create(
            participant=participant,
            version=version,
            administered_by=self.actor,
            started_at=clock.start_of_day(day),
            completed_at=clock.start_of_day(day),
            status=Administration.Status.COMPLETED,
            score=score,
        )


def _edges(w: World) -> None:
    """People whose histories sit on the edges of the definitions."""
    gap = 30  # RETENTION_GAP_DAYS
    # Born on 29 February; moved in on 31 August: 6 months later is 28 February, the day the lease ended.
    leap = w.person(date_of_birth=D(2000, 2, 29), gender="woman", indigenous_identity="inuit")
    w.tenancy(leap, D(2025, 8, 31), ended_on=D(2026, 2, 28))
    w.entry(leap, D(2025, 3, 1), (D(2025, 3, 1), "", "active"), (D(2025, 8, 31), "active", "housed"))
    # Turns 25 on the last day of the period; moved in on 31 January (milestones on the last day of July
    # and of January); a gap of exactly the allowed days over the 12-month milestone.
    birthday = w.person(date_of_birth=D(2001, 8, 31), gender="man", indigenous_identity="metis")
    first = w.tenancy(birthday, D(2025, 1, 31), ended_on=D(2026, 1, 20), end_reason="eviction")
    w.tenancy(birthday, D(2026, 1, 20) + datetime.timedelta(days=gap), previous=first)
    # One day more: not retained at 12 months.
    longer = w.person(date_of_birth=None, gender="non_binary", indigenous_identity="first_nations")
    first = w.tenancy(longer, D(2025, 1, 31), ended_on=D(2026, 1, 20))
    w.tenancy(longer, D(2026, 1, 20) + datetime.timedelta(days=gap + 1), previous=first)
    # Died before the 12-month milestone (out of the cohort), and after it (in the cohort).
    died = w.person(date_of_birth=D(1950, 3, 1), gender="refused")
    w.tenancy(died, D(2025, 2, 1), ended_on=D(2026, 1, 15), end_reason="deceased")
    died_later = w.person(date_of_birth=D(1940, 12, 31), gender="woman", indigenous_identity="refused")
    w.tenancy(died_later, D(2025, 2, 1), ended_on=D(2026, 3, 15), end_reason="deceased")
    # No move-in day recorded (the lease start counts), and a move-in recorded after the lease ended.
    unrecorded = w.person(date_of_birth=D(2030, 1, 1))  # born after the period: age not said
    w.tenancy(unrecorded, D(2025, 6, 30), moved_in=None)
    w.referral(unrecorded, D(2025, 1, 10))
    w.entry(unrecorded, D(2025, 4, 1), (D(2025, 4, 1), "", "active"))
    odd = w.person(date_of_birth=D(1980, 6, 15))
    w.tenancy(odd, D(2024, 5, 1), moved_in=D(2024, 9, 1), ended_on=D(2024, 7, 1))
    w.tenancy(odd, D(2024, 8, 15), ended_on=D(2025, 9, 1))
    # A referral after the move-in (no days counted), and one before the entry on the list.
    w.referral(odd, D(2025, 1, 2))
    w.entry(odd, D(2024, 1, 2), (D(2024, 1, 2), "", "active"), (D(2024, 9, 1), "active", "housed"))
    # Exits on the period's edges, to each kind of destination, and returns on the edge of their window.
    back = w.person(date_of_birth=D(1990, 1, 31), gender="woman", indigenous_identity="not_indigenous")
    w.tenancy(back, D(2024, 11, 30))
    w.exit(back, D(2025, 2, 28), "own_housing")
    w.exit(back, D(2025, 8, 28), "shelter")  # exactly 6 months after: a return within 6 months
    late = w.person(date_of_birth=D(1991, 5, 5), gender="man", indigenous_identity="not_indigenous")
    w.exit(late, D(2024, 8, 31), "subsidised")
    w.exit(late, D(2025, 3, 1), "street")  # one day after 6 months: a return within 12 months only
    back_on_list = w.person(date_of_birth=D(1985, 10, 10))
    w.exit(back_on_list, D(2024, 3, 31), "own_housing")
    w.entry(
        back_on_list,
        D(2023, 6, 1),
        (D(2023, 6, 1), "", "active"),
        (D(2023, 12, 1), "active", "housed"),
        (D(2024, 9, 30), "housed", "active"),
        chronic=True,
    )
    for day, destination in (
        (D(2025, 8, 31), "family"),
        (D(2025, 9, 1), "other_program"),
        (D(2026, 8, 31), "institution"),
        (D(2026, 2, 28), "detention"),
        (D(2026, 3, 1), "deceased"),
        (D(2026, 8, 30), "unknown"),
    ):
        w.exit(w.person(date_of_birth=D(1970, 1, 1)), day, destination)
    # A linked file (counted on its person's line) and a merged person (counted nowhere).
    linked_to = w.entry(w.person(), D(2025, 1, 5), (D(2025, 1, 5), "", "active"), chronic=True)
    w.entry(w.person(), D(2025, 2, 5), (D(2025, 2, 5), "", "active"), listed_via=linked_to)
    merged = w.person()
    w.tenancy(merged, D(2024, 1, 1))
    w.exit(merged, D(2025, 1, 1), "shelter")
    Participant.objects.filter(pk=merged.pk).update(merged_into=leap)
    # Another organisation of the consortium, its own program; and someone of another consortium.
    theirs = w.person(org=w.org_b, date_of_birth=D(1975, 2, 28), gender="woman")
    w.tenancy(theirs, D(2025, 2, 28))
    w.exit(theirs, D(2025, 12, 31), "shelter", program=w.program_b)
    elsewhere = w.person(org=OrganisationFactory(consortium=ConsortiumFactory(name="Ailleurs")))
    w.tenancy(elsewhere, D(2024, 1, 1))
    w.exit(elsewhere, D(2025, 1, 1), "own_housing")
    # Instruments: a baseline, follow-ups on the same day (in the order they were recorded), one after the
    # period, the lower-is-better scale.
    for n, person in enumerate((leap, birthday, longer, back, late)):
        w.sitting(person, "progress_scale", D(2025, 1, 10), 40, {"home": 4, "money": 5})
        w.sitting(person, "progress_scale", D(2025, 7, 10), 40 + n * 3 - 4, {"home": 4 + n, "money": 3})
        w.sitting(person, "progress_scale", D(2025, 7, 10), 41, {"home": 6})
        w.sitting(person, "progress_scale", D(2026, 9, 10), 60, {"home": 9, "money": 9})
        w.sitting(person, "baseline_functioning", D(2025, 2, 1), 8, {"mood": 3, "behaviour": 5})
        w.sitting(person, "baseline_functioning", D(2026, 2, 1), 8 - n, {"mood": 3 - n % 2, "behaviour": 4})
        if n % 2:
            w.sitting(person, "baseline_functioning", D(2026, 5, 1), 8, {"mood": 2, "behaviour": 6})


@pytest.fixture
def world(case_manager_a, org_a, org_b):
    load_shipped_instruments()
    program = ProgramFactory(organisation=org_a)
    program_b = ProgramFactory(organisation=org_b)
    people(case_manager_a, org_a, program, 14, today=TODAY)
    w = World(case_manager_a, org_a, org_b, program, program_b)
    _edges(w)
    return w


def _plain(value):
    """A report as plain data (when it was computed left out)."""
    if dataclasses.is_dataclass(value):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "computed_at"
        }
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _cells(tables):
    return [
        (
            table.key,
            str(table.title),
            [str(h) for h in table.header],
            [
                [str(label)] + [(c.value, c.hidden, c.covering, c.figure, c.group, c.text) for c in cells]
                for label, *cells in table.rows
            ],
        )
        for table in tables
    ]


def _filter_sets(w: World) -> list[sel.Filters]:
    year = {"start": TODAY - relativedelta(years=1) + datetime.timedelta(days=1), "end": TODAY}
    return [
        sel.Filters(**year),
        sel.Filters(**year, breakdown="gender"),
        sel.Filters(**year, breakdown="age"),
        sel.Filters(start=D(2024, 2, 29), end=D(2026, 2, 28), breakdown="age"),
        # Born on 29 February 2000: 25 on 28 February 2025 (a band's first day).
        sel.Filters(start=D(2024, 3, 1), end=D(2025, 2, 28), breakdown="age"),
        sel.Filters(start=D(2023, 1, 1), end=D(2025, 8, 31)),
        sel.Filters(start=D(2025, 3, 1), end=D(2025, 3, 1)),
        sel.Filters(**year, organisation_id=w.org.pk),
        sel.Filters(**year, organisation_id=w.org_b.pk, breakdown="gender"),
        sel.Filters(**year, program_id=w.program.pk),
        sel.Filters(**year, program_id=w.program_b.pk),
        sel.Filters(**year, indigenous="not_said", breakdown="age"),
        sel.Filters(**year, gender="woman"),
        sel.Filters(**year, age="25_39", breakdown="gender"),
        sel.Filters(**year, indigenous="metis", gender="man", age="under_25"),
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_figure_and_cell_is_the_old_computations(world, program_manager_a, language):
    consortia = sel.consortium_ids(program_manager_a)
    compared = 0
    with translation.override(language):
        for filters in _filter_sets(world):
            old = old_outcomes_report(program_manager_a, filters)
            new = sel.compute_outcomes_report(consortia, filters)
            assert _plain(new) == _plain(old), filters
            assert _plain(sel.outcomes_report(program_manager_a, filters)) == _plain(old)
            for threshold in (1, 3, 5):
                assert _cells(present.tables(new, threshold)) == _cells(present.tables(old, threshold))
            compared += new.population
    # The histories reach every part of the report: not a comparison of empty figures.
    full = old_outcomes_report(program_manager_a, _filter_sets(world)[0])
    assert compared > 100
    assert all(full.total.people[f] for f in ("cohort_12", "retained_12", "exit_homelessness", "returned_12"))
    assert set(full.total.people["cohort_12"]) != set(full.total.people["retained_12"])
    assert any(any(figures.values()) for figures in full.months.values())
    assert {r.key for r in full.instruments} == {"progress_scale", "baseline_functioning"}
    assert all(len(r.follow_ups) >= 2 for r in full.instruments)
    assert any(present.Disclosure(5).count(row.count("cohort_12")).hidden for _key, row in full.groups), (
        "small counts hidden"
    )


def test_the_report_is_kept_a_few_minutes_and_the_page_says_when(
    client_for, program_manager_a, case_manager_a, org_a, settings, time_machine
):
    """At 100,000 people the report takes a second or two: it is computed once for a few minutes (the
    same figures for every reader of the consortium, period, filters and language) and the page says
    when it was computed, in both languages."""
    cache.clear()
    settings.ANCRAGE = settings.ANCRAGE | {"SMALL_COUNT_THRESHOLD": 1, "REPORT_KEEP_SECONDS": 300}
    program = ProgramFactory(organisation=org_a)
    people(case_manager_a, org_a, program, 1, today=TODAY)
    c = client_for(program_manager_a)
    url = reverse("reports:outcomes") + "?start=2020-01-01"
    page = c.get(url)
    retention = next(t for t in page.context["tables"] if t.key == "retention")
    assert retention.rows[1][2].value == 1
    computed = page.context["report"].computed_at
    assert computed == clock.now()
    assert "Chiffres calculés à" in page.content.decode()
    people(case_manager_a, org_a, program, 1, start=1, today=TODAY)
    time_machine.shift(datetime.timedelta(seconds=299))
    page = c.get(url)
    assert next(t for t in page.context["tables"] if t.key == "retention").rows[1][2].value == 1
    assert page.context["report"].computed_at == computed
    # The people behind a figure are those of the figure shown.
    behind = c.get(reverse("reports:outcomes_people"), {"start": "2020-01-01", "figure": "cohort_12"})
    assert behind.context["counted"] == 1
    # Another period, another language: another report, said in that language.
    assert c.get(reverse("reports:outcomes") + "?start=2020-01-02").context["report"].computed_at > computed
    c.post(reverse("set_language"), {"language": "en"})
    english = c.get(url)
    assert english.context["report"].computed_at > computed
    assert "Figures computed at" in english.content.decode()
    c.post(reverse("set_language"), {"language": "fr"})
    time_machine.shift(datetime.timedelta(seconds=2))
    page = c.get(url)
    assert next(t for t in page.context["tables"] if t.key == "retention").rows[1][2].value == 2
    assert page.context["report"].computed_at > computed
    cache.clear()
