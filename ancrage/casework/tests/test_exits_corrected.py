"""Exits as F1–F3 say (issue 12, part 4): the baseline is not its own re-administration, graduation's
readiness indicators, the B12 warning, planned exits dated ahead, the complaint procedure's date and the
referral link that comes back to the exit form."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from ancrage.assessments.models import Instrument
from ancrage.assessments.tests.factories import load_shipped_instruments
from ancrage.casework.exits import selectors as exits_selectors
from ancrage.casework.exits import services as services_exits
from ancrage.casework.models import (
    AssessmentSchedule,
    Assignment,
    Enrollment,
    Exit,
    ReengagementPlan,
    ServiceKind,
)
from ancrage.casework.referrals import services as services_referrals
from ancrage.casework.tests.test_exits_services import READY, completed, record
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.organisations.models import Program
from ancrage.people.tests.factories import ProgramFactory, make_participant

pytestmark = pytest.mark.django_db

TODAY = clock.today
MONTREAL = zoneinfo.ZoneInfo("America/Montreal")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def program(org_a):
    return ProgramFactory(organisation=org_a, kind=Program.Kind.ICM)


@pytest.fixture
def enrollment(participant_a, program, case_manager_a):
    enrollment = Enrollment.objects.create(
        participant=participant_a,
        program=program,
        primary_worker=case_manager_a,
        enrolled_on=TODAY() - datetime.timedelta(days=100),
    )
    Assignment.objects.create(
        enrollment=enrollment,
        worker=case_manager_a,
        starts_on=enrollment.enrolled_on,
        assigned_by=case_manager_a,
    )
    return enrollment


def english(user):
    user.language = "en"
    user.save()
    return user


def graduation_form(again, **extra) -> dict:
    today = TODAY().isoformat()
    values = {
        "kind": "graduation",
        "reason": "goals_reached",
        "exited_on": today,
        "destination": "own_housing",
        "graduation_assessment": again.pk if again else "",
        "procedure_given_on": today,
    }
    values.update(extra)
    return values


# --- F1: the baseline is not a re-administration ----------------------------------------------------------


def test_the_baseline_given_after_enrollment_is_not_its_own_re_administration(
    case_manager_a, participant_a, enrollment, program
):
    load_shipped_instruments()
    instrument = Instrument.objects.get(key="progress_scale")
    AssessmentSchedule.objects.create(program=program, instrument=instrument, within_days_of_enrollment=10)
    baseline = completed(case_manager_a, participant_a, days_ago=95)
    assert exits_selectors.intake_baseline(enrollment, instrument) == baseline
    assert list(exits_selectors.graduation_candidates(enrollment, instrument)) == []
    graduation = {"kind": Exit.Kind.GRADUATION, "reason": Exit.Reason.GOALS_REACHED, **READY}
    with pytest.raises(ValidationError) as err:
        record(case_manager_a, enrollment, graduation_assessment=baseline, **graduation)
    assert "graduation_assessment" in err.value.message_dict
    assert not Exit.objects.exists()
    again = completed(case_manager_a, participant_a, days_ago=2)
    assert list(exits_selectors.graduation_candidates(enrollment, instrument)) == [again]
    assert (
        record(case_manager_a, enrollment, graduation_assessment=again, **graduation).graduation_assessment
        == again
    )


def test_an_intake_before_enrollment_stays_the_baseline(case_manager_a, participant_a, enrollment, program):
    load_shipped_instruments()
    instrument = Instrument.objects.get(key="progress_scale")
    AssessmentSchedule.objects.create(program=program, instrument=instrument, within_days_of_enrollment=10)
    intake = completed(case_manager_a, participant_a, days_ago=110)
    again = completed(case_manager_a, participant_a, days_ago=1)
    assert exits_selectors.intake_baseline(enrollment, instrument) == intake
    assert list(exits_selectors.graduation_candidates(enrollment, instrument)) == [again]


# --- F1: readiness indicators ------------------------------------------------------------------------------


def test_graduation_records_its_readiness_indicators_or_why_one_is_missing(
    case_manager_a, participant_a, enrollment, program
):
    load_shipped_instruments()
    instrument = Instrument.objects.get(key="progress_scale")
    AssessmentSchedule.objects.create(program=program, instrument=instrument, within_days_of_enrollment=10)
    completed(case_manager_a, participant_a, days_ago=110)
    again = completed(case_manager_a, participant_a, days_ago=1)
    graduation = {"kind": Exit.Kind.GRADUATION, "reason": Exit.Reason.GOALS_REACHED}
    with pytest.raises(ValidationError) as err:
        record(case_manager_a, enrollment, graduation_assessment=again, stable_housing=True, **graduation)
    assert "readiness_note" in err.value.message_dict
    assert "rent supplement" in err.value.message_dict["readiness_note"][0]
    exit_ = record(
        case_manager_a,
        enrollment,
        graduation_assessment=again,
        stable_housing=True,
        follow_up_care=True,
        readiness_note="Logement social : pas de supplément au loyer requis",
        **graduation,
    )
    assert (exit_.stable_housing, exit_.rent_supplement, exit_.follow_up_care) == (True, False, True)
    entry = AuditEntry.objects.get(action="casework.exit.recorded")
    assert entry.data["readiness"] == {
        "stable_housing": True,
        "rent_supplement": False,
        "follow_up_care": True,
    }


def test_readiness_indicators_on_the_page_the_record_and_the_api(
    client_for, case_manager_a, participant_a, enrollment, program
):
    load_shipped_instruments()
    AssessmentSchedule.objects.create(
        program=program, instrument=Instrument.objects.get(key="progress_scale"), within_days_of_enrollment=10
    )
    completed(case_manager_a, participant_a, days_ago=95)
    again = completed(case_manager_a, participant_a, days_ago=1)
    c = client_for(english(case_manager_a))
    url = reverse("casework:exit_create", args=[participant_a.pk])
    html = c.get(url + "?kind=graduation").content.decode()
    for label in ("Stable, affordable housing", "Rent supplement in place", "Follow-up care arranged"):
        assert label in html
    # Nothing ticked, no reason: refused in words, what was typed kept.
    response = c.post(url, graduation_form(again, note="Fête prévue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "tick each one in place, or say why" in html
    assert "Fête prévue" in html
    assert not Exit.objects.exists()
    response = c.post(
        url, graduation_form(again, stable_housing="on", rent_supplement="on", follow_up_care="on")
    )
    assert response.status_code == 302
    detail = c.get(response["Location"]).content.decode()
    assert "Readiness indicators" in detail
    assert "not in place" not in detail
    api = c.get(f"/api/v1/participants/{participant_a.pk}/exits").json()
    assert api[0]["stable_housing"] is True
    assert api[0]["rent_supplement"] is True
    assert api[0]["follow_up_care"] is True
    assert api[0]["pending"] is False


# --- B12: lost contact is not a reason to discharge -------------------------------------------------------


def test_unplanned_exit_during_re_engagement_needs_a_reason(case_manager_a, participant_a, enrollment):
    plan = ReengagementPlan.objects.create(
        enrollment=enrollment, participant=participant_a, started_on=TODAY() - datetime.timedelta(days=5)
    )
    unplanned = {
        "kind": Exit.Kind.UNPLANNED,
        "reason": Exit.Reason.PARTICIPANT_ENDED,
        "destination": Exit.Destination.UNKNOWN,
        "no_referrals_reason": "Injoignable",
    }
    with pytest.raises(ValidationError) as err:
        record(case_manager_a, enrollment, **unplanned)
    assert "not to discharge" in err.value.message_dict["lost_contact_reason"][0]
    assert not Exit.objects.exists()
    exit_ = record(
        case_manager_a,
        enrollment,
        lost_contact_reason="A déménagé en Alberta, confirmé par sa sœur",
        **unplanned,
    )
    assert exit_.lost_contact_reason.startswith("A déménagé")
    plan.refresh_from_db()
    assert plan.status == ReengagementPlan.Status.CLOSED
    assert AuditEntry.objects.get(action="casework.exit.recorded").data["reengagement_open"] == plan.pk


def test_without_re_engagement_an_unplanned_exit_asks_no_such_reason(case_manager_a, enrollment):
    exit_ = record(
        case_manager_a,
        enrollment,
        kind=Exit.Kind.UNPLANNED,
        reason=Exit.Reason.DETENTION,
        destination=Exit.Destination.DETENTION,
        no_referrals_reason="Détention longue",
        lost_contact_reason="ignoré",
    )
    assert exit_.lost_contact_reason == ""


@pytest.mark.parametrize(
    ("language", "warning", "refusal"),
    [
        ("en", "Lost contact is a reason to re-engage, not to discharge.", "not to discharge"),
        (
            "fr",
            "La perte de contact est une raison de reprendre contact, pas de mettre fin au service.",
            "pas de",
        ),
    ],
)
def test_the_exit_form_warns_of_b12(
    client_for, case_manager_a, participant_a, enrollment, language, warning, refusal
):
    ReengagementPlan.objects.create(
        enrollment=enrollment, participant=participant_a, started_on=TODAY() - datetime.timedelta(days=5)
    )
    case_manager_a.language = language
    case_manager_a.save()
    c = client_for(case_manager_a)
    url = reverse("casework:exit_create", args=[participant_a.pk])
    with translation.override(language):
        html = c.get(url + "?kind=unplanned").content.decode()
        assert warning in html
        assert 'name="lost_contact_reason"' in html
        assert reverse("casework:reengagement", args=[participant_a.pk]) in html
        # A planned exit is not concerned.
        assert warning not in c.get(url + "?kind=planned").content.decode()
        response = c.post(
            url,
            {
                "kind": "unplanned",
                "reason": "participant_ended",
                "exited_on": TODAY().isoformat(),
                "destination": "unknown",
                "no_referrals_reason": "Injoignable",
                "procedure_given_on": TODAY().isoformat(),
            },
        )
    assert response.status_code == 200
    assert refusal in response.content.decode()
    assert not Exit.objects.exists()


# --- F2: a planned exit dated ahead -----------------------------------------------------------------------


def test_a_planned_exit_dated_ahead_keeps_the_service_until_its_day(
    settings, case_manager_a, participant_a, enrollment
):
    settings.ANCRAGE = {**settings.ANCRAGE, "PLANNED_EXIT_DAYS_AHEAD": 30}
    with pytest.raises(ValidationError) as err:
        record(case_manager_a, enrollment, exited_on=TODAY() + datetime.timedelta(days=31))
    assert "at most 30 days ahead" in err.value.message_dict["exited_on"][0]
    day = TODAY() + datetime.timedelta(days=30)
    exit_ = record(case_manager_a, enrollment, exited_on=day)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert exit_.is_pending
    assert Assignment.objects.get(enrollment=enrollment).ends_on is None
    # A second exit of the same enrollment is refused while the first is pending.
    with pytest.raises(ValidationError) as err:
        record(case_manager_a, enrollment, exited_on=TODAY())
    assert "already planned" in err.value.message_dict["__all__"][0]
    # The day before, nothing closes; on the day, the daily job ends the service.
    assert services_exits.exits_take_effect(day - datetime.timedelta(days=1)) == 0
    with time_machine.travel(
        datetime.datetime.combine(day, datetime.time(5, 30), tzinfo=MONTREAL), tick=False
    ):
        from ancrage.casework.tasks import daily

        result = daily.call()
    assert result["exits"] == 1
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.exited_on) == (Enrollment.Status.EXITED, day)
    assert Assignment.objects.get(enrollment=enrollment).ends_on == day
    entry = AuditEntry.objects.get(action="casework.exit.took_effect")
    assert entry.actor is None
    assert entry.participant == participant_a
    assert services_exits.exits_take_effect(day) == 0


def test_the_planned_form_says_how_far_ahead_and_the_kind_page_shows_the_pending_exit(
    client_for, case_manager_a, participant_a, enrollment
):
    c = client_for(english(case_manager_a))
    url = reverse("casework:exit_create", args=[participant_a.pk])
    assert "up to 90 days ahead" in c.get(url + "?kind=planned").content.decode()
    day = TODAY() + datetime.timedelta(days=20)
    response = c.post(
        url,
        {
            "kind": "planned",
            "reason": "less_support",
            "exited_on": day.isoformat(),
            "destination": "own_housing",
            "procedure_given_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 302
    detail = c.get(response["Location"]).content.decode()
    assert "the service goes on until then" in detail
    html = c.get(url + "?kind=planned").content.decode()
    assert "A planned exit from" in html
    assert 'name="exited_on"' not in html
    # An unplanned exit or a graduation is never dated ahead.
    enrollment2 = Enrollment.objects.create(
        participant=make_participant(case_manager_a, participant_a.organisation),
        program=enrollment.program,
        enrolled_on=TODAY() - datetime.timedelta(days=10),
    )
    with pytest.raises(ValidationError) as err:
        record(
            case_manager_a,
            enrollment2,
            kind=Exit.Kind.UNPLANNED,
            exited_on=TODAY() + datetime.timedelta(days=1),
            no_referrals_reason="x",
        )
    assert "only a planned exit" in err.value.message_dict["exited_on"][0]


# --- F3: the complaint procedure's date, the referral link ------------------------------------------------


def test_procedure_date_is_not_prefilled_without_the_organisation_s_procedure(
    client_for, case_manager_a, participant_a, enrollment, org_a
):
    c = client_for(english(case_manager_a))
    url = reverse("casework:exit_create", args=[participant_a.pk]) + "?kind=planned"
    today = TODAY().isoformat()
    assert f'name="procedure_given_on" value="{today}"' not in c.get(url).content.decode()
    org_a.complaint_procedure_url = "https://example.org/plaintes"
    org_a.save()
    assert f'name="procedure_given_on" value="{today}"' in c.get(url).content.decode()


def test_the_referral_link_comes_back_to_the_exit_form(
    client_for, case_manager_a, participant_a, enrollment, program_manager_a
):
    provider = services_referrals.provider_create(
        actor=program_manager_a,
        consortium=participant_a.organisation.consortium,
        name="Stabilité Québec",
        kind=ServiceKind.HOUSING_STABILITY,
    )
    c = client_for(english(case_manager_a))
    exit_url = reverse("casework:exit_create", args=[participant_a.pk])
    html = c.get(exit_url + f"?kind=unplanned&enrollment={enrollment.pk}").content.decode()
    referral_url = reverse("casework:referral_create", args=[participant_a.pk])
    back = f"{exit_url}?kind=unplanned&enrollment={enrollment.pk}"
    from django.utils.http import urlencode

    link = referral_url + "?" + urlencode({"next": back})
    assert link.replace("&", "&amp;") in html
    page = c.get(link).content.decode()
    assert f'name="next" value="{back.replace("&", "&amp;")}"' in page
    response = c.post(link, {"provider": provider.pk, "need": "Garder un logement", "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    # The new referral is offered on the exit form it came back to.
    assert "Stabilité Québec" in c.get(back).content.decode()
    # Anywhere else than the participant's own file is ignored.
    response = c.post(
        referral_url, {"provider": provider.pk, "need": "Encore", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("casework:referral_list", args=[participant_a.pk])


def test_exit_pages_stay_404_for_another_organisation(client_for, case_manager_b, participant_a, enrollment):
    c = client_for(case_manager_b)
    assert (
        c.get(reverse("casework:exit_create", args=[participant_a.pk]) + "?kind=planned").status_code == 404
    )
    assert c.get(reverse("casework:referral_create", args=[participant_a.pk])).status_code == 404


def test_a_planned_exit_during_re_engagement_keeps_no_lost_contact_reason(
    case_manager_a, participant_a, enrollment
):
    ReengagementPlan.objects.create(enrollment=enrollment, participant=participant_a, started_on=TODAY())
    exit_ = record(case_manager_a, enrollment, lost_contact_reason="Sans objet")
    assert exit_.lost_contact_reason == ""
