"""Route table of case management (referrals) for ancrage/core/tests/test_routes.py: every URL and API operation
of this part, with the objects its URLs need (see that module for what each field means)."""

from __future__ import annotations

from ancrage.core import clock


def _page(perm: str, method: str = "get") -> dict:
    # Each page checks its permission before the record: an outsider (no permission at all) gets a 403.
    return {"method": method, "outsider": 403, "perm": perm}


def _api(perm: str, method: str = "get") -> dict:
    return {"method": method, "anonymous": 401, "outsider": 403, "perm": perm, "api": True}


ROUTES: dict[str, dict] = {
    "casework:provider_list": _page("casework.view"),
    "casework:provider_create": _page("casework.manage_directory"),
    "casework:provider_edit": _page("casework.manage_directory"),
    "casework:provider_refer": _page("casework.record"),
    "casework:referral_list": _page("casework.view"),
    "casework:referral_create": _page("casework.record"),
    "casework:referral_step": _page("casework.record"),
    "casework:incident_list": _page("casework.view"),
    "casework:incident_create": _page("casework.record_incidents"),
    "casework:on_call": _page("casework.view"),
    "casework:on_call_create": _page("casework.record_incidents"),
    "casework:on_call_shift": _page("casework.manage_team"),
    "casework:reengagement": _page("casework.view"),
    "casework:reengagement_start": _page("casework.record", "post"),
    "casework:outreach_task_add": _page("casework.record"),
    "casework:outreach_task_done": _page("casework.record"),
    "casework:reengagement_close": _page("casework.record", "post"),
    "api:list_providers": _api("casework.view"),
    "api:list_service_referrals": _api("casework.view"),
    "api:create_service_referral": _api("casework.record", "post"),
    "api:step_service_referral": _api("casework.record", "post"),
    "api:list_incidents": _api("casework.view"),
    "api:create_incident": _api("casework.record_incidents", "post"),
    "api:list_on_call": _api("casework.view"),
    "api:log_on_call": _api("casework.record_incidents", "post"),
}
API_OPERATIONS: dict[str, tuple[str, str]] = {
    "api:list_providers": ("get", "/api/v1/providers"),
    "api:list_service_referrals": ("get", "/api/v1/participants/{pk}/referrals"),
    "api:create_service_referral": ("post", "/api/v1/participants/{pk}/referrals"),
    "api:step_service_referral": ("post", "/api/v1/referrals/{referral_pk}/steps"),
    "api:list_incidents": ("get", "/api/v1/participants/{pk}/incidents"),
    "api:create_incident": ("post", "/api/v1/participants/{pk}/incidents"),
    "api:list_on_call": ("get", "/api/v1/on-call"),
    "api:log_on_call": ("post", "/api/v1/on-call"),
}
API_BODIES: dict = {
    "api:create_service_referral": lambda w: {"provider_id": w["referrals_provider"].pk, "need": "Emploi"},
    "api:step_service_referral": lambda w: {"status": "approved"},
    "api:create_incident": lambda w: {
        "kind": "hospital",
        "occurred_at": clock.now().isoformat(),
        "description": "Urgence",
    },
    "api:log_on_call": lambda w: {
        "called_at": clock.now().isoformat(),
        "caller": "Voisin",
        "summary": "Bruit",
    },
}


def extend_world(w: dict) -> None:
    """A service of the directory; for each participant (A and B), a referral to it and an open re-engagement
    plan with one place to look, under an enrollment in a program of this part's own (so no other part's
    enrollment is in the way)."""
    import datetime

    from ancrage.casework.models import (
        Enrollment,
        OutreachTask,
        ReengagementPlan,
        ServiceKind,
        ServiceProvider,
        ServiceReferral,
    )
    from ancrage.organisations.models import Program
    from ancrage.people.tests.factories import ProgramFactory

    today = clock.today()
    w["referrals_provider"] = ServiceProvider.objects.create(
        consortium=w["org_a"].consortium, name="Emploi Québec", kind=ServiceKind.EMPLOYMENT
    )
    for suffix, org, participant, actor in (
        ("", w["org_a"], w["participant"], w["case_manager_a"]),
        ("_b", w["org_b"], w["participant_b"], w["case_manager_b"]),
    ):
        program = ProgramFactory(organisation=org, kind=Program.Kind.ICM, name="SIV (références)")
        enrollment = Enrollment.objects.create(
            participant=participant,
            program=program,
            primary_worker=actor,
            enrolled_on=today - datetime.timedelta(days=90),
        )
        w["referrals_referral" + suffix] = ServiceReferral.objects.create(
            participant=participant,
            organisation=org,
            provider=w["referrals_provider"],
            need="Emploi",
            created_by=actor,
        )
        plan = ReengagementPlan.objects.create(
            enrollment=enrollment, participant=participant, started_on=today, created_by=actor
        )
        w["referrals_task" + suffix] = OutreachTask.objects.create(
            plan=plan, place_kind=OutreachTask.Place.SHELTER
        )


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    """URL arguments for one of this part's routes, or None to let the generic rules decide."""
    suffix = "_b" if tamper == "participant" else ""
    p = w["participant" + suffix]
    if name in ("casework:provider_edit", "casework:provider_refer"):
        return {"provider_pk": w["referrals_provider"].pk}
    if name == "casework:referral_step":
        return {"pk": p.pk, "referral_pk": w["referrals_referral" + suffix].pk}
    if name == "api:step_service_referral":
        return {"referral_pk": w["referrals_referral" + suffix].pk}
    if name == "casework:outreach_task_done":
        return {"pk": p.pk, "task_pk": w["referrals_task" + suffix].pk}
    return None
