"""Finding probable duplicates: accents, nicknames, aliases, identifiers, typing slips; and saying why."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from ancrage.people import selectors, services
from ancrage.people.duplicates import Probe, find_matches, same_given_name
from ancrage.people.models import Participant
from ancrage.people.tests.factories import make_participant
from ancrage.people.tests.helpers import fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db

DOB = datetime.date(1975, 4, 12)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Éloïse", "eloise"),
        ("ÉLOÏSE", "Eloïse"),
        ("Bob", "Robert"),
        ("robert", "Bobby"),
        ("Ti-Jos", "Joseph"),
        ("Jos", "Joseph"),
        ("François", "Frank"),
        ("Jean-François", "JF"),
        ("Catherine", "Cathy"),
    ],
)
def test_same_given_name(a, b):
    assert same_given_name(a, b)
    assert same_given_name(b, a)


@pytest.mark.parametrize(("a", "b"), [("Marie", "Pierre"), ("", "Jean"), ("Joseph", "Josée"), ("Robert", "")])
def test_different_given_names(a, b):
    assert not same_given_name(a, b)


def matches_for(user, **probe):
    with translation.override("en"):
        return find_matches(Probe(**probe), selectors.participants_visible_to(user))


def only(matches, participant):
    found = [m for m in matches if m.participant.pk == participant.pk]
    assert found, [m.participant for m in matches]
    return found[0]


@pytest.mark.smoke
def test_accent_and_case_do_not_hide_a_match(case_manager_a, participant_a):
    m = only(
        matches_for(case_manager_a, first_name="ELOISE", last_name="gagnon", date_of_birth=DOB), participant_a
    )
    assert m.reasons == ["Same last name", "Same first name or a nickname of it", "Same date of birth"]
    assert m.score >= 90


@pytest.mark.parametrize(
    ("existing", "typed"),
    [("Robert", "Bob"), ("Joseph", "Ti-Jos"), ("Bob", "Robert"), ("Alexandre", "Ti-Alex")],
)
def test_nickname_matches(existing, typed, case_manager_a, org_a):
    p = make_participant(case_manager_a, org_a, legal_first_name=existing, legal_last_name="Lavoie")
    m = only(matches_for(case_manager_a, first_name=typed, last_name="Lavoie"), p)
    assert "Same first name or a nickname of it" in m.reasons


def test_preferred_name_counts_as_a_first_name(case_manager_a, org_a):
    p = make_participant(
        case_manager_a, org_a, legal_first_name="Joseph", preferred_name="Ti-Jos", legal_last_name="Lavoie"
    )
    m = only(matches_for(case_manager_a, first_name="Ti-Jos", last_name="Lavoie"), p)
    assert "Same first name or a nickname of it" in m.reasons


def test_alias_match(case_manager_a, org_a):
    p = make_participant(
        case_manager_a, org_a, legal_first_name="Luc", legal_last_name="Bouchard", aliases=["Ti-Loup"]
    )
    m = only(matches_for(case_manager_a, first_name="Marc", last_name="Bouchard", aliases=["ti loup"]), p)
    assert "Matches a known alias" in m.reasons
    # A street name typed as the first name finds the file too.
    m = only(matches_for(case_manager_a, first_name="Ti-Loup", last_name="Bouchard"), p)
    assert "Matches a known alias" in m.reasons


def test_identifier_match_alone_is_enough(case_manager_a, org_a):
    p = make_participant(
        case_manager_a,
        org_a,
        legal_first_name="Luc",
        legal_last_name="Bouchard",
        identifiers=[("hifis", "HF-20931")],
    )
    m = only(matches_for(case_manager_a, first_name="Xavier", last_name="Zed", identifiers=["hf-20931"]), p)
    assert m.reasons == ["Same identifier"]
    assert m.score >= 100


@pytest.mark.parametrize(
    ("typed_dob", "reason"),
    [
        (datetime.date(1975, 12, 4), "Same date of birth with day and month swapped"),
        (datetime.date(1976, 4, 12), "Date of birth differs by one part (a typing slip?)"),
        (datetime.date(1975, 4, 13), "Date of birth differs by one part (a typing slip?)"),
    ],
    ids=["day-month-swapped", "year-off", "day-off"],
)
def test_date_of_birth_typing_slip(typed_dob, reason, case_manager_a, participant_a):
    m = only(
        matches_for(case_manager_a, first_name="Marie", last_name="Gagnon", date_of_birth=typed_dob),
        participant_a,
    )
    assert reason in m.reasons
    assert "Same date of birth" not in m.reasons


def test_similar_last_name(case_manager_a, org_a):
    p = make_participant(case_manager_a, org_a, legal_first_name="Jean", legal_last_name="Gagnon")
    m = only(matches_for(case_manager_a, first_name="Jean", last_name="Gagnonn", date_of_birth=DOB), p)
    assert any(r.startswith("Similar last name") for r in m.reasons)


def test_spelling_of_last_name_does_not_hide_a_match(case_manager_a, org_a):
    p = make_participant(case_manager_a, org_a, legal_first_name="Jean", legal_last_name="Tremblay")
    only(matches_for(case_manager_a, first_name="Jean", last_name="Tremblé", date_of_birth=DOB), p)


def test_a_different_person_is_not_shown(case_manager_a, participant_a):
    assert (
        matches_for(
            case_manager_a, first_name="Marc", last_name="Dubois", date_of_birth=datetime.date(1990, 1, 1)
        )
        == []
    )


def test_best_match_first(case_manager_a, org_a, participant_a):
    weaker = make_participant(
        case_manager_a,
        org_a,
        legal_first_name="Eloise",
        legal_last_name="Gagnon",
        date_of_birth=None,
        dob_quality="refused",
    )
    matches = matches_for(case_manager_a, first_name="Éloïse", last_name="Gagnon", date_of_birth=DOB)
    assert [m.participant.pk for m in matches] == [participant_a.pk, weaker.pk]
    assert matches[0].score > matches[1].score


def test_only_files_the_user_may_see_are_candidates(case_manager_b, participant_a):
    """A match in another organisation must not reveal that the person is known there."""
    assert matches_for(case_manager_b, first_name="Éloïse", last_name="Gagnon", date_of_birth=DOB) == []


def test_reasons_follow_the_language(case_manager_a, participant_a):
    with translation.override("en"):
        en = find_matches(
            Probe(first_name="Eloise", last_name="Gagnon"), selectors.participants_visible_to(case_manager_a)
        )
    assert en[0].reasons == ["Same last name", "Same first name or a nickname of it"]
    assert all(isinstance(r, str) for r in en[0].reasons)


def test_merged_files_are_not_candidates(case_manager_a, program_manager_a, org_a, participant_a):
    dup = make_participant(case_manager_a, org_a, legal_first_name="Eloise", legal_last_name="Gagnon")
    services.participant_merge(actor=program_manager_a, kept=participant_a, merged=dup)
    matches = matches_for(case_manager_a, first_name="Eloise", last_name="Gagnon", date_of_birth=DOB)
    assert [m.participant.pk for m in matches] == [participant_a.pk]


# --- decisions --------------------------------------------------------------------------------------------


@pytest.fixture
def pair(case_manager_a, org_a, participant_a):
    return participant_a, make_participant(
        case_manager_a, org_a, legal_first_name="Eloise", legal_last_name="Gagnon"
    )


def _duplicates_of(user, p):
    return [
        m.participant.pk
        for m in find_matches(
            Probe.from_participant(p), selectors.participants_visible_to(user), exclude_pk=p.pk
        )
    ]


def test_not_same_decision_hides_the_pair_both_ways(pair, program_manager_a):
    a, b = pair
    assert _duplicates_of(program_manager_a, a) == [b.pk]
    assert _duplicates_of(program_manager_a, b) == [a.pk]
    services.duplicate_decide(
        actor=program_manager_a, first=b, second=a, decision="not_same", reason="Autre mère"
    )
    assert _duplicates_of(program_manager_a, a) == []
    assert _duplicates_of(program_manager_a, b) == []


def test_linked_decision_keeps_the_pair_visible(pair, program_manager_a):
    a, b = pair
    services.duplicate_decide(actor=program_manager_a, first=a, second=b, decision="linked")
    assert _duplicates_of(program_manager_a, a) == [b.pk]


def test_duplicates_page_shows_reasons_and_forgets_a_not_same_pair(pair, program_manager_a, client_for):
    a, b = pair
    c = client_for(program_manager_a)
    program_manager_a.language = "en"
    program_manager_a.save(update_fields=["language"])
    page = c.get(reverse("people:duplicates", args=[a.pk])).content.decode()
    assert b.community_id in page
    assert "Same first name or a nickname of it" in page
    response = c.post(
        reverse("people:merge", args=[a.pk, b.pk]), {"decision": "not_same", "reason": "Autre mère"}
    )
    assert response.status_code == 302
    assert b.community_id not in c.get(reverse("people:duplicates", args=[a.pk])).content.decode()


def test_merge_from_the_page_needs_a_reason(pair, program_manager_a, client_for):
    a, b = pair
    response = client_for(program_manager_a).post(
        reverse("people:merge", args=[a.pk, b.pk]), {"decision": "merge"}
    )
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.merged_into_id is None


def test_merge_and_undo_from_the_page(pair, program_manager_a, client_for):
    a, b = pair
    c = client_for(program_manager_a)
    c.post(reverse("people:merge", args=[a.pk, b.pk]), {"decision": "merge", "reason": "Même personne"})
    b.refresh_from_db()
    assert b.merged_into_id == a.pk
    merge = a.merges_kept.get()
    assert c.post(reverse("people:merge_undo", args=[merge.pk])).status_code == 302
    assert Participant.objects.get(pk=b.pk).merged_into_id is None


def test_unknown_decision_is_404(pair, program_manager_a, client_for):
    a, b = pair
    response = client_for(program_manager_a).post(
        reverse("people:merge", args=[a.pk, b.pk]), {"decision": "delete", "reason": "x"}
    )
    assert response.status_code == 404


def test_accent_slip_in_last_name_is_a_similar_last_name(case_manager_a, org_a):
    p = make_participant(case_manager_a, org_a, legal_first_name="Robert", legal_last_name="Tremblay")
    m = only(matches_for(case_manager_a, first_name="Bob", last_name="Tremblé"), p)
    assert any(r.startswith("Similar last name") for r in m.reasons)


def test_files_of_two_organisations_are_linked_not_merged(client, org_a, org_b, partner_org):
    """A coordinated-access worker sees both files through consent: they may link them, not merge them."""
    from ancrage.core.permissions import Role
    from ancrage.people.tests.factories import member, share

    a_worker = member(org_a, Role.TEAM_LEAD)
    b_worker = member(org_b, Role.TEAM_LEAD)
    first = make_participant(a_worker, org_a, legal_first_name="Robert", legal_last_name="Tremblay")
    second = make_participant(b_worker, org_b, legal_first_name="Bob", legal_last_name="Tremblay")
    share(b_worker, second, [org_a], ["identity"])
    client.force_login(a_worker)
    with translation.override("en"):
        page = client.get(reverse("people:duplicates", args=[first.pk])).content.decode()
    assert f"/participants/{second.pk}/" in page
    assert 'value="merge"' not in page
    assert 'value="linked"' in page
