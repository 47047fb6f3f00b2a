"""Pages of prioritisation: policy versions, drafts with their preview, activation, a person's profile and rank."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ancrage.access import services
from ancrage.access.models import ByNameEntry, ByNameStatus, PriorityPolicy
from ancrage.access.tests.factories import TEST_POLICY, consent_for_access, make_entry
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.housing.models import Area
from ancrage.people.tests.factories import member

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Today when the test runs (a module constant went stale when a run crossed midnight)."""
    return clock.today()


LIST = reverse("access:by_name_list")
POLICIES = reverse("access:policy_list")
NEW_POLICY = reverse("access:policy_create")

POLICY = TEST_POLICY


def _english(user):
    user.language = "en"
    user.save()
    return user


def _entry(actor, org, days_ago, acuity, *, name, **profile) -> ByNameEntry:
    entry = make_entry(
        actor,
        org,
        legal_last_name=name,
        entered_on=today() - datetime.timedelta(days=days_ago),
        date_of_birth=datetime.date(1970, 1, 1),
    )
    entry.acuity_score = acuity
    entry.acuity_max = 25
    entry.acuity_band = "housing_first_icm" if acuity >= 12 else "rapid_rehousing"
    for key, value in profile.items():
        setattr(entry, key, value)
    entry.save()
    return entry


def _activate(actor, text=POLICY) -> PriorityPolicy:
    policy = services.policy_draft_create(actor=actor, text=text)
    return services.policy_activate(actor=actor, policy=policy, reason="Adoptée par le comité")


@pytest.fixture
def world(program_manager_a, case_manager_a, case_manager_b, org_a, org_b):
    """In A: Chronique (low acuity, chronic, long on the list) and Aigu (high acuity); in B: Bélanger."""
    _english(program_manager_a)
    chronic = _entry(case_manager_a, org_a, 300, 6, name="Chronique", is_chronic=True)
    acute = _entry(case_manager_a, org_a, 10, 20, name="Aigu")
    other = _entry(case_manager_b, org_b, 20, 25, name="Bélanger")
    active = _activate(program_manager_a)
    draft = services.policy_draft_create(
        actor=program_manager_a, text=POLICY.replace("weight: 20", "weight: 60")
    )
    return {"chronic": chronic, "acute": acute, "other": other, "active": active, "draft": draft}


def _rank_url(entry) -> str:
    return reverse("access:rank_explanation", args=[entry.participant_id])


def _profile_url(entry) -> str:
    return reverse("access:profile_edit", args=[entry.participant_id])


def _detail_url(policy) -> str:
    return reverse("access:policy_detail", args=[policy.pk])


# --- who may open what --------------------------------------------------------------------------------


def test_every_page_renders_for_a_program_manager(client_for, program_manager_a, world):
    c = client_for(program_manager_a)
    for url in [
        POLICIES,
        NEW_POLICY,
        _detail_url(world["draft"]),
        _detail_url(world["active"]),
        _rank_url(world["acute"]),
        _profile_url(world["acute"]),
    ]:
        response = c.get(url)
        assert response.status_code == 200, url
        assert 'aria-label="Coordinated access"' in response.content.decode(), url


def test_policy_list_says_who_activated_what_and_why(client_for, program_manager_a, world):
    html = client_for(program_manager_a).get(POLICIES).content.decode()
    assert "Test priorities" in html
    assert "Adoptée par le comité" in html
    assert "Active" in html
    assert "Draft" in html
    assert "Acuity score (latest triage)" in html
    assert "Age at or above a threshold: 50 years" in html
    assert "Earliest on the list first" in html
    assert program_manager_a.display_name in html
    assert NEW_POLICY in html


def test_a_case_manager_reads_policies_but_does_not_write_them(client_for, case_manager_a, world):
    c = client_for(case_manager_a)
    response = c.get(POLICIES)
    assert response.status_code == 200
    assert NEW_POLICY not in response.content.decode()
    assert c.get(NEW_POLICY).status_code == 403
    detail = c.get(_detail_url(world["draft"]))
    assert detail.status_code == 200
    assert detail.context["preview"] is None
    assert detail.context["form"] is None
    activate = reverse("access:policy_activate", args=[world["draft"].pk])
    assert c.post(activate, {"reason": "Pourquoi pas"}).status_code == 403
    world["draft"].refresh_from_db()
    assert world["draft"].status == PriorityPolicy.Status.DRAFT


