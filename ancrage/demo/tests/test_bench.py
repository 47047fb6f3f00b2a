"""seed_scale writes realistic rows in bulk; the bench's measuring phase runs in-process on any database."""

import io

import pytest
from django.core.management import call_command

from ancrage.access.models import ByNameEntry, Match
from ancrage.accounts.models import User
from ancrage.demo.management.commands.bench import (
    format_table,
    format_timings,
    run_access_measurements,
    run_measurements,
)
from ancrage.housing.models import Unit
from ancrage.organisations.models import Program
from ancrage.people.models import Alias, Consent, Participant
from ancrage.people.selectors import participant_search, participants_visible_to

pytestmark = pytest.mark.django_db


def test_seed_scale_writes_searchable_participants_with_consents():
    out = io.StringIO()
    call_command("seed_scale", participants=300, batch=120, stdout=out)
    assert "300 participants" in out.getvalue()
    participants = Participant.objects.all()
    assert participants.count() == 300
    assert participants.filter(community_id__startswith="SCL-").count() == 300
    assert not participants.filter(search_text="").exists()
    assert 15 <= Alias.objects.count() <= 80
    assert 40 <= Consent.objects.count() <= 140
    assert all(c.category_codes for c in Consent.objects.prefetch_related("category_rows")[:20])

    alias = Alias.objects.select_related("participant").first()
    home = User.objects.get(username=f"scale.gc.{alias.participant.organisation.short_name.lower()}.1")
    assert alias.participant in participant_search(home, alias.name)

    partner = User.objects.get(username="scale.partenaire.ps1")
    assert 0 < participants_visible_to(partner).count() < 300

    call_command("seed_scale", participants=50, stdout=io.StringIO())
    assert Participant.objects.count() == 350
    assert Participant.objects.filter(community_id="SCL-0000349").exists()


def test_measurements_report_timings_and_constant_query_counts():
    call_command("seed_scale", participants=300, stdout=io.StringIO())
    small = run_measurements(requests=3, warmup=2)
    assert {r.key for r in small} >= {"list", "search_common", "search_none", "detail", "api_list"}
    assert {r.who for r in small} == {"case manager", "partner rep"}
    for r in small:
        assert r.statuses == {200}, (r.label, r.statuses)
        assert 0 < r.median_ms <= r.p95_ms
        assert r.queries_min > 0
    table = format_table(small)
    assert "participant list, page 1" in table
    assert "median ms" in table

    call_command("seed_scale", participants=300, stdout=io.StringIO())
    large = run_measurements(requests=3, warmup=2)
    # The same pages on twice the data run the same number of queries (no per-row queries).
    compared = 0
    for before in small:
        after = next(r for r in large if (r.key, r.who) == (before.key, before.who))
        if after.urls == before.urls:
            assert (after.queries_min, after.queries_max) == (before.queries_min, before.queries_max), (
                before.label
            )
            compared += 1
    assert compared >= 8


def test_access_measurements_rank_list_and_match_at_small_scale():
    call_command("seed_scale", participants=240, stdout=io.StringIO())
    assert ByNameEntry.objects.filter(status="active").count() == 240
    assert Program.objects.exclude(eligibility=[]).count() >= 8
    assert Unit.objects.exists()
    results, timings = run_access_measurements(list_people=150, openings=20, requests=3, warmup=1)
    (listing,) = results
    assert listing.statuses == {200}, listing.label
    assert 0 < listing.median_ms <= listing.p95_ms
    assert listing.queries_min > 0
    assert "150 active" in listing.label
    by_key = {t.key: t for t in timings}
    assert set(by_key) == {"ranks", "matching_plan", "matching_run"}
    assert by_key["ranks"].detail == "240 ranked"
    assert ByNameEntry.objects.filter(status="active").count() == 150
    assert not ByNameEntry.objects.filter(status="active", priority_rank__isnull=True).exists()
    proposals = Match.objects.filter(status="proposed").count()
    assert 0 < proposals <= 20
    assert by_key["matching_run"].detail == f"{proposals} proposals"
    assert by_key["matching_plan"].detail == f"{proposals} proposals"
    table = format_timings(timings)
    assert "recompute every rank (240 active)" in table
    assert "seconds" in table


def test_housing_measurements_on_the_scale_book():
    from ancrage.demo.management.commands.bench import run_housing_measurements
    from ancrage.housing.models import Building, Landlord

    call_command("seed_scale", participants=300, stdout=io.StringIO())
    assert Landlord.objects.count() == 500
    assert Building.objects.count() == 1500
    assert Unit.objects.count() >= 1000  # the book's 1,000, and the units of the scale tenancies
    assert set(Unit.objects.values_list("status", flat=True)) == set(Unit.Status.values)
    results = run_housing_measurements(requests=3, warmup=1)
    assert {r.key for r in results} == {
        "availability",
        "availability_filtered",
        "api_availability",
        "landlords_due",
    }
    for r in results:
        assert r.statuses == {200}, r.label
        assert r.queries_min == r.queries_max, r.label
    assert "availability" in format_table(results)


def test_conference_measurements_at_small_scale():
    from ancrage.demo.management.commands.bench import run_conference_measurements

    call_command("seed_scale", participants=120, stdout=io.StringIO())
    results, timings = run_conference_measurements(requests=2, warmup=1)
    assert {r.key for r in results} == {"conf_meeting", "conf_meeting_partner", "conf_screen", "conf_api"}
    for r in results:
        assert r.statuses == {200}, (r.label, r.statuses)
        assert r.queries_min == r.queries_max, r.label
    by_key = {t.key: t for t in timings}
    assert set(by_key) == {"agenda_build", "agenda_email"}
    assert by_key["agenda_email"].detail.endswith(" sent")
