"""Route table of case conferencing for ancrage/core/tests/test_routes.py: every URL and API operation, with
the objects its URLs need. A table, its meetings, action items and parking lot are the table's: a missing
permission is 403, a table one neither sits at nor runs is 404 (tampering swaps in another table's ids)."""

from __future__ import annotations

import datetime

ROUTES: dict[str, dict] = {
    "conferences:tables": {"outsider": 403, "perm": "conferences.view"},
    "conferences:actions": {"outsider": 403, "perm": "conferences.view"},
    "conferences:action_update": {"method": "post", "outsider": 403, "perm": "conferences.view"},
    "conferences:table": {"outsider": 403, "perm": "conferences.view"},
    "conferences:member_add": {"method": "post", "outsider": 403, "perm": "conferences.manage"},
    "conferences:meetings_plan": {"method": "post", "outsider": 403, "perm": "conferences.manage"},
    "conferences:propose": {"method": "post", "outsider": 403, "perm": "conferences.propose"},
    "conferences:parking_add": {"method": "post", "outsider": 403, "perm": "conferences.view"},
    "conferences:attendance": {"outsider": 403, "perm": "conferences.view"},
    "conferences:parking_update": {"method": "post", "outsider": 403, "perm": "conferences.view"},
    "conferences:meeting": {"outsider": 403, "perm": "conferences.view"},
    "conferences:meeting_roles": {"method": "post", "outsider": 403, "perm": "conferences.manage"},
    "conferences:meeting_attendance": {"method": "post", "outsider": 403, "perm": "conferences.manage"},
    "conferences:agenda_add": {"method": "post", "outsider": 403, "perm": "conferences.manage"},
    "conferences:agenda_send": {"method": "post", "outsider": 403, "perm": "conferences.manage"},
    "conferences:minutes_close": {"method": "post", "outsider": 403, "perm": "conferences.manage"},
    "conferences:evaluate": {"method": "post", "outsider": 403, "perm": "conferences.view"},
    "conferences:item": {"outsider": 403, "perm": "conferences.view"},
    "conferences:action_add": {"method": "post", "outsider": 403, "perm": "conferences.view"},
    "api:list_conference_tables": {
        "anonymous": 401,
        "outsider": 403,
        "perm": "conferences.view",
        "api": True,
    },
    "api:get_conference_table": {"anonymous": 401, "outsider": 403, "perm": "conferences.view", "api": True},
    "api:get_conference_meeting": {
        "anonymous": 401,
        "outsider": 403,
        "perm": "conferences.view",
        "api": True,
    },
    "api:list_conference_actions": {
        "anonymous": 401,
        "outsider": 403,
        "perm": "conferences.view",
        "api": True,
    },
    "api:update_conference_action": {
        "method": "post",
        "anonymous": 401,
        "outsider": 403,
        "perm": "conferences.view",
        "api": True,
    },
}
API_OPERATIONS: dict[str, tuple[str, str]] = {
    "api:list_conference_tables": ("get", "/api/v1/conference-tables"),
    "api:get_conference_table": ("get", "/api/v1/conference-tables/{table_pk}"),
    "api:get_conference_meeting": ("get", "/api/v1/conference-meetings/{meeting_pk}"),
    "api:list_conference_actions": ("get", "/api/v1/conference-actions"),
    "api:update_conference_action": ("post", "/api/v1/conference-actions/{action_pk}/status"),
}
API_BODIES: dict = {"api:update_conference_action": lambda w: {"status": "in_progress", "note": "En cours"}}
# Ids in these URLs are a table's, not a person's record (see NOT_A_PERSONS_RECORD in test_routes.py).
NOT_A_PERSONS_RECORD = frozenset(n for n in ROUTES if n not in {"conferences:tables", "conferences:actions"})
# What the read-audit test may skip: the attendance of a table names organisations, no person.
NO_PARTICIPANT_INFORMATION = {
    "conferences:attendance": "a table's attendance and evaluations per organisation: no person",
    "api:get_conference_table": "a table's members and meetings: no person",
}
LACKING = {
    "conferences.view": "administrator",
    "conferences.propose": "administrator",
    "conferences.manage": "case_manager",
}
HAVING = {
    "conferences.view": "program_manager",
    "conferences.propose": "program_manager",
    "conferences.manage": "program_manager",
}


