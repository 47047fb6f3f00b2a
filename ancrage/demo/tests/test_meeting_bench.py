"""Case management at scale: seed_scale writes teams, enrollments, contacts, risk plans and incidents, and the
bench times the caseload and the team meeting with the same number of queries on more data."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import F

from ancrage.accounts.models import User
from ancrage.casework.models import Contact, Enrollment, RecoveryPlan
from ancrage.core import clock
from ancrage.demo.management.commands.bench import format_table, run_casework_measurements
from ancrage.demo.scale import SCALE_MISSIONS
from ancrage.demo.scale_casework import team_lead_username

pytestmark = pytest.mark.django_db


def test_seed_scale_writes_casework():
    out = io.StringIO()
    call_command("seed_scale", participants=240, contacts_per_participant=4, stdout=out)
    assert "enrollments" in out.getvalue()
    lead = User.objects.get(username=team_lead_username(SCALE_MISSIONS[0]))
    team = lead.active_memberships[0].team
    assert team is not None
    enrollments = Enrollment.objects.filter(team=team)
    assert enrollments.exists()
    assert RecoveryPlan.objects.filter(enrollment__in=enrollments).count() == enrollments.count()
    assert Contact.objects.count() > 240
    # A contact counted under an enrollment never predates it.
    assert Contact.objects.filter(enrollment__isnull=False).exists()
    assert not Contact.objects.filter(occurred_at__date__lt=F("enrollment__enrolled_on")).exists()


def test_casework_measurements_constant_queries():
    call_command("seed_scale", participants=240, contacts_per_participant=4, stdout=io.StringIO())
    _risk_plan_for_everyone()
    _someone_not_seen()
    small = run_casework_measurements(requests=2, warmup=1)
    assert {r.key for r in small} == {"caseload", "home", "api_caseload", "meeting", "meeting_flag"}
    for r in small:
        assert r.statuses == {200}, (r.label, r.statuses)
        assert 0 < r.median_ms <= r.p95_ms
    assert "my caseload" in format_table(small)
    call_command("seed_scale", participants=480, contacts_per_participant=4, stdout=io.StringIO())
    _risk_plan_for_everyone()
    _someone_not_seen()
    large = run_casework_measurements(requests=2, warmup=1)
    before = {r.key: (r.queries_min, r.queries_max) for r in small}
    after = {r.key: (r.queries_min, r.queries_max) for r in large}
    assert before == after
    assert large[0].label != small[0].label  # the caseload grew


def _someone_not_seen() -> None:
    """The filtered meeting ("not seen this week") shows somebody at both sizes, so its read is audited at both
    (the count is constant per kind of content, not per row): one active person of each team of the team
    lead's organisation has had no contact for eight days."""
    import datetime

    lead = User.objects.get(username=team_lead_username(SCALE_MISSIONS[0]))
    for team_id in set(
        Enrollment.objects.filter(status="active", program__organisation_id__in=lead.organisation_ids)
        .values_list("team_id", flat=True)
        .distinct()
    ):
        enrollment = Enrollment.objects.filter(status="active", team_id=team_id).order_by("pk").first()
        assert enrollment is not None
        Contact.objects.filter(
            participant_id=enrollment.participant_id,
            occurred_at__gte=clock.now() - datetime.timedelta(days=8),
        ).delete()


def _risk_plan_for_everyone() -> None:
    """Every list then shows risk plans, so the one statement that audits those reads runs at both sizes (a
    list with no risk shown writes none: the count is constant per kind of content, not per row)."""

    from ancrage.casework.models import Enrollment, RiskAssessment

    for e in Enrollment.objects.filter(status="active").exclude(participant__risk_assessments__isnull=False):
        RiskAssessment.objects.create(
            participant_id=e.participant_id,
            organisation_id=e.program.organisation_id,
            assessed_on=clock.today(),
            level=1,
            rating="low",
            description="bench",
            recorded_by_id=e.primary_worker_id,
        )
