"""A person's homelessness history (issue 11, part 1): HMIS 3.917 at intake and on the profile, stays and
sightings recorded later, and the chronic rule computed from both, with its evidence."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from ancrage.access import codes, services
from ancrage.access.chronic import SITUATION_KINDS, chronic_from_history, history_periods
from ancrage.access.models import (
    ByNameEntry,
    HomelessnessHistory,
    LengthOfStay,
    LivingSituation,
    LivingSituationPeriod,
    TimesHomeless,
    YesNoAnswer,
)
from ancrage.access.tests.factories import consent_for_access, make_entry
from ancrage.access.views_history import evidence_in_words
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.people import hmis_fy2026
from ancrage.people.tests.factories import member

TODAY = datetime.date(2026, 6, 15)
# Mid-afternoon in Montréal, so the local date is TODAY whatever the machine's hour.
NOW = datetime.datetime(2026, 6, 15, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def _history(**values):
    defaults = {
        "reported_on": TODAY,
        "source": "self_reported",
        "living_situation": "street",
        "episode_started_on": None,
        "months_homeless_past_three_years": None,
        "pk": 1,
    }
    return SimpleNamespace(**(defaults | values))


def _stay(kind, starts_on, ends_on=None, situation="", source=""):
    return SimpleNamespace(
        kind=kind, starts_on=starts_on, ends_on=ends_on, situation=situation, source=source
    )


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# --- The rule, from the history ------------------------------------------------------------------------


def test_thirty_months_and_outside_last_night_is_chronic():
    """The issue's person: thirty months in three years and slept outside last night was "0 days"."""
    verdict = chronic_from_history([], [_history(months_homeless_past_three_years=30)], on=TODAY)
    assert verdict.is_chronic
    # 30 months = 912 days in the three years; placed as early as possible, 182 fall in the past year.
    assert verdict.days_past_three_years == 912
    assert verdict.days_past_year == 182
    origins = [line["origin"] for line in verdict.evidence]
    assert origins == ["episode", "undated"]


def test_without_a_history_nothing_counts():
    verdict = chronic_from_history([], [], on=TODAY)
    assert not verdict.is_chronic
    assert verdict.days_past_year == verdict.days_past_three_years == 0
    assert verdict.evidence == ()


def test_the_current_episode_counts_from_its_start_and_keeps_running():
    history = _history(episode_started_on=TODAY - days(199))
    assert chronic_from_history([], [history], on=TODAY).days_past_year == 200
    later = chronic_from_history([], [history], on=TODAY + days(10))
    assert later.days_past_year == 210
    assert later.is_chronic


def test_a_stay_in_housing_after_the_history_ends_the_episode():
    history = _history(episode_started_on=TODAY - days(99))
    housed = _stay("housed", TODAY + days(20), situation="rental")
    verdict = chronic_from_history([housed], [history], on=TODAY + days(100))
    # From TODAY - 99 to TODAY + 19: 119 nights.
    assert verdict.days_past_year == 119
    assert verdict.evidence[0]["to"] == (TODAY + days(19)).isoformat()


def test_reported_months_age_out_of_the_windows():
    history = _history(living_situation="rental", months_homeless_past_three_years=18)
    assert chronic_from_history([], [history], on=TODAY).is_chronic
    # A year later, the months placed at the start of the three years have left the window.
    assert not chronic_from_history([], [history], on=TODAY + days(365)).is_chronic


def test_reported_months_include_the_current_episode_and_overlaps_count_once():
    history = _history(episode_started_on=TODAY - days(99), months_homeless_past_three_years=12)
    shelter_nights = [_stay("homeless_sheltered", TODAY - days(n), TODAY - days(n)) for n in (5, 6, 7)]
    verdict = chronic_from_history(shelter_nights, [history], on=TODAY)
    # 12 months = 365 days in all, the episode's 100 nights among them; the shelter nights fall within it.
    assert verdict.days_past_three_years == 365
    assert not verdict.is_chronic


