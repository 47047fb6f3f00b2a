"""seed_demo builds a consortium that exercises every screen: consents in every state, partners, duplicates."""

import datetime
import io

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from ancrage.access.models import (
    MATCH_IN_PROGRESS,
    ByNameEntry,
    ByNameStatusChange,
    LivingSituationPeriod,
    Match,
    MatchStatus,
    PriorityPolicy,
    Referral,
)
from ancrage.access.selectors import monthly_flow
from ancrage.accounts.models import Membership, User
from ancrage.assessments.models import Administration
from ancrage.core.demo import DUPLICATE_PAIRS, tiny_pdf
from ancrage.core.demo_accounts import ACCOUNTS
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.housing.models import Unit
from ancrage.organisations.models import Organisation, Program
from ancrage.people.duplicates import Probe, find_matches
from ancrage.people.models import Consent, Document, Participant
from ancrage.people.selectors import categories_for, participants_visible_to


def test_tiny_pdf_is_a_pdf():
    import filetype

    data = tiny_pdf("Autorisation signée (démo)")
    assert data.startswith(b"%PDF-1.4\n")
    assert data.rstrip().endswith(b"%%EOF")
    assert filetype.guess(data).mime == "application/pdf"
    # The xref offset points at the xref table.
    startxref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[startxref:].startswith(b"xref")