def test_roles_without_the_permissions_are_refused(client_for, org_a, housing_specialist, world):
    peer = member(org_a, Role.PEER_SUPPORT)
    c = client_for(peer)
    for url in [POLICIES, _detail_url(world["active"])]:
        assert c.get(url).status_code == 403, url
    # A person's rank and profile are their record: without the permission, 404 as for a file not seen.
    for url in [_rank_url(world["acute"]), _profile_url(world["acute"])]:
        assert c.get(url).status_code == 404, url
    # A housing specialist sees the list and ranks but does not edit a person's profile.
    assert client_for(housing_specialist).get(_profile_url(world["acute"])).status_code == 404


def test_people_of_another_organisation_without_consent_are_404(
    client_for, case_manager_a, case_manager_b, org_b, world
):
    c = client_for(case_manager_b)
    assert c.get(_rank_url(world["acute"])).status_code == 404
    assert c.get(_profile_url(world["acute"])).status_code == 404
    assert c.post(_profile_url(world["acute"]), {"household_type": "couple"}).status_code == 404
    consent_for_access(case_manager_a, world["acute"].participant, [org_b])
    assert c.get(_rank_url(world["acute"])).status_code == 200


def test_unknown_policy_is_404(client_for, program_manager_a, world):
    assert (
        client_for(program_manager_a).get(reverse("access:policy_detail", args=[999999])).status_code == 404
    )


# --- writing a draft ----------------------------------------------------------------------------------


def test_new_draft_starts_from_the_policy_in_force(client_for, program_manager_a, world):
    response = client_for(program_manager_a).get(NEW_POLICY)
    assert response.context["form"].initial["definition_text"] == POLICY