def test_reported_months_include_the_stays_already_dated():
    """Months reported in all are not added on top of the nights already recorded with their dates."""
    stays = [_stay("homeless_sheltered", TODAY - days(700), TODAY - days(501), "shelter", "shelter")]
    history = _history(living_situation="rental", months_homeless_past_three_years=12)
    verdict = chronic_from_history(stays, [history], on=TODAY)
    assert verdict.days_past_three_years == 365
    undated = [line for line in verdict.evidence if line["origin"] == "undated"]
    assert sum(line["three"] for line in undated) == 165
    # Without the months reported, only the 200 dated nights count.
    assert chronic_from_history(stays, [], on=TODAY).days_past_three_years == 200


def test_the_latest_history_as_of_the_date_counts():
    old = _history(reported_on=TODAY - days(30), months_homeless_past_three_years=30, pk=1)
    new = _history(reported_on=TODAY, living_situation="rental", months_homeless_past_three_years=2, pk=2)
    assert chronic_from_history([], [old, new], on=TODAY - days(1)).is_chronic
    assert not chronic_from_history([], [old, new], on=TODAY).is_chronic


def test_stays_and_sightings_add_to_the_history():
    stays = [_stay("homeless_unsheltered", TODAY - days(200), TODAY - days(20), "street", "worker")]
    verdict = chronic_from_history(stays, [], on=TODAY)
    assert verdict.days_past_year == 181
    assert verdict.is_chronic
    (line,) = verdict.evidence
    assert line["source"] == "worker"
    assert line["situation"] == "street"


def test_staying_temporarily_with_others_counts_transitional_housing_does_not():
    assert SITUATION_KINDS["friends"] == "homeless_temporary"
    friends = _stay("homeless_temporary", TODAY - days(199), TODAY)
    transitional = _stay("transitional", TODAY - days(199), TODAY)
    assert chronic_from_history([friends], [], on=TODAY).is_chronic
    assert not chronic_from_history([transitional], [], on=TODAY).is_chronic


def test_every_living_situation_has_a_kind_for_the_rule():
    assert set(SITUATION_KINDS) == set(LivingSituation.values)
    assert set(SITUATION_KINDS.values()) <= set(LivingSituationPeriod.Kind.values)


def test_history_periods_place_the_undated_months_before_the_episode():
    history = _history(episode_started_on=TODAY - days(9), months_homeless_past_three_years=2)
    episode, undated = history_periods(history, [])
    assert episode.origin == "episode"
    assert episode.ends_on is None
    assert undated.origin == "undated"
    assert undated.starts_on == TODAY - days(1094)
    assert (undated.ends_on - undated.starts_on).days + 1 == 60 - 10


def test_evidence_in_words_in_both_languages():
    verdict = chronic_from_history([], [_history(months_homeless_past_three_years=30)], on=TODAY)
    with translation.override("en"):
        english = evidence_in_words(list(verdict.evidence))
    with translation.override("fr"):
        french = evidence_in_words(list(verdict.evidence))
    assert english[0].startswith("Current episode since")
    assert "Self-reported" in english[0]
    assert "912" not in english[0]
    assert "911" in english[1]
    assert french[0].startswith("Épisode actuel depuis le")
    assert "Déclaré par la personne" in french[0]


# --- HMIS 3.917 ---------------------------------------------------------------------------------------------


