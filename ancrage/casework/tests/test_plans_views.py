"""Recovery plan pages: read, start, edit (two editors at once), goals and steps, the supervisor's review,
another organisation, both languages, constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ancrage.casework.models import Enrollment, Goal, PlanReview, RecoveryPlan, Step
from ancrage.casework.plans import services as svc
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.people.tests.factories import member, share

from .plans_helpers import enroll

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(case_manager_a, participant_a):
    enrollment = enroll(case_manager_a, participant_a)
    plan = svc.plan_create(actor=case_manager_a, enrollment=enrollment)
    goal = svc.goal_add(
        actor=case_manager_a, plan=plan, words="Avoir un chien", stage="contemplation", domain="daily_life"
    )
    svc.step_add(actor=case_manager_a, goal=goal, description="Demander au proprio", who="participant")
    plan.refresh_from_db()
    return plan


def url(name, participant, *args):
    return reverse(f"casework:{name}", args=[participant.pk, *args])


def test_plan_page_shows_the_plan_and_audits_the_read(client_for, case_manager_a, participant_a, plan):
    response = client_for(case_manager_a).get(url("plan", participant_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr' in html
    assert "<q>Avoir un chien</q>" in html
    assert "Demander au proprio" in html
    assert reverse("casework:plan_pdf", args=[participant_a.pk]) in html
    assert reverse("casework:plan_edit", args=[participant_a.pk]) in html
    # A case manager does not sign off.
    assert reverse("casework:plan_review", args=[participant_a.pk]) not in html
    assert AuditEntry.objects.filter(
        action="casework.plan.viewed", participant=participant_a, object_id=str(plan.pk), is_read=True
    ).exists()


def test_plan_page_in_english(client_for, case_manager_a, participant_a, plan):
    case_manager_a.language = "en"
    case_manager_a.save()
    RecoveryPlan.objects.filter(pk=plan.pk).update(due_on=clock.today() - datetime.timedelta(days=3))
    html = client_for(case_manager_a).get(url("plan", participant_a)).content.decode()
    assert "Recovery plan" in html
    assert "Overdue:" in html
    assert "Stage of change:" in html
    assert '<html lang="en' in html


def test_overdue_warning_only_while_not_completed(client_for, case_manager_a, participant_a, plan):
    RecoveryPlan.objects.filter(pk=plan.pk).update(due_on=clock.today() - datetime.timedelta(days=3))
    c = client_for(case_manager_a)
    assert "alert-warning" in c.get(url("plan", participant_a)).content.decode()
    svc.plan_update(
        actor=case_manager_a, plan=plan, revision=plan.revision, crisis_strategies="Appeler Marie"
    )
    plan.refresh_from_db()
    assert plan.first_completed_on == clock.today()
    assert "alert-warning" not in c.get(url("plan", participant_a)).content.decode()


def test_review_due_warning(client_for, case_manager_a, participant_a):
    enrollment = enroll(case_manager_a, participant_a, on=clock.today() - datetime.timedelta(days=400))
    svc.plan_create(actor=case_manager_a, enrollment=enrollment)
    html = client_for(case_manager_a).get(url("plan", participant_a)).content.decode()
    # Never reviewed: due 12 months after enrollment, a month past: late, not merely due (issue 12).
    assert html.count('class="alert alert-warning"') == 1  # the plan is overdue
    assert html.count('class="alert alert-danger"') == 1  # the review is a month late


def test_start_the_plan(client_for, case_manager_a, participant_a):
    enrollment = enroll(case_manager_a, participant_a, on=datetime.date(2027, 6, 18))
    c = client_for(case_manager_a)
    html = c.get(url("plan", participant_a)).content.decode()
    assert reverse("casework:plan_start", args=[participant_a.pk]) in html
    response = c.post(url("plan_start", participant_a))
    assert response.status_code == 302
    plan = RecoveryPlan.objects.get(enrollment=enrollment)
    assert plan.due_on == datetime.date(2027, 7, 6)
    # Starting twice is harmless.
    assert c.post(url("plan_start", participant_a)).status_code == 302
    assert RecoveryPlan.objects.count() == 1


def test_start_without_enrollment_says_so(client_for, case_manager_a, participant_a):
    c = client_for(case_manager_a)
    html = c.get(url("plan", participant_a)).content.decode()
    assert reverse("casework:plan_start", args=[participant_a.pk]) not in html
    response = c.post(url("plan_start", participant_a), follow=True)
    assert RecoveryPlan.objects.count() == 0
    assert "inscri" in response.content.decode().lower() or "enroll" in response.content.decode().lower()


def test_start_is_a_post(client_for, case_manager_a, participant_a):
    enroll(case_manager_a, participant_a)
    assert client_for(case_manager_a).get(url("plan_start", participant_a)).status_code == 405


def test_edit_saves_with_current_revision(client_for, case_manager_a, participant_a, plan):
    c = client_for(case_manager_a)
    html = c.get(url("plan_edit", participant_a)).content.decode()
    assert f'name="revision" value="{plan.revision}"' in html
    response = c.post(
        url("plan_edit", participant_a),
        {"revision": plan.revision, "strengths": "Je dessine", "crisis_strategies": "Marcher au parc"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.strengths == "Je dessine"
    assert plan.first_completed_on is not None


def test_two_editors_the_second_is_told_and_keeps_their_text(
    client_for, case_manager_a, participant_a, plan, org_a
):
    colleague = member(org_a, Role.CASE_MANAGER)
    opened = plan.revision
    svc.plan_update(actor=colleague, plan=plan, revision=opened, strengths="Version de la collègue")
    response = client_for(case_manager_a).post(
        url("plan_edit", participant_a), {"revision": opened, "strengths": "Ma version à moi"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert colleague.display_name in html
    assert "Ma version à moi" in html  # what they typed, shown back
    assert "Version de la collègue" in html  # the plan as it is now
    plan.refresh_from_db()
    assert plan.strengths == "Version de la collègue"
    # The form now carries the current revision: saving again after comparing is deliberate.
    assert f'name="revision" value="{plan.revision}"' in html


def test_goal_add_and_review_before_start_refused(client_for, case_manager_a, participant_a, plan):
    c = client_for(case_manager_a)
    bad = {"words": "Reprendre l'école", "stage": "preparation", "domain": "work", "starts_on": "2026-05-10"}
    response = c.post(url("goal_add", participant_a), bad | {"review_on": "2026-05-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Reprendre l" in html
    assert not Goal.objects.filter(words="Reprendre l'école").exists()
    response = c.post(url("goal_add", participant_a), bad | {"review_on": "2026-08-01"})
    assert response.status_code == 302
    goal = Goal.objects.get(words="Reprendre l'école")
    assert goal.stage == "preparation"
    assert response["Location"].endswith(f"#goal-{goal.pk}")


def test_goal_edit_step_add_step_edit(client_for, case_manager_a, participant_a, plan):
    c = client_for(case_manager_a)
    goal = plan.goals.get()
    response = c.post(
        url("goal_edit", participant_a, goal.pk),
        {
            "words": goal.words,
            "stage": "action",
            "status": "active",
            "domain": goal.domain,
            "starts_on": goal.starts_on.isoformat(),
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.stage == "action"
    response = c.post(
        url("step_add", participant_a, goal.pk),
        {"description": "Aller à l'animalerie", "who": "both", "target_on": "2099-01-01"},
    )
    assert response.status_code == 302
    step = Step.objects.get(description="Aller à l'animalerie")
    today = clock.today().isoformat()
    response = c.post(
        url("step_edit", participant_a, step.pk),
        {"description": step.description, "who": "both", "done_on": today},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done_on == clock.today()


def test_step_in_the_future_done_is_refused(client_for, case_manager_a, participant_a, plan):
    step = Step.objects.get(goal__plan=plan)
    response = client_for(case_manager_a).post(
        url("step_edit", participant_a, step.pk),
        {"description": step.description, "who": step.who, "done_on": "2999-01-01"},
    )
    assert response.status_code == 200
    step.refresh_from_db()
    assert step.done_on is None


def test_goal_of_another_plan_is_404(client_for, case_manager_a, participant_a, plan, org_a):
    from ancrage.people.tests.factories import make_participant

    other = make_participant(case_manager_a, org_a, legal_first_name="Paul", legal_last_name="Roy")
    other_plan = svc.plan_create(actor=case_manager_a, enrollment=enroll(case_manager_a, other))
    other_goal = svc.goal_add(actor=case_manager_a, plan=other_plan, words="Autre", stage="action")
    c = client_for(case_manager_a)
    assert c.get(url("goal_edit", participant_a, other_goal.pk)).status_code == 404
    assert c.get(url("step_add", participant_a, other_goal.pk)).status_code == 404


def test_review_by_team_lead_only(client_for, case_manager_a, participant_a, plan, org_a):
    assert client_for(case_manager_a).get(url("plan_review", participant_a)).status_code == 404
    lead = member(org_a, Role.TEAM_LEAD)
    c = client_for(lead)
    assert (
        reverse("casework:plan_review", args=[participant_a.pk])
        in c.get(url("plan", participant_a)).content.decode()
    )
    response = c.post(
        url("plan_review", participant_a),
        {"reviewed_on": clock.today().isoformat(), "comment": "Bien"},
    )
    assert response.status_code == 302
    review = PlanReview.objects.get()
    assert review.reviewed_by == lead
    assert review.comment == "Bien"
    html = c.get(url("plan", participant_a)).content.decode()
    assert lead.display_name in html


def test_another_organisation_gets_404(client_for, case_manager_b, participant_a, plan, org_b):
    manager_b = member(org_b, Role.PROGRAM_MANAGER)
    for user in (case_manager_b, manager_b):
        c = client_for(user)
        for name in ("plan", "plan_edit", "plan_pdf", "goal_add"):
            assert c.get(url(name, participant_a)).status_code == 404, name


def test_consent_opens_reading_not_writing(
    client_for, case_manager_a, case_manager_b, participant_a, plan, org_b
):
    share(case_manager_a, participant_a, [org_b], [Category.IDENTITY, Category.CASE_NOTES])
    c = client_for(case_manager_b)
    response = c.get(url("plan", participant_a))
    assert response.status_code == 200
    assert reverse("casework:plan_edit", args=[participant_a.pk]) not in response.content.decode()
    assert c.get(url("plan_edit", participant_a)).status_code == 404
    assert (
        c.post(url("plan_edit", participant_a), {"revision": plan.revision, "strengths": "x"}).status_code
        == 404
    )
    plan.refresh_from_db()
    assert plan.strengths == ""


def test_consent_without_case_notes_is_404(
    client_for, case_manager_a, case_manager_b, participant_a, plan, org_b
):
    share(case_manager_a, participant_a, [org_b], [Category.IDENTITY])
    assert client_for(case_manager_b).get(url("plan", participant_a)).status_code == 404


def test_exited_enrollment_plan_is_read_only(client_for, case_manager_a, participant_a, plan):
    Enrollment.objects.filter(pk=plan.enrollment_id).update(status=Enrollment.Status.EXITED)
    c = client_for(case_manager_a)
    html = c.get(url("plan", participant_a)).content.decode()
    assert "Avoir un chien" in html
    assert reverse("casework:plan_edit", args=[participant_a.pk]) not in html
    assert c.get(url("plan_edit", participant_a)).status_code == 404


def _grow(plan, actor, goals: int, steps: int) -> None:
    for g in range(goals):
        goal = svc.goal_add(actor=actor, plan=plan, words=f"But {g}", stage="action")
        for s in range(steps):
            svc.step_add(actor=actor, goal=goal, description=f"Étape {s}", who="both")
    svc.plan_review(actor=member(plan.participant.organisation, Role.TEAM_LEAD), plan=plan)


@pytest.mark.parametrize("size", [1, 8])
def test_plan_page_queries_are_constant(
    size, client_for, case_manager_a, participant_a, plan, django_assert_max_num_queries
):
    _grow(plan, case_manager_a, size, size)
    c = client_for(case_manager_a)
    c.get(url("plan", participant_a))  # warm the session
    with django_assert_max_num_queries(14):  # one for the plans of other enrollments (issue 12)
        response = c.get(url("plan", participant_a))
    assert response.status_code == 200
    assert f"But {size - 1}" in response.content.decode()


def test_step_done_today_in_one_tap_keeps_the_step(client_for, case_manager_a, participant_a, plan):
    step = Step.objects.get(goal__plan=plan)
    svc.step_update(actor=case_manager_a, step=step, target_on=datetime.date(2099, 1, 2))
    c = client_for(case_manager_a)
    html = c.get(url("plan", participant_a)).content.decode()
    assert 'name="done_on" value="' + clock.today().isoformat() + '"' in html
    response = c.post(
        url("step_edit", participant_a, step.pk),
        {
            "description": step.description,
            "who": step.who,
            "target_on": "2099-01-02",
            "review_on": "",
            "done_on": clock.today().isoformat(),
        },
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done_on == clock.today()
    assert step.target_on == datetime.date(2099, 1, 2)
    assert step.description == "Demander au proprio"


# --- the save after a conflict (issue 12, part 3) ----------------------------------------------------------


def _conflict(client, participant, opened, typed):
    response = client.post(url("plan_edit", participant), {"revision": opened, **typed})
    assert response.status_code == 200
    return response.content.decode()


def test_second_save_after_conflict_is_refused_until_the_editor_chooses(
    client_for, case_manager_a, participant_a, plan, org_a
):
    colleague = member(org_a, Role.CASE_MANAGER)
    opened = plan.revision
    svc.plan_update(actor=colleague, plan=plan, revision=opened, strengths="Version de la collègue")
    c = client_for(case_manager_a)
    # The editor changed another part; the form still holds the old strengths (empty).
    typed = {"strengths": "", "interests": "La musique"}
    html = _conflict(c, participant_a, opened, typed)
    assert 'id="merge-strengths"' in html  # the colleague's change, beside the editor's text
    assert 'id="merge-interests"' in html
    assert "Version de la collègue" in html
    plan.refresh_from_db()
    seen = plan.revision
    # Pressing Save again as is: refused the same way, nothing of the colleague's lost.
    again = c.post(url("plan_edit", participant_a), {"revision": seen, "merging": "True", **typed})
    assert again.status_code == 200
    html = again.content.decode()
    assert "Choisissez le texte à garder" in html
    assert "Version de la collègue" in html
    plan.refresh_from_db()
    assert plan.revision == seen
    assert plan.strengths == "Version de la collègue"
    assert plan.interests == ""
    # Choosing theirs for the colleague's part and mine for my own: both kept.
    done = c.post(
        url("plan_edit", participant_a),
        {"revision": seen, "merging": "True", "keep_strengths": "theirs", "keep_interests": "mine", **typed},
    )
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.strengths == "Version de la collègue"
    assert plan.interests == "La musique"


def test_merge_keeping_mine_overwrites_only_by_choice(client_for, case_manager_a, participant_a, plan, org_a):
    colleague = member(org_a, Role.CASE_MANAGER)
    opened = plan.revision
    svc.plan_update(actor=colleague, plan=plan, revision=opened, strengths="Version de la collègue")
    c = client_for(case_manager_a)
    html = _conflict(c, participant_a, opened, {"strengths": "Ma version"})
    assert 'id="merge-interests"' not in html  # a part nobody changed asks nothing
    plan.refresh_from_db()
    c.post(
        url("plan_edit", participant_a),
        {"revision": plan.revision, "merging": "True", "keep_strengths": "mine", "strengths": "Ma version"},
    )
    plan.refresh_from_db()
    assert plan.strengths == "Ma version"


def test_merge_started_from_a_revision_old_by_then_is_refused_again(
    client_for, case_manager_a, participant_a, plan, org_a
):
    colleague = member(org_a, Role.CASE_MANAGER)
    opened = plan.revision
    svc.plan_update(actor=colleague, plan=plan, revision=opened, strengths="Première")
    c = client_for(case_manager_a)
    _conflict(c, participant_a, opened, {"strengths": "La mienne"})
    plan.refresh_from_db()
    seen = plan.revision
    # The colleague saves once more while the editor compares.
    svc.plan_update(actor=colleague, plan=plan, revision=seen, strengths="Deuxième")
    response = c.post(
        url("plan_edit", participant_a),
        {"revision": seen, "merging": "True", "keep_strengths": "mine", "strengths": "La mienne"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Deuxième" in html
    plan.refresh_from_db()
    assert plan.strengths == "Deuxième"
    assert f'name="revision" value="{plan.revision}"' in html


def test_two_tabs_of_the_same_editor(client_for, case_manager_a, participant_a, plan):
    c = client_for(case_manager_a)
    opened = plan.revision
    first = c.post(url("plan_edit", participant_a), {"revision": opened, "aspirations": "Onglet 1"})
    assert first.status_code == 302
    html = _conflict(c, participant_a, opened, {"aspirations": "Onglet 2"})
    assert "Onglet 1" in html
    assert "Onglet 2" in html
    plan.refresh_from_db()
    assert plan.aspirations == "Onglet 1"