def test_bad_policy_text_keeps_the_text_and_names_line_and_field(client_for, program_manager_a, world):
    before = PriorityPolicy.objects.count()
    text = POLICY.replace("chronic", "astrology")
    response = client_for(program_manager_a).post(NEW_POLICY, {"definition_text": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Line 6" in html
    assert "factors[1].factor" in html
    assert "astrology" in html
    assert response.context["form"]["definition_text"].value() == text
    assert PriorityPolicy.objects.count() == before


def test_a_good_draft_is_saved_and_opens_on_its_preview(client_for, program_manager_a, world):
    response = client_for(program_manager_a).post(
        NEW_POLICY, {"definition_text": POLICY.replace("weight: 5", "weight: 7")}
    )
    policy = PriorityPolicy.objects.order_by("-version").first()
    assert policy.status == PriorityPolicy.Status.DRAFT
    assert response.status_code == 302
    assert response["Location"] == _detail_url(policy)


def test_draft_edit_errors_keep_the_text_and_change_nothing(client_for, program_manager_a, world):
    draft = world["draft"]
    text = POLICY + "colour: blue\n"
    response = client_for(program_manager_a).post(_detail_url(draft), {"definition_text": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "colour" in html
    assert "unknown field" in html
    assert response.context["form"]["definition_text"].value() == text
    draft.refresh_from_db()
    assert "colour" not in draft.definition_text


def test_draft_edit_saves(client_for, program_manager_a, world):
    draft = world["draft"]
    text = POLICY.replace("Test priorities", "Revised priorities")
    response = client_for(program_manager_a).post(_detail_url(draft), {"definition_text": text})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title["en"] == "Revised priorities"
    assert draft.definition_text == text


def test_an_active_policy_cannot_be_edited(client_for, program_manager_a, world):
    active = world["active"]
    response = client_for(program_manager_a).post(_detail_url(active), {"definition_text": "title: x"})
    assert response.status_code == 302
    active.refresh_from_db()
    assert active.definition_text == POLICY


# --- preview and activation ---------------------------------------------------------------------------


def test_preview_shows_who_moves_and_why_among_visible_people(client_for, program_manager_a, world):
    response = client_for(program_manager_a).get(_detail_url(world["draft"]))
    preview = response.context["preview"]
    # Chronic weighs three times more: Chronique goes from third to first, the two others down one place.
    assert preview["counts"] == {"up": 1, "down": 2, "same": 0, "new": 0, "total": 3}
    names = [row["entry"].participant.legal_last_name for row in preview["rows"]]
    assert names == ["Chronique", "Aigu"]
    html = response.content.decode()
    assert "Bélanger" not in html
    assert "up 2 places" in html
    assert "down 1 place" in html
    assert "Chronically homeless: 20 → 60 points" in html
    assert "3 → 1" in html


def test_activation_needs_a_reason(client_for, program_manager_a, world):
    draft = world["draft"]
    url = reverse("access:policy_activate", args=[draft.pk])
    response = client_for(program_manager_a).post(url, {"reason": "  "}, follow=True)
    assert "Say why this policy replaces the one in force." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == PriorityPolicy.Status.DRAFT
    assert client_for(program_manager_a).get(url).status_code == 405


def test_activation_replaces_the_policy_and_reranks(client_for, program_manager_a, world):
    draft = world["draft"]
    url = reverse("access:policy_activate", args=[draft.pk])
    response = client_for(program_manager_a).post(url, {"reason": "Vote du comité du 3 mars"}, follow=True)
    assert response.redirect_chain[-1][0] == _detail_url(draft)
    assert "is now the policy in force" in response.content.decode()
    draft.refresh_from_db()
    world["active"].refresh_from_db()
    assert draft.status == PriorityPolicy.Status.ACTIVE
    assert draft.activation_reason == "Vote du comité du 3 mars"
    assert world["active"].status == PriorityPolicy.Status.RETIRED
    world["chronic"].refresh_from_db()
    assert world["chronic"].priority_rank == 1
    # Activating it again is refused with a message.
    again = client_for(program_manager_a).post(url, {"reason": "Encore"}, follow=True)
    assert "Only a draft can be activated." in again.content.decode()


# --- a person's rank and profile ----------------------------------------------------------------------


def test_rank_explanation_says_why(client_for, program_manager_a, world):
    acute = world["acute"]
    ByNameEntry.objects.filter(pk=acute.pk).update(
        needs_conference=True, needs_conference_reason="No eligible option", needs_conference_since=today()
    )
    c = client_for(program_manager_a)
    html = c.get(_rank_url(acute)).content.decode()
    assert "Rank 2 of 3 under policy v1 (Test priorities)" in html
    assert "Acuity score (latest triage)" in html
    assert ">32<" in html  # 20 / 25 × 40 points
    assert "Earliest on the list first" in html
    assert "Case conference" in html
    assert "No eligible option" in html
    assert "Housing First with intensive case management (ICM)" in html
    fragment = c.get(_rank_url(acute), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert "Rank 2 of 3" in fragment


def test_rank_explanation_of_someone_not_ranked(client_for, program_manager_a, case_manager_a, world):
    services.by_name_status_change(
        actor=case_manager_a, entry=world["acute"], status=ByNameStatus.HOUSED, reason="Logé"
    )
    services.ranks_recompute()
    html = client_for(program_manager_a).get(_rank_url(world["acute"])).content.decode()
    assert "Not ranked." in html
    assert "Only people active on the list are ranked" in html


def test_profile_bad_values_change_nothing(client_for, program_manager_a, world):
    acute = world["acute"]
    verdun = Area.objects.get(name_fr="Verdun")
    response = client_for(program_manager_a).post(
        _profile_url(acute),
        {"household_type": "castle", "flags": ["astrology"], "preferred_areas": [verdun.pk]},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"household_type", "flags"}
    assert response.context["form"]["preferred_areas"].value() == [str(verdun.pk)]
    acute.refresh_from_db()
    assert acute.household_type == "single"
    assert acute.flags == []
    assert acute.preferred_areas == []


def test_profile_saves(client_for, program_manager_a, world):
    acute = world["acute"]
    verdun = Area.objects.get(name_fr="Verdun")
    hochelaga = Area.objects.get(name_fr="Hochelaga-Maisonneuve")
    response = client_for(program_manager_a).post(
        _profile_url(acute),
        {
            "household_type": "couple",
            "income_sources": ["social_assistance", "employment"],
            "accessibility_needs": ["elevator"],
            "flags": ["medical_vulnerability"],
            "preferred_unit_kinds": ["scattered_site"],
            "preferred_areas": [verdun.pk, hochelaga.pk],
        },
    )
    assert response.status_code == 302
    acute.refresh_from_db()
    assert acute.household_type == "couple"
    assert acute.income_sources == ["employment", "social_assistance"]
    assert acute.accessibility_needs == ["elevator"]
    assert acute.flags == ["medical_vulnerability"]
    assert acute.preferred_unit_kinds == ["scattered_site"]
    assert acute.preferred_areas == sorted([verdun.pk, hochelaga.pk])
    # The form opens again on what was saved; no field for typed neighbourhoods when there are none.
    again = client_for(program_manager_a).get(_profile_url(acute))
    assert again.context["form"].initial["preferred_areas"] == sorted([verdun.pk, hochelaga.pk])
    assert "preferred_neighbourhoods" not in again.context["form"].fields


def test_profile_keeps_typed_neighbourhoods_until_cleared(client_for, program_manager_a, world):
    acute = world["acute"]
    ByNameEntry.objects.filter(pk=acute.pk).update(preferred_neighbourhoods=["Quelque part"])
    page = client_for(program_manager_a).get(_profile_url(acute))
    assert page.context["form"].initial["preferred_neighbourhoods"] == "Quelque part"
    response = client_for(program_manager_a).post(
        _profile_url(acute), {"household_type": "single", "preferred_neighbourhoods": ""}
    )
    assert response.status_code == 302
    acute.refresh_from_db()
    assert acute.preferred_neighbourhoods == []


def test_profile_refuses_an_unknown_area(client_for, program_manager_a, world):
    acute = world["acute"]
    retired = Area.objects.create(name_fr="Ancien quartier", kind="borough", is_active=False)
    response = client_for(program_manager_a).post(
        _profile_url(acute), {"household_type": "single", "preferred_areas": [retired.pk]}
    )
    assert response.status_code == 200
    assert "preferred_areas" in response.context["form"].errors
    acute.refresh_from_db()
    assert acute.preferred_areas == []


# --- the by-name list and the monthly flow ------------------------------------------------------------


def test_list_sorts_by_rank_with_the_unranked_last(
    client_for, program_manager_a, case_manager_a, org_a, world
):
    housed = _entry(case_manager_a, org_a, 5, 10, name="Logé")
    services.by_name_status_change(
        actor=case_manager_a, entry=housed, status=ByNameStatus.HOUSED, reason="Logé"
    )
    services.ranks_recompute()
    response = client_for(program_manager_a).get(LIST, {"sort": "rank", "status": ""})
    names = [e.participant.legal_last_name for e in response.context["page"]]
    assert names == ["Aigu", "Chronique", "Logé"]
    html = response.content.decode()
    assert 'aria-sort="ascending"' in html
    assert _rank_url(world["acute"]) in html
    assert "Not ranked" in html
    assert "Housing First with intensive case management (ICM)" in html


def test_list_flags_people_for_case_conference(client_for, program_manager_a, world):
    ByNameEntry.objects.filter(pk=world["chronic"].pk).update(
        needs_conference=True, needs_conference_reason="Declined three matches"
    )
    html = client_for(program_manager_a).get(LIST).content.decode()
    assert "Case conference" in html
    assert "Declined three matches" in html


def _fill(actor, org, start, stop):
    for i in range(start, stop):
        make_entry(actor, org, legal_first_name=f"P{i}", worker=member(org))
    services.ranks_recompute()


def test_the_list_costs_the_same_queries_for_5_and_40_entries(
    client_for, program_manager_a, case_manager_a, org_a, settings, django_assert_max_num_queries
):
    settings.ANCRAGE = {**settings.ANCRAGE, "PAGE_SIZE": 50}
    _activate(program_manager_a)
    c = client_for(program_manager_a)
    _fill(case_manager_a, org_a, 0, 5)
    # 11: the page's queries and one INSERT of the reads of the people it shows, however many they are.
    with django_assert_max_num_queries(11) as small:
        assert len(c.get(LIST, {"sort": "rank"}).context["page"].object_list) == 5
    _fill(case_manager_a, org_a, 5, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(c.get(LIST, {"sort": "rank"}).context["page"].object_list) == 40


def test_the_preview_costs_the_same_queries_for_5_and_40_entries(
    client_for, program_manager_a, case_manager_a, org_a, django_assert_max_num_queries
):
    _activate(program_manager_a)
    draft = services.policy_draft_create(
        actor=program_manager_a, text=POLICY.replace("weight: 40", "weight: 1")
    )
    c = client_for(program_manager_a)
    _fill(case_manager_a, org_a, 0, 5)
    with django_assert_max_num_queries(10):
        assert c.get(_detail_url(draft)).status_code == 200
    _fill(case_manager_a, org_a, 5, 40)
    with django_assert_max_num_queries(10):
        response = c.get(_detail_url(draft))
    assert response.context["preview"]["counts"]["total"] == 40


def test_flow_shows_placements_against_the_goal(
    client_for, program_manager_a, case_manager_a, settings, world
):
    # A threshold of 1 hides no count: the figures of one person are shown here.
    settings.ANCRAGE = {**settings.ANCRAGE, "MONTHLY_PLACEMENT_GOAL": 1, "SMALL_COUNT_THRESHOLD": 1}
    services.by_name_status_change(
        actor=case_manager_a, entry=world["acute"], status=ByNameStatus.HOUSED, reason="Logé"
    )
    response = client_for(program_manager_a).get(reverse("access:flow"))
    months = response.context["months"]
    assert months[-1]["placements"].value == 1
    assert months[-1]["goal_met"] is True
    assert months[-2]["goal_met"] is False
    chart = response.context["chart"]
    assert chart["series"][3]["data"][-1] == 1
    assert chart["series"][4]["data"] == [1] * 12
    html = response.content.decode()
    assert "Placement goal: 1 person housed a month." in html
    assert "This month: 1 housed, goal met." in html
    assert "Not met" in html