def test_every_history_value_maps_to_an_hmis_code_of_its_fy2026_list():
    lists = hmis_fy2026.LISTS
    assert set(codes.HMIS_LIVING_SITUATION) == set(LivingSituation.values)
    assert set(codes.HMIS_LIVING_SITUATION.values()) == lists["PriorLivingSituation"].keys
    assert set(codes.HMIS_LENGTH_OF_STAY) == set(LengthOfStay.values)
    assert set(codes.HMIS_LENGTH_OF_STAY.values()) == lists["ResidencePriorLengthOfStay"].keys
    assert set(codes.HMIS_TIMES_HOMELESS) == set(TimesHomeless.values)
    assert set(codes.HMIS_TIMES_HOMELESS.values()) == lists["TimesHomelessPastThreeYears"].keys
    assert set(codes.HMIS_YES_NO) == set(YesNoAnswer.values)
    assert set(codes.HMIS_YES_NO.values()) == lists["NoYesReasonsForMissingData"].keys
    months = {codes.hmis_months_homeless(n) for n in range(37)} | {
        codes.hmis_months_homeless(None, m) for m in ("doesnt_know", "refused", "")
    }
    assert months == lists["MonthsHomelessPastThreeYears"].keys


def test_fy2026_3917_lists_hold_the_data_dictionary_codes():
    assert hmis_fy2026.PRIOR_LIVING_SITUATION.element == "3.917"
    assert hmis_fy2026.PRIOR_LIVING_SITUATION.values[116].startswith("Place not meant for habitation")
    assert len(hmis_fy2026.PRIOR_LIVING_SITUATION.values) == 22
    assert hmis_fy2026.RESIDENCE_PRIOR_LENGTH_OF_STAY.keys == {2, 3, 4, 5, 8, 9, 10, 11, 99}
    assert hmis_fy2026.MONTHS_HOMELESS_PAST_THREE_YEARS.values[113] == "More than 12 months"
    assert hmis_fy2026.TIMES_HOMELESS_PAST_THREE_YEARS.keys == {1, 2, 3, 4, 8, 9, 99}


def test_enrollment_3917_columns():
    history = SimpleNamespace(
        prior_living_situation="hospital",
        prior_length_of_stay="one_month",
        previous_street_or_shelter="yes",
        episode_started_on=TODAY,
        times_homeless_past_three_years="four_or_more",
        months_homeless_past_three_years=30,
        months_homeless_missing="",
    )
    assert codes.hmis_enrollment_3917(history) == {
        "LivingSituation": 206,
        "LengthOfStay": 3,
        "LOSUnderThreshold": 1,
        "PreviousStreetESSH": 1,
        "DateToStreetESSH": TODAY,
        "TimesHomelessPastThreeYears": 4,
        "MonthsHomelessPastThreeYears": 113,
    }
    assert codes.hmis_los_under_threshold("friends", "one_year") == 0
    assert codes.hmis_los_under_threshold("street", "one_year") is None


# --- The screener feeds it -------------------------------------------------------------------------------


def test_screener_answers_fill_a_history():
    initial = services.history_from_screener(
        {"months_homeless": 30, "episodes": 5, "slept_last_night": "outside"}, TODAY
    )
    assert initial == {
        "reported_on": TODAY,
        "source": "self_reported",
        "living_situation": "street",
        "previous_street_or_shelter": "yes",
        "times_homeless_past_three_years": "four_or_more",
        "months_homeless": "30",
    }
    unknown = services.history_from_screener({"months_homeless": "doesnt_know", "episodes": 0}, TODAY)
    assert unknown["months_homeless"] == "doesnt_know"
    assert unknown["times_homeless_past_three_years"] == "one"
    assert "living_situation" not in services.history_from_screener({"slept_last_night": "own_place"}, TODAY)


# --- The service ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_recording_a_history_makes_the_entry_chronic_with_its_evidence(pinned, case_manager_a, org_a):
    entry = make_entry(case_manager_a, org_a)
    assert not entry.is_chronic
    assert entry.homeless_days_past_three_years == 0
    history = services.homelessness_history_record(
        actor=case_manager_a,
        participant=entry.participant,
        reported_on=TODAY,
        source="self_reported",
        living_situation="street",
        times_homeless_past_three_years="three",
        months_homeless_past_three_years=30,
    )
    entry.refresh_from_db()
    assert entry.is_chronic
    assert entry.homeless_days_past_three_years == 912
    assert [line["origin"] for line in entry.chronic_evidence] == ["episode", "undated"]
    audit = AuditEntry.objects.get(action="access.homelessness_history.recorded")
    assert audit.participant_id == entry.participant_id
    assert audit.data["months_homeless_past_three_years"] == 30
    assert audit.object_id == str(history.pk)