def extend_world(w: dict) -> None:
    """A table run by organisation A (its program managers run it) with a meeting, participant_a on its
    agenda, an action about them, `other` proposed, a parking-lot issue; and the same at a table of B."""
    from ancrage.access.models import ByNameEntry
    from ancrage.conferences import services
    from ancrage.core import clock

    ByNameEntry.objects.filter(participant__in=[w["participant"], w["participant_b"]]).update(
        needs_conference=True, needs_conference_reason="no_eligible_program"
    )
    start = clock.start_of_day(clock.today() + datetime.timedelta(days=7)).replace(hour=10)
    for suffix, org, runner, person, colleague in (
        ("", w["org_a"], w["program_manager_a"], w["participant"], w["case_manager_a"]),
        ("_b", w["org_b"], w["manager_b"], w["participant_b"], w["case_manager_b"]),
    ):
        table = services.table_create(
            actor=runner, organisation=org, name=f"Table{suffix}", start_time=datetime.time(10), place="Salle"
        )
        services.member_add(actor=runner, table=table, user=runner, organisation=org)
        services.member_add(actor=runner, table=table, user=colleague, organisation=org)
        meeting = services.meeting_create(actor=runner, table=table, starts_at=start)
        item = services.agenda_add(actor=runner, meeting=meeting, participant=person)
        action = services.action_create(
            actor=runner,
            meeting=meeting,
            item=item,
            description="Appeler le propriétaire",
            responsible=colleague,
            due_on=clock.today() + datetime.timedelta(days=10),
        )
        issue = services.parking_create(actor=runner, table=table, title="Délais", owner=colleague)
        w[f"conf_table{suffix}"] = table
        w[f"conf_meeting{suffix}"] = meeting
        w[f"conf_item{suffix}"] = item
        w[f"conf_action{suffix}"] = action
        w[f"conf_issue{suffix}"] = issue
    services.proposal_create(
        actor=w["case_manager_a"],
        table=w["conf_table"],
        participant=w["other"],
        reason="Refuse tout logement proposé depuis des mois",
    )


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    """URL arguments for one of this part's routes; tampering uses the table of organisation B."""
    if not (name.startswith("conferences:") or name in API_OPERATIONS):
        return None
    s = "_b" if tamper == "participant" else ""
    if name in {
        "conferences:tables",
        "conferences:actions",
        "api:list_conference_tables",
        "api:list_conference_actions",
    }:
        return {}
    if name in {"conferences:action_update"}:
        return {"pk": w[f"conf_action{s}"].pk}
    if name == "api:update_conference_action":
        return {"action_pk": w[f"conf_action{s}"].pk}
    if name == "conferences:parking_update":
        return {"pk": w[f"conf_issue{s}"].pk}
    if name == "api:get_conference_table":
        return {"table_pk": w[f"conf_table{s}"].pk}
    if name == "api:get_conference_meeting":
        return {"meeting_pk": w[f"conf_meeting{s}"].pk}
    if name == "conferences:meetings_plan":
        return {"pk": w[f"conf_table{s}"].pk}
    if name in {"conferences:item", "conferences:action_add"}:
        return {"pk": w[f"conf_meeting{s}"].pk, "item_pk": w[f"conf_item{s}"].pk}
    if name.startswith(
        ("conferences:meeting", "conferences:agenda", "conferences:minutes", "conferences:evaluate")
    ):
        return {"pk": w[f"conf_meeting{s}"].pk}
    return {"pk": w[f"conf_table{s}"].pk}