@pytest.mark.django_db
def test_seed_demo_builds_the_consortium():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo consortium created" in out.getvalue()

    missions = Organisation.objects.filter(kind=Organisation.Kind.MISSION)
    assert missions.count() == 4
    assert Organisation.objects.count() == 8
    assert Membership.objects.filter(role=Role.CASE_MANAGER).count() >= 16
    assert User.objects.count() == len(ACCOUNTS)
    assert set(Program.objects.values_list("kind", flat=True)) == set(Program.Kind.values)
    assert User.objects.get(username="acces").check_password("ancrage-demo-2026")
    assert User.objects.filter(language="en").exists()

    participants = Participant.objects.all()
    assert participants.count() >= 250
    assert set(participants.values_list("organisation__short_name", flat=True)) == {
        "MHS",
        "RDP",
        "MVE",
        "CAA",
    }
    assert set(participants.values_list("dob_quality", flat=True)) == {
        "exact",
        "approximate",
        "doesnt_know",
        "refused",
        "not_collected",
    }
    men = participants.filter(gender="man").count() / participants.count()
    assert 0.5 < men < 0.8
    assert participants.filter(indigenous_identity__in=["first_nations", "inuit", "metis"]).exists()

    statuses = [c.status() for c in Consent.objects.all()]
    for status in ("current", "expiring", "expired", "revoked"):
        assert status in statuses, status
    assert 8 <= statuses.count("expiring") <= 25
    assert 12 <= statuses.count("expired") <= 30
    assert statuses.count("revoked") == 8
    assert Consent.objects.filter(method="verbal").exclude(witness_name="").exists()
    assert not Consent.objects.filter(method="verbal", witness_name="").exists()

    documents = Document.objects.all()
    assert documents.filter(kind="release", consent__isnull=False).exists()
    assert documents.filter(kind="service_agreement").exists()
    with documents.first().file.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"

    total = participants.count()
    for username in ("partenaire.sante", "partenaire.emploi"):
        partner = User.objects.get(username=username)
        visible = participants_visible_to(partner)
        assert 0 < visible.count() < total, username
    sante = User.objects.get(username="partenaire.sante")
    emploi = User.objects.get(username="partenaire.emploi")
    p = participants_visible_to(sante).first()
    assert "health" in categories_for(sante, p)
    q = participants_visible_to(emploi).first()
    assert "health" not in categories_for(emploi, q)

    acces = User.objects.get(username="acces")
    pool = participants_visible_to(acces)
    for first, second, dob, _gender, _origin in DUPLICATE_PAIRS:
        a = participants.get(legal_first_name=first[0], legal_last_name=first[1], date_of_birth=dob)
        b = participants.get(legal_first_name=second[0], legal_last_name=second[1], date_of_birth=dob)
        assert a.organisation_id != b.organisation_id
        matches = find_matches(Probe.from_participant(b), pool, exclude_pk=b.pk)
        assert a.pk in [m.participant.pk for m in matches], (first, second)

    assert AuditEntry.objects.filter(action="people.participant.created").count() == total
    reads = AuditEntry.objects.filter(is_read=True)
    assert reads.count() > total
    assert reads.filter(actor__username="partenaire.sante").exists()
    first_created = participants.order_by("created_at").first().created_at
    last_created = participants.order_by("created_at").last().created_at
    assert (last_created - first_created).days > 500
    # Reads are spread over time, not all stamped at the moment of seeding.
    assert reads.dates("at", "month").count() > 12

    # Coordinated access: the by-name list, its history, referrals and assessments.
    entries = ByNameEntry.objects.all()
    assert total * 0.7 < entries.count() < total
    entry_statuses = set(entries.values_list("status", flat=True))
    assert {"active", "housed", "inactive", "moved_away"} <= entry_statuses
    assert not entries.filter(status="active", reference_worker__isnull=True).exists()
    assert entries.filter(reference_worker__username="acces").exists()
    assert entries.exclude(reference_worker__username="acces").exists()
    assert entries.count() * 0.2 < entries.filter(is_chronic=True).count() < entries.count()
    assert entries.filter(is_chronic=False).exists()
    kinds = set(LivingSituationPeriod.objects.values_list("kind", flat=True))
    assert {"homeless_sheltered", "homeless_unsheltered", "housed", "institution"} <= kinds
    changes = ByNameStatusChange.objects.all()
    assert changes.filter(from_status="housed", to_status="active").exists()
    assert changes.filter(from_status="inactive", to_status="active").exists()
    assert changes.dates("on", "month").count() > 18
    today = timezone.localdate()
    busy_months = 0
    for back in range(24):
        month = today - relativedelta(months=back)
        flow = monthly_flow(acces, month.year, month.month)
        if flow.inflow and flow.outflow:
            busy_months += 1
    assert busy_months >= 12
    referral_statuses = set(Referral.objects.values_list("status", flat=True))
    assert referral_statuses == set(Referral.Status.values)
    assert 30 <= Referral.objects.count() <= 50
    assert len(set(Referral.objects.values_list("source_kind", flat=True))) >= 5
    done = Referral.objects.filter(status="intake_done")
    assert all(r.intake.done_at is not None for r in done)
    screener = Administration.objects.filter(version__instrument__key="acuity_screener")
    completed = screener.filter(status="completed")
    assert completed.count() >= 100
    assert len({a.score["band"] for a in completed}) > 1
    assert {"in_progress", "declined", "postponed"} <= set(screener.values_list("status", flat=True))
    assert completed.dates("started_at", "month").count() > 12
    keys = set(Administration.objects.values_list("version__instrument__key", flat=True))
    assert keys == {"acuity_screener", "baseline_functioning", "progress_scale"}

    # Prioritisation and matching: a policy history, ranks for everyone active, units and every match state.
    policies = PriorityPolicy.objects.order_by("version")
    assert policies.count() >= 2
    assert policies.filter(status="active").count() == 1
    assert policies.filter(status="retired").exists()
    assert policies.filter(status="draft").exists()
    active_policy = policies.get(status="active")
    assert active_policy.activation_reason
    assert set(active_policy.title) == {"fr", "en"}
    retired = policies.get(status="retired")
    assert retired.activated_at < retired.retired_at <= active_policy.activated_at
    active_entries = ByNameEntry.objects.filter(status="active")
    assert active_entries.exists()
    assert not active_entries.filter(priority_rank__isnull=True).exists()
    assert active_entries.filter(priority_policy=active_policy).count() == active_entries.count()
    assert active_entries.exclude(preferred_neighbourhoods=[]).exists()
    assert ByNameEntry.objects.exclude(income_sources=[]).count() > 100
    assert Program.objects.filter(kind__in=Program.HOUSING_FIRST_KINDS).exclude(eligibility=[]).count() == 5
    assert Unit.objects.count() >= 30
    assert set(Match.objects.values_list("status", flat=True)) == set(MatchStatus.values)
    assert not Match.objects.filter(
        status__in=["person_declined", "provider_declined", "withdrawn"], decline_reason=""
    ).exists()
    stale = timezone.now() - datetime.timedelta(days=5)
    assert Match.objects.filter(status__in=MATCH_IN_PROGRESS, last_step_at__lt=stale).exists()
    transferred = Match.objects.filter(status="transferred")
    assert transferred.filter(opening__unit__isnull=False, entry__status="housed").exists()
    assert all(set(m.shared_categories) == {"identity", "coordinated_access"} for m in transferred)
    assert transferred.dates("transferred_at", "month").count() > 6
    assert ByNameEntry.objects.filter(needs_conference=True).count() >= 2

    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "already exist" in out.getvalue()
    assert Participant.objects.count() == total