@pytest.mark.django_db
def test_a_history_recorded_before_the_list_counts_when_the_person_is_added(
    pinned, case_manager_a, participant_a
):
    services.homelessness_history_record(
        actor=case_manager_a,
        participant=participant_a,
        reported_on=TODAY,
        source="shelter",
        living_situation="shelter",
        episode_started_on=TODAY - days(199),
        months_homeless_past_three_years=7,
    )
    entry = services.by_name_entry_add(
        actor=case_manager_a, participant=participant_a, reference_worker=case_manager_a
    )
    assert entry.is_chronic
    assert entry.homeless_days_past_year == 200


@pytest.mark.django_db
def test_eligibility_at_intake_reads_the_history(pinned, case_manager_a, participant_a):
    """Before the person is on the list, a program's "chronic" requirement is unknown until a history says."""
    from ancrage.access.eligibility import facts_for_participant

    facts = facts_for_participant(participant_a, TODAY)
    assert not facts.has_history
    services.homelessness_history_record(
        actor=case_manager_a,
        participant=participant_a,
        reported_on=TODAY,
        source="self_reported",
        living_situation="street",
        months_homeless_past_three_years=30,
    )
    facts = facts_for_participant(participant_a, TODAY)
    assert facts.has_history
    assert facts.is_chronic
    assert facts.days_past_three_years == 912


@pytest.mark.django_db
def test_a_shelter_night_recorded_later_adds_to_the_history(pinned, case_manager_a, org_a):
    entry = make_entry(case_manager_a, org_a)
    services.living_situation_record(
        actor=case_manager_a,
        participant=entry.participant,
        situation="shelter",
        source="shelter",
        starts_on=TODAY - days(3),
        ends_on=TODAY - days(3),
    )
    entry.refresh_from_db()
    assert entry.homeless_days_past_year == 1
    period = LivingSituationPeriod.objects.get(participant=entry.participant)
    assert period.kind == "homeless_sheltered"
    assert period.source == "shelter"
    audit = AuditEntry.objects.get(action="access.living_situation.recorded")
    assert audit.data["situation"] == "shelter"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"reported_on": TODAY + days(1)}, "reported_on", "cannot be in the future"),
        ({"reported_on": datetime.date(1850, 1, 1)}, "reported_on", "after 1900"),
        ({"episode_started_on": TODAY + days(1)}, "episode_started_on", "cannot start after"),
        ({"living_situation": "castle"}, "living_situation", "Choose where the person stays now"),
        (
            {
                "living_situation": "castle",
                "episode_started_on": TODAY,
                "months_homeless_past_three_years": 1,
            },
            "living_situation",
            "Choose where the person stays now",
        ),
        ({"source": ""}, "source", "Choose the source"),
        ({"months_homeless_past_three_years": 40}, "months_homeless_past_three_years", "from 0 to 36"),
        (
            {"episode_started_on": TODAY - days(400), "months_homeless_past_three_years": 3},
            "months_homeless_past_three_years",
            "cannot be fewer",
        ),
    ],
)
def test_bad_input_is_refused_in_words(pinned, case_manager_a, participant_a, values, field, message):
    arguments = {
        "actor": case_manager_a,
        "participant": participant_a,
        "reported_on": TODAY,
        "source": "self_reported",
        "living_situation": "street",
    } | values
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.homelessness_history_record(**arguments)
    assert message in " ".join(raised.value.message_dict[field])
    assert not HomelessnessHistory.objects.exists()


