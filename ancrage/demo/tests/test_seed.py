"""seed_demo builds a consortium that exercises every screen: consents in every state, partners, duplicates."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.management import CommandError, call_command
from django.db.models import Count

from ancrage.access.chronic import chronic_from_history
from ancrage.access.models import (
    MATCH_IN_PROGRESS,
    ByNameEntry,
    ByNameStatusChange,
    LivingSituationPeriod,
    Match,
    MatchStatus,
    MatchStep,
    PriorityPolicy,
    Referral,
)
from ancrage.access.selectors import monthly_flow
from ancrage.accounts.models import Membership, User
from ancrage.assessments.models import Administration
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.demo.accounts import ACCOUNTS
from ancrage.demo.names import DUPLICATE_PAIRS, tiny_pdf
from ancrage.housing.models import Area, Unit
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


# The moment the build used to fail (a visit of 26 November checked against the risk plan of 7 December).
FAILING_MOMENT = datetime.datetime(2026, 12, 7, 0, 20, tzinfo=zoneinfo.ZoneInfo("America/Montreal"))


@pytest.mark.django_db
def test_seed_demo_builds_the_consortium(client):
    # The whole test runs at that moment: the demo's "today" and the assertions' agree, on any machine.
    with time_machine.travel(FAILING_MOMENT, tick=False):
        check_the_consortium(client)


@pytest.mark.django_db
def test_a_failed_build_leaves_the_database_as_it_was(monkeypatch):
    from ancrage.demo.builder import DemoBuilder

    # The build fails on its third file, once the consortium, its accounts and two files are written (failing
    # later would only make the test slower: the whole build is in one transaction).
    create_file = DemoBuilder.create_file
    created = []

    def refuse_the_third(self, *args, **kwargs):
        if len(created) == 2:
            assert Organisation.objects.exists()
            assert Participant.objects.count() == 2
            raise ValueError("a rule the demo broke")
        created.append(create_file(self, *args, **kwargs))
        return created[-1]

    monkeypatch.setattr(DemoBuilder, "create_file", refuse_the_third)
    with pytest.raises(CommandError) as failure:
        call_command("seed_demo", "--seed", "5", "--as-of", "2026-07-01T10:00", stdout=io.StringIO())
    message = str(failure.value)
    assert "seed 5" in message
    assert "2026-07-01 10:00" in message
    assert "the database is unchanged" in message
    assert "--as-of" in message
    assert "a rule the demo broke" in message
    assert not Organisation.objects.exists()
    assert not Participant.objects.exists()
    assert not AuditEntry.objects.exists()


def check_the_consortium(client):
    out = io.StringIO()
    call_command("seed_demo", "--seed", "2026", stdout=out)
    assert "Demo consortium created" in out.getvalue()
    assert "as of 2026-12-07 00:20" in out.getvalue()

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
    # The hub holds the file it opened until an organisation takes the person on (A1).
    assert set(participants.values_list("organisation__short_name", flat=True)) == {
        "MHS",
        "RDP",
        "MVE",
        "CAA",
        "ACM",
    }
    assert Referral.objects.filter(referred_by__username="partenaire.sante").count() == 3
    hub_file = participants.get(organisation__short_name="ACM")
    assert hub_file.by_name_entry.status == "active"
    assert hub_file.by_name_entry.priority_rank is not None
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
    # Homelessness histories (issue 11): each person on the list told theirs at entry; shelters and
    # outreach workers are the source of the nights they saw; the chronic status is the rule's, with evidence.
    assert not entries.exclude(participant__homelessness_histories__isnull=False).exists()
    assert LivingSituationPeriod.objects.filter(situation="shelter", source="shelter").exists()
    assert LivingSituationPeriod.objects.filter(situation="street", source="worker").exists()
    for entry in entries.filter(is_chronic=True)[:20]:
        assert entry.chronic_evidence
        verdict = chronic_from_history(
            entry.participant.living_situations.all(),
            entry.participant.homelessness_histories.all(),
            on=entry.chronic_computed_on,
        )
        assert verdict.is_chronic
        assert verdict.days_past_three_years == entry.homeless_days_past_three_years
    changes = ByNameStatusChange.objects.all()
    assert changes.filter(from_status="housed", to_status="active").exists()
    assert changes.filter(from_status="inactive", to_status="active").exists()
    assert changes.dates("on", "month").count() > 18
    today = clock.today()
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
    # Choices and units name areas of the list: some people chose a whole borough, which covers its
    # neighbourhoods; a few units are on hold with the reason, out of matching; contacts carry a note.
    assert active_entries.exclude(preferred_areas=[]).exists()
    assert not ByNameEntry.objects.exclude(preferred_neighbourhoods=[]).exists()
    chosen = {i for ids in ByNameEntry.objects.values_list("preferred_areas", flat=True) for i in ids}
    assert Area.objects.filter(pk__in=chosen, kind=Area.Kind.BOROUGH).exists()
    assert Area.objects.filter(pk__in=chosen, kind=Area.Kind.NEIGHBOURHOOD).exists()
    assert not Unit.objects.filter(area__isnull=True).exists()
    held = Unit.objects.filter(status=Unit.Status.ON_HOLD)
    assert held.exists()
    assert not held.filter(hold_reason="").exists()
    assert not held.filter(openings__status__in=["open", "matching"]).exists()
    assert MatchStep.objects.filter(to_status="contacted").exclude(note="").exists()
    assert ByNameEntry.objects.exclude(income_sources=[]).count() > 100
    assert Program.objects.filter(kind__in=Program.HOUSING_FIRST_KINDS).exclude(eligibility=[]).count() == 5
    assert Unit.objects.count() >= 30
    # The landlords' book (C1, C2): 100+ landlords, units in buildings in several states and conditions,
    # two years of contacts with some landlords due for a check-in now, complaints open and resolved, a notice.
    from ancrage.housing.book.selectors import checkins_due
    from ancrage.housing.models import Complaint, Landlord, LandlordContact

    assert Landlord.objects.count() >= 100
    assert Landlord.objects.filter(kind="public").exists()
    assert Unit.objects.filter(building__isnull=False).count() > 60
    assert {"available", "on_hold", "off_market"} <= set(Unit.objects.values_list("status", flat=True))
    assert len(set(Unit.objects.values_list("condition", flat=True))) >= 3
    assert LandlordContact.objects.count() > 500
    assert 0 < checkins_due(Landlord.objects.all()).count() < Landlord.objects.count()
    assert Complaint.objects.filter(resolved_at__isnull=True).exists()
    assert Complaint.objects.filter(resolved_at__isnull=False).exclude(resolution="").exists()
    assert Complaint.objects.filter(kind="notice").count() == 1
    assert set(Match.objects.values_list("status", flat=True)) == set(MatchStatus.values)
    assert not Match.objects.filter(
        status__in=["person_declined", "provider_declined", "withdrawn"], decline_reason=""
    ).exists()
    stale = clock.now() - datetime.timedelta(days=5)
    assert Match.objects.filter(status__in=MATCH_IN_PROGRESS, last_step_at__lt=stale).exists()
    transferred = Match.objects.filter(status="transferred")
    assert transferred.filter(opening__unit__isnull=False, entry__status="housed").exists()
    assert all(set(m.shared_categories) == {"identity", "coordinated_access"} for m in transferred)
    assert transferred.dates("transferred_at", "month").count() > 6
    assert ByNameEntry.objects.filter(needs_conference=True).count() >= 2
    # One timeline: every proposal went to someone whose last status change before that day made them active
    # again (none out of the list that day); withdrawals are a minority. (Entries are added before the timeline
    # runs, and `matching_run(on=...)` does not look at `entered_on`, so a round may still propose someone who
    # enters the list later: not checked here.)
    history: dict[int, list[tuple[datetime.date, str]]] = {}
    for entry_id, on, to_status in ByNameStatusChange.objects.order_by("on", "pk").values_list(
        "entry_id", "on", "to_status"
    ):
        history.setdefault(entry_id, []).append((on, to_status))
    for match in Match.objects.all():
        day = clock.localdate(match.proposed_at)
        before = [status for on, status in history.get(match.entry_id, []) if on < day]
        assert not before or before[-1] == "active", match.pk
    assert Match.objects.filter(status="withdrawn").count() < Match.objects.count() * 0.25

    check_casework(client)

    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "already exist" in out.getvalue()
    assert Participant.objects.count() == total


def check_casework(client):
    """Two years of intensive case management: every casework screen of the demo has realistic content."""
    from django.urls import reverse

    from ancrage.casework.caseload.weights import caseload_for_workers
    from ancrage.casework.flags import FLAG_KEYS, enrollment_rows, flag_counts, overnight_since
    from ancrage.casework.models import (
        AssessmentSchedule,
        Assignment,
        Contact,
        Enrollment,
        Exit,
        FieldVisit,
        Goal,
        Incident,
        OnCallEntry,
        OnCallShift,
        PlanReview,
        RecoveryPlan,
        ReengagementPlan,
        ReferralAttempt,
        RiskAssessment,
        ServiceKind,
        ServiceProvider,
        ServiceReferral,
        ServiceReferralStatus,
        Step,
        TeamMeetingSettings,
    )
    from ancrage.core.models import Alert

    today = clock.today()
    now = clock.now()
    casework_programs = Program.objects.filter(kind__in=Program.HOUSING_FIRST_KINDS)

    # Enrollments in every ICM and ACT program, from matches and directly; a participant who came back.
    enrollments = Enrollment.objects.all()
    active = enrollments.filter(status="active")
    assert active.count() >= 100
    assert enrollments.filter(status="exited").count() >= 10
    assert set(active.values_list("program", flat=True)) == set(
        casework_programs.values_list("pk", flat=True)
    )
    assert enrollments.filter(match__isnull=False).exists()
    assert enrollments.filter(match__isnull=True).exists()
    assert not active.filter(team__isnull=True).exists()
    came_back = enrollments.filter(status="exited").values("participant")
    assert active.filter(participant__in=came_back).exists()
    assert AuditEntry.objects.filter(action="casework.enrollment.reopened").exists()
    # Reassignments with their reason; caseloads held against the ratio, the showcase one near or over it.
    reassigned = enrollments.annotate(n=Count("assignments")).filter(n__gte=2)
    assert reassigned.count() >= 5
    assert not Assignment.objects.filter(enrollment__in=reassigned, ends_on__isnull=True, reason="").exists()
    showcase = User.objects.get(username="gc.hochelaga1")
    load = caseload_for_workers([showcase.pk])[showcase.pk]
    assert load.ratio
    assert load.weight >= 0.75 * load.ratio

    # Contacts: two years, every kind, peer support workers too, French and English notes, a weekly rhythm.
    contacts = Contact.objects.all()
    assert contacts.count() >= 10000
    assert set(contacts.values_list("kind", flat=True)) == {
        "home",
        "community",
        "office",
        "phone",
        "video",
        "accompaniment",
    }
    assert contacts.filter(kind="home").count() > contacts.count() / 3
    assert contacts.dates("occurred_at", "month").count() >= 20
    assert contacts.filter(staff__username="pair.hochelaga").exists()
    assert contacts.filter(shared_note__startswith="Home visit").exists()
    assert contacts.filter(participant_present=False).exists()
    assert contacts.exclude(private_note="").exists()
    assert Contact.goals_discussed.through.objects.exists()
    assert not contacts.filter(occurred_at__gt=now).exists()
    recent = contacts.filter(occurred_at__date__gte=today - datetime.timedelta(days=7))
    # The last two weeks went through the service: audited, dated when they were logged.
    logged = AuditEntry.objects.filter(action="casework.contact.logged")
    assert logged.count() >= 100
    assert logged.filter(at__lt=now - datetime.timedelta(days=7)).exists()
    assert recent.exists()

    # Field visits: planned today, one under way, one not ended that alerted the team lead and the on-call worker.
    visits = FieldVisit.objects.all()
    assert visits.filter(status="planned", planned_start__gt=now).count() >= 3
    assert visits.filter(status="ended", contacts__isnull=False).exists()
    assert visits.filter(status="cancelled").exists()
    overdue = visits.get(status="started", overdue_alerted_at__isnull=False)
    assert visits.filter(status="started", overdue_alerted_at__isnull=True, planned_end__gt=now).exists()
    alerted = set(
        Alert.objects.filter(
            kind="casework.visit.overdue", object_id=str(overdue.pk), resolved_at__isnull=True
        ).values_list("recipient__username", flat=True)
    )
    assert {"chef.hochelaga", "gc.hochelaga2"} <= alerted
    assert OnCallShift.objects.filter(
        worker__username="gc.hochelaga2", starts_at__lte=now, ends_at__gt=now
    ).exists()
    for org in ("MHS", "RDP", "MVE", "CAA"):
        assert OnCallShift.objects.filter(
            organisation__short_name=org, starts_at__lte=now, ends_at__gt=now
        ).exists()
    assert OnCallEntry.objects.count() >= 30
    assert OnCallEntry.objects.filter(
        follow_up=True, called_at__gte=now - datetime.timedelta(days=1)
    ).exists()

    # Recovery plans in the participant's words: goals across life domains, stages, steps, reviews, some late.
    assert RecoveryPlan.objects.count() >= 100
    assert Goal.objects.values("domain").distinct().count() >= 8
    assert Goal.objects.values("stage").distinct().count() == 6
    assert set(Goal.objects.values_list("status", flat=True)) == set(Goal.Status.values)
    assert set(Step.objects.values_list("who", flat=True)) == set(Step.Who.values)
    assert Step.objects.filter(done_on__isnull=False).exists()
    assert PlanReview.objects.count() >= 10
    assert RecoveryPlan.objects.filter(first_completed_on__isnull=True, due_on__lt=today).exists()
    assert active.filter(recovery_plan__isnull=True).exists()

    # Assessment schedules per program, administrations over time, some declined or postponed with a reason.
    for program in casework_programs:
        schedules = AssessmentSchedule.objects.filter(program=program)
        assert schedules.filter(within_days_of_enrollment=10).count() == 2
        assert schedules.filter(every_months=3).exists()
        assert schedules.filter(at_exit=True).exists()
    progress = Administration.objects.filter(version__instrument__key="progress_scale")
    assert progress.filter(status="completed").count() >= 300
    for status in ("declined", "postponed"):
        assert progress.filter(status=status).exists()
        assert not progress.filter(status=status, status_reason="").exists()

    # The directory, referrals out at every status with their attempts.
    providers = ServiceProvider.objects.all()
    assert 35 <= providers.count() <= 50
    assert providers.filter(kind=ServiceKind.HOUSING_STABILITY).count() >= 3
    assert providers.filter(organisation__isnull=False).exists()
    referrals = ServiceReferral.objects.all()
    assert set(referrals.values_list("status", flat=True)) == set(ServiceReferralStatus.values)
    assert ReferralAttempt.objects.count() > 2 * referrals.count()
    assert referrals.exclude(shared_categories=[]).filter(consent__isnull=False).exists()

    # Risk plans (some with paired visits), incidents (overnight ones too), lost contact and re-engagement.
    current_risk = RiskAssessment.objects.filter(ended_on__isnull=True)
    assert current_risk.filter(paired_visits=True).exists()
    assert RiskAssessment.objects.filter(ended_on__isnull=False).exists()
    incidents = Incident.objects.all()
    assert {"police_called", "hospital", "overdose", "eviction_notice"} <= set(
        incidents.values_list("kind", flat=True)
    )
    assert incidents.filter(source="partner_notice").exclude(source_name="").exists()
    assert incidents.filter(occurred_at__gte=overnight_since(today)).count() >= 2
    assert ReengagementPlan.objects.filter(status="open", tasks__done_on__isnull=False).exists()
    assert ReengagementPlan.objects.filter(status="reconnected").exists()
    assert active.filter(lost_contact_since__isnull=False).exists()

    # Exits of all three kinds, the way the policy requires.
    exits = Exit.objects.all()
    assert set(exits.values_list("kind", flat=True)) == set(Exit.Kind.values)
    assert not exits.filter(procedure_given_on__isnull=True).exists()
    assert not exits.filter(kind="graduation", graduation_assessment__isnull=True).exists()
    unplanned = exits.filter(kind="unplanned")
    with_referrals = unplanned.annotate(n=Count("referrals")).filter(n__gte=3)
    assert with_referrals.exists()
    assert not unplanned.exclude(pk__in=with_referrals.values("pk")).filter(no_referrals_reason="").exists()
    assert exits.filter(destination="shelter").exclude(shelter_justification="").exists()
    assert not exits.filter(destination="shelter", shelter_justification="").exists()

    # The showcase case manager's screens have rows; the team meeting shows every flag.
    team_rows = enrollment_rows(
        active.filter(team__name="Équipe SIV Hochelaga").select_related("participant", "primary_worker"),
        today,
    )
    counts = flag_counts(team_rows)
    assert all(counts[key] >= 1 for key in FLAG_KEYS), counts
    mine = list(active.filter(primary_worker=showcase).select_related("participant", "primary_worker"))
    assert len(mine) >= 10
    client.force_login(showcase)
    page = client.get(reverse("casework:caseload")).content.decode()
    assert sum(e.participant.display_name in page for e in mine) >= len(mine) - 1
    for name in ("visit_list", "on_call", "provider_list", "assessments_due"):
        assert client.get(reverse(f"casework:{name}")).status_code == 200, name
    participant = next(e.participant for e in mine if e.participant.contacts.exists())
    for name in (
        "participant",
        "contact_list",
        "plan",
        "referral_list",
        "risk_list",
        "incident_list",
        "reengagement",
        "progress",
    ):
        assert client.get(reverse(f"casework:{name}", args=[participant.pk])).status_code == 200, name
    assert (
        TeamMeetingSettings.objects.filter(team__name="Équipe SIV Hochelaga").exclude(flag_order=[]).exists()
    )
    lead = User.objects.get(username="chef.hochelaga")
    client.force_login(lead)
    page = client.get(reverse("casework:meeting")).content.decode()
    assert sum(row.participant.display_name in page for row in team_rows) >= len(team_rows) - 1
    assert client.get(reverse("casework:caseloads")).status_code == 200
    assert client.get(reverse("casework:schedule_list")).status_code == 200
