"""Route table of the funder reports for ancrage/core/tests/test_routes.py: every URL and API operation of this
part, with the objects its URLs need (see that module for what each field means).

A funder report holds the community's and the programs' figures, no person: its routes are not a person's record,
so a role without the permission gets 403 there too; a report of another consortium is a 404
(test_funder_reports.py)."""

from __future__ import annotations

ROUTES: dict[str, dict] = {
    "reports:funder_list": {"outsider": 403, "perm": "reports.view_funder_reports"},
    "reports:funder_costs": {"outsider": 403, "perm": "reports.view_funder_reports"},
    "reports:funder_detail": {"outsider": 403, "perm": "reports.view_funder_reports"},
    "reports:funder_pdf": {"outsider": 403, "perm": "reports.view_funder_reports"},
    "reports:funder_export": {"outsider": 403, "perm": "reports.view_funder_reports"},
    "reports:funder_regenerate": {
        "method": "post",
        "outsider": 403,
        "perm": "reports.regenerate_funder_reports",
    },
    "api:list_funder_reports": {
        "anonymous": 401,
        "outsider": 403,
        "perm": "reports.view_funder_reports",
        "api": True,
    },
    "api:get_funder_report": {
        "anonymous": 401,
        "outsider": 403,
        "perm": "reports.view_funder_reports",
        "api": True,
    },
    "api:get_funder_costs": {
        "anonymous": 401,
        "outsider": 403,
        "perm": "reports.view_funder_reports",
        "api": True,
    },
}
API_OPERATIONS: dict[str, tuple[str, str]] = {
    "api:list_funder_reports": ("get", "/api/v1/funder-reports"),
    "api:get_funder_report": ("get", "/api/v1/funder-reports/{report_pk}"),
    "api:get_funder_costs": ("get", "/api/v1/funder-costs"),
}
API_BODIES: dict[str, object] = {}
# Routes with an id in their URL that is not a person's record.
NOT_A_PERSONS_RECORD: frozenset[str] = frozenset(
    {
        "reports:funder_detail",
        "reports:funder_pdf",
        "reports:funder_export",
        "reports:funder_regenerate",
        "api:get_funder_report",
    }
)
# Routes with an id in their URL that show nothing of a participant's file, and why (test_read_audit.py).
NO_PARTICIPANT_INFORMATION: dict[str, str] = {
    "reports:funder_detail": "a month's funder report: counts and amounts, no person",
    "reports:funder_pdf": "a month's funder report as a PDF: counts and amounts, no person",
    "reports:funder_export": "a month's funder report as a workbook: counts and amounts, no person",
    "reports:funder_regenerate": "a write (POST) of a report's new version: no person",
    "api:get_funder_report": "a month's funder report: counts and amounts, no person",
}
# Roles of the participant's organisation without and with each permission of this part.
LACKING: dict[str, str] = {
    "reports.view_funder_reports": "case_manager",
    "reports.regenerate_funder_reports": "data_coordinator",
}
HAVING: dict[str, str] = {
    "reports.view_funder_reports": "data_coordinator",
    "reports.regenerate_funder_reports": "program_manager",
}


def extend_world(w: dict) -> None:
    """The objects this part's URLs need, added to the routes world: a kept report of last month, and another
    consortium's (what a tampered id points at)."""
    from ancrage.core import clock
    from ancrage.people.tests.factories import ConsortiumFactory
    from ancrage.reports.funder.services import funder_report_generate, last_ended_month

    month = last_ended_month(clock.today())
    w["funder_report"], _created = funder_report_generate(consortium=w["org_a"].consortium, month=month)
    other = ConsortiumFactory(name="Autre consortium", short_name="AUT")
    w["funder_report_other"], _created = funder_report_generate(consortium=other, month=month)


def kwargs(name: str, w: dict, tamper: str | None) -> dict | None:
    """URL arguments of this part's routes (None: not this part's); `tamper` swaps one for another's."""
    if name not in ROUTES:
        return None
    if (
        name in {"reports:funder_list", "reports:funder_costs"}
        or name.startswith("api:list")
        or name == "api:get_funder_costs"
    ):
        return {}
    # Whatever is tampered with, the report becomes another consortium's: a 404 like one that does not exist.
    report = w["funder_report_other"] if tamper else w["funder_report"]
    if name == "api:get_funder_report":
        return {"report_pk": report.pk}
    return {"pk": report.pk}