# --- The page ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_coordinated_access_worker_records_the_history_on_the_page(
    pinned, client_for, case_manager_a, org_a
):
    worker = member(org_a, Role.COORDINATED_ACCESS)
    entry = make_entry(case_manager_a, org_a)
    url = reverse("access:homelessness_history", args=[entry.participant_id])
    client = client_for(worker)
    page = client.get(url)
    assert page.status_code == 200
    assert not page.context["verdict"].is_chronic
    assert AuditEntry.objects.filter(
        action="access.homelessness_history.viewed", participant=entry.participant, is_read=True
    ).exists()
    response = client.post(
        url,
        {
            "form": "history",
            "history-reported_on": TODAY.isoformat(),
            "history-source": "self_reported",
            "history-living_situation": "street",
            "history-prior_living_situation": "friends",
            "history-prior_length_of_stay": "one_month",
            "history-previous_street_or_shelter": "yes",
            "history-episode_started_on": (TODAY - days(60)).isoformat(),
            "history-times_homeless_past_three_years": "three",
            "history-months_homeless": "30",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.is_chronic
    history = HomelessnessHistory.objects.get()
    assert history.prior_living_situation == "friends"
    assert history.recorded_by == worker
    response = client.post(
        url,
        {
            "form": "stay",
            "stay-situation": "street",
            "stay-starts_on": TODAY.isoformat(),
            "stay-source": "worker",
        },
    )
    assert response.status_code == 302
    assert LivingSituationPeriod.objects.get().ends_on == TODAY
    page = client.get(url)
    assert page.context["verdict"].is_chronic
    assert len(page.context["evidence"]) == 3


@pytest.mark.django_db
def test_a_bad_history_keeps_what_was_typed_and_says_why(pinned, client_for, case_manager_a, org_a):
    entry = make_entry(case_manager_a, org_a)
    url = reverse("access:homelessness_history", args=[entry.participant_id])
    client = client_for(case_manager_a)
    with translation.override("en"):
        response = client.post(
            url,
            {
                "form": "history",
                "history-reported_on": TODAY.isoformat(),
                "history-source": "self_reported",
                "history-living_situation": "street",
                "history-prior_living_situation": "not_collected",
                "history-prior_length_of_stay": "not_collected",
                "history-previous_street_or_shelter": "not_collected",
                "history-episode_started_on": (TODAY - days(500)).isoformat(),
                "history-times_homeless_past_three_years": "one",
                "history-months_homeless": "2",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    form = response.context["history_form"]
    # Said in the user's language (French by default), next to the field.
    assert "ne peuvent donc pas être moins nombreux" in " ".join(form.errors["months_homeless"])
    assert form.data["history-months_homeless"] == "2"
    assert not HomelessnessHistory.objects.exists()


@pytest.mark.django_db
def test_the_screener_prefills_the_form(pinned, client_for, case_manager_a, org_a):
    from ancrage.assessments import services as assessment_services
    from ancrage.assessments.tests.factories import start_administration

    entry = make_entry(case_manager_a, org_a)
    administration = start_administration(case_manager_a, entry.participant)
    assessment_services.administration_save_answers(
        actor=case_manager_a,
        administration=administration,
        answers={"months_homeless": 30, "episodes": 2, "slept_last_night": "outside", "evicted": "no"},
        complete=True,
    )
    url = reverse("access:homelessness_history", args=[entry.participant_id])
    page = client_for(case_manager_a).get(url)
    form = page.context["history_form"]
    assert form.initial["living_situation"] == "street"
    assert form.initial["months_homeless"] == "30"
    assert form.initial["times_homeless_past_three_years"] == "two"
    assert page.context["from_triage"] is not None


@pytest.mark.django_db
def test_another_organisations_worker_gets_404(pinned, client_for, case_manager_a, case_manager_b, org_a):
    entry = make_entry(case_manager_a, org_a)
    url = reverse("access:homelessness_history", args=[entry.participant_id])
    assert client_for(case_manager_b).get(url).status_code == 404
    response = client_for(case_manager_b).post(
        url,
        {
            "form": "stay",
            "stay-situation": "street",
            "stay-starts_on": TODAY.isoformat(),
            "stay-source": "worker",
        },
    )
    assert response.status_code == 404
    assert not LivingSituationPeriod.objects.exists()


@pytest.mark.django_db
def test_coordinated_access_consent_without_housing_is_not_enough(
    pinned, client_for, case_manager_a, case_manager_b, org_a, org_b
):
    """The history is housing information: a consent that shares coordinated access only does not open it."""
    entry = make_entry(case_manager_a, org_a)
    consent_for_access(case_manager_a, entry.participant, [org_b])
    url = reverse("access:homelessness_history", args=[entry.participant_id])
    assert client_for(case_manager_b).get(url).status_code == 404
    consent_for_access(
        case_manager_a,
        entry.participant,
        [org_b],
        categories=[Category.IDENTITY, Category.COORDINATED_ACCESS, Category.HOUSING],
    )
    assert client_for(case_manager_b).get(url).status_code == 200


@pytest.mark.django_db
def test_the_list_and_the_rank_show_the_evidence(pinned, client_for, case_manager_a, org_a):
    entry = make_entry(case_manager_a, org_a, legal_last_name="Tremblay")
    services.homelessness_history_record(
        actor=case_manager_a,
        participant=entry.participant,
        reported_on=TODAY,
        source="self_reported",
        living_situation="street",
        months_homeless_past_three_years=30,
    )
    client = client_for(case_manager_a)
    listing = client.get(reverse("access:by_name_list"))
    (row,) = [e for e in listing.context["page"] if e.pk == entry.pk]
    # The undated months: 911 nights in three years, 181 of them in the past year.
    assert any("911" in line and "181" in line for line in row.chronic_evidence_words)
    assert "911" in listing.content.decode()
    rank = client.get(reverse("access:rank_explanation", args=[entry.participant_id]))
    assert any("911" in line for line in rank.context["evidence"])
    assert "911" in rank.content.decode()
    assert ByNameEntry.objects.get(pk=entry.pk).is_chronic


# --- The API twin ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_records_and_reads_the_history(pinned, client_for, case_manager_a, case_manager_b, org_a):
    entry = make_entry(case_manager_a, org_a)
    url = f"/api/v1/participants/{entry.participant_id}/homelessness-history"
    client = client_for(case_manager_a)
    response = client.post(
        url,
        {
            "reported_on": TODAY.isoformat(),
            "source": "self_reported",
            "living_situation": "street",
            "times_homeless_past_three_years": "two",
            "months_homeless_past_three_years": 30,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["is_chronic"] is True
    assert body["homeless_days_past_three_years"] == 912
    assert body["histories"][0]["months_homeless_past_three_years"] == 30
    assert len(body["evidence"]) == 2
    response = client.post(
        f"{url}/stays",
        {"situation": "shelter", "source": "shelter", "starts_on": TODAY.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["stays"][0]["ends_on"] == TODAY.isoformat()
    # The by-name entry says what its figures were counted from.
    detail = client.get(f"/api/v1/by-name-list/{entry.participant_id}").json()
    assert detail["is_chronic"] is True
    assert len(detail["chronic_evidence"]) == 3
    # Bad input: 422 with the message in French (the default language).
    response = client.post(
        url,
        {"reported_on": TODAY.isoformat(), "source": "self_reported", "living_situation": "castle"},
        content_type="application/json",
    )
    assert response.status_code == 422
    with translation.override("fr-ca"):
        assert response.json()["errors"]["living_situation"] == [
            str(translation.gettext("Choose where the person stays now."))
        ]
    # Another organisation's worker: 404 on reading and on writing.
    other = client_for(case_manager_b)
    assert other.get(url).status_code == 404
    response = other.post(
        f"{url}/stays",
        {"situation": "shelter", "source": "shelter", "starts_on": TODAY.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert LivingSituationPeriod.objects.count() == 1
