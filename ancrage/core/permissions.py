"""Roles, the named permissions each role holds, and the kinds of information each role may read."""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from collections.abc import Callable


class Role(models.TextChoices):
    PROGRAM_MANAGER = "program_manager", _("Program manager")
    TEAM_LEAD = "team_lead", _("Team lead")
    CASE_MANAGER = "case_manager", _("Intensive case manager")
    PEER_SUPPORT = "peer_support", _("Peer support worker")
    HOUSING_SPECIALIST = "housing_specialist", _("Housing specialist")
    RENT_CLERK = "rent_clerk", _("Rent payment clerk")
    PROGRAM_ASSISTANT = "program_assistant", _("Program assistant")
    DATA_COORDINATOR = "data_coordinator", _("Data coordinator")
    COORDINATED_ACCESS = "coordinated_access", _("Coordinated-access worker")
    PARTNER = "partner", _("Partner agency representative")
    ADMINISTRATOR = "administrator", _("Administrator")


class Category(models.TextChoices):
    """Kinds of information a consent can share (G1, G2)."""

    IDENTITY = "identity", _("Identity and contact")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health")
    CASE_NOTES = "case_notes", _("Case notes")
    RISK = "risk", _("Risk and safety")
    COORDINATED_ACCESS = "coordinated_access", _("Coordinated access")


ALL_CATEGORIES = frozenset(Category.values)

# Every permission the application checks, with what it lets a person do.
PERMISSIONS: dict[str, Any] = {
    "people.view_participants": _("See participants"),
    "people.add_participant": _("Create participant files"),
    "people.change_participant": _("Edit participant files"),
    "people.merge_participants": _("Link and merge duplicate files"),
    "people.manage_consents": _("Record and revoke consents"),
    "people.manage_documents": _("Upload signed documents"),
    "core.view_audit": _("See who read or changed what"),
    "core.configure": _("Configure organisations, programs and accounts"),
    "core.view_health": _("See whether scheduled jobs and the task worker run on time"),
    "accounts.use_api": _("Use the API with a personal token"),
    "access.view_by_name_list": _("See the by-name list and its monthly flow"),
    "access.view_flow": _("See the community's monthly flow figures, without names (reports)"),
    "access.manage_referrals": _("Record referrals and do intakes"),
    "access.submit_referrals": _("Refer people to coordinated access and follow the referrals one made"),
    "access.manage_by_name_list": _("Add people to the by-name list and change their status"),
    "assessments.view": _("See a participant's assessments and their scores"),
    "access.manage_policies": _("Write, preview and activate priority policies"),
    "access.manage_matches": _("Open places, run matching and move matches on"),
    "housing.view_units": _("See housing units"),
    "housing.manage_units": _("Add housing units and offer them for matching"),
    "housing.view_landlords": _("See landlords, their buildings and the contacts with them"),
    "housing.manage_landlords": _("Keep the landlords' book: contacts, check-ins and complaints"),
    "housing.view_tenancies": _("See participants' housing options and tenancies"),
    "housing.manage_tenancies": _(
        "Offer housing options and record leases, inspections, evictions and rehousing"
    ),
    "housing.view_rent": _("See rent rolls, payments and arrears"),
    "housing.manage_rent": _("Run the rent roll, record payments and repayment plans"),
    "housing.manage_furniture": _("Keep the furniture bank: stock, reservations and deliveries"),
    "housing.view_budgets": _("See housing budgets and spending"),
    "housing.manage_budgets": _("Set housing budget lines and record expenses"),
    "housing.record_expenses": _("Record housing expenses against a program's budget lines"),
    "housing.view_outcomes": _("See housing retention and the other housing outcomes"),
    "reports.view_outcomes": _(
        "See the programs' outcomes: retention, time to housing, exits, returns and community figures"
    ),
    "reports.view_fidelity": _("See the programs' Housing First fidelity scores and the data behind them"),
    "reports.assess_fidelity": _("Fill in a program's fidelity self-assessment"),
    "reports.view_funder_reports": _("See and download the monthly funder reports and costs per participant"),
    "reports.regenerate_funder_reports": _(
        "Generate a month's funder report again, keeping the previous version"
    ),
    "interop.import_hmis": _("Import another system's HMIS CSV export and review its data-quality report"),
    "interop.export_hmis": _("Export the community's data as an HMIS CSV (FY2026) file"),
    "conferences.view": _("See the case-conference tables one sits at, their agendas and action items"),
    "conferences.propose": _("Propose a person for a case-conference agenda"),
    "conferences.manage": _("Run case-conference tables: members, meetings, agendas, minutes"),
    "partners.view": _("See the registry of external partners and their agreements"),
    "partners.manage": _("Keep the registry of external partners, agreements and contacts"),
    "assessments.administer": _("Administer assessments to participants"),
    "casework.view": _("See caseloads, contacts, plans, referrals and the team meeting"),
    "casework.record": _("Log contacts, plan field visits, write recovery plans and refer to services"),
    "casework.manage_team": _(
        "Enroll participants, assign case managers, sign off plans and run the team meeting"
    ),
    "casework.manage_risk": _("Record risk assessments and risk plans"),
    "casework.record_incidents": _("Record incidents and after-hours calls"),
    "casework.record_exits": _("Record exits from a program"),
    "casework.manage_directory": _("Keep the directory of external services"),
}

_FRONTLINE = {
    "people.view_participants",
    "people.add_participant",
    "people.change_participant",
    "people.manage_consents",
    "people.manage_documents",
    "accounts.use_api",
}

# Coordinated access (A1, A4): who refers, who does intake, who keeps the by-name list.
_ACCESS_ALL = {
    "access.view_by_name_list",
    "access.view_flow",
    "access.manage_referrals",
    "access.submit_referrals",
    "access.manage_by_name_list",
}
# Prioritisation and matching (A5, A6): policies are the community's, kept by coordination and managers.
_MATCHING = {"access.manage_matches", "housing.view_units"}
# Assessment instruments (A3, B4): each instrument's file names the kind of information its answers are
# (health by default; triage instruments are coordinated access), and reading one needs that category.
_ASSESSMENTS = {"assessments.view", "assessments.administer"}
# Intensive case management (B1–B12, F1–F3, G4): the team's daily work; team leads and managers run the team.
_CASEWORK = {
    "casework.view",
    "casework.record",
    "casework.manage_risk",
    "casework.record_incidents",
    "casework.record_exits",
}
_CASEWORK_LEAD = _CASEWORK | {"casework.manage_team", "casework.manage_directory"}
# Housing (C1–C9): case managers follow their participants' tenancies; the housing team keeps the book.
_HOUSING_READ = {"housing.view_tenancies", "housing.view_landlords"}
_HOUSING_TEAM = _HOUSING_READ | {
    "housing.manage_landlords",
    "housing.manage_tenancies",
    "housing.manage_furniture",
    "housing.view_rent",
    "housing.view_budgets",
    "housing.record_expenses",
    "housing.view_outcomes",
}
_HOUSING_MANAGER = _HOUSING_READ | {
    "housing.view_rent",
    "housing.view_budgets",
    "housing.manage_budgets",
    "housing.record_expenses",
    "housing.view_outcomes",
}
# Evaluation and reporting (G5, G6, A7, C9) and the HMIS CSV exchange.
_REPORTS_READ = {"reports.view_outcomes", "reports.view_fidelity"}
_REPORTS_ALL = _REPORTS_READ | {"reports.assess_fidelity", "reports.view_funder_reports"}
_INTEROP = {"interop.import_hmis", "interop.export_hmis"}
# Case conferencing (D1–D7) and partnerships (E1–E3).
_CONFERENCES_MEMBER = {"conferences.view", "conferences.propose"}
_CONFERENCES_RUN = _CONFERENCES_MEMBER | {"conferences.manage"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.PROGRAM_MANAGER: frozenset(
        _FRONTLINE
        | _ACCESS_ALL
        | _ASSESSMENTS
        | _MATCHING
        | _CASEWORK_LEAD
        | _HOUSING_MANAGER
        | _CONFERENCES_RUN
        | {"partners.view", "partners.manage"}
        | {"people.merge_participants", "core.view_audit", "access.manage_policies"}
        | _REPORTS_ALL
        | _INTEROP
        | {"reports.regenerate_funder_reports"}
    ),
    Role.TEAM_LEAD: frozenset(
        _FRONTLINE
        | _ACCESS_ALL
        | _ASSESSMENTS
        | _MATCHING
        | _CASEWORK_LEAD
        | _HOUSING_READ
        | {"housing.view_outcomes", "housing.view_budgets"}
        | _CONFERENCES_MEMBER
        | {"partners.view", "people.merge_participants"}
        | _REPORTS_READ
    ),
    Role.CASE_MANAGER: frozenset(
        _FRONTLINE
        | _ACCESS_ALL
        | _ASSESSMENTS
        | _CASEWORK
        | _HOUSING_READ
        | _CONFERENCES_MEMBER
        | {"partners.view"}
    ),
    # Peer support workers visit with case managers: they log contacts and incidents, not risk plans or exits.
    Role.PEER_SUPPORT: frozenset(
        {"people.view_participants", "accounts.use_api", "casework.view", "casework.record"}
        | {"casework.record_incidents"}
        | _ASSESSMENTS
    ),
    Role.HOUSING_SPECIALIST: frozenset(
        {
            "people.view_participants",
            "people.manage_documents",
            "accounts.use_api",
            "access.view_by_name_list",
            "access.view_flow",
            "access.manage_matches",
            "housing.view_units",
            "housing.manage_units",
            # Housing specialists visit units with participants and hear of incidents from landlords (B9).
            "casework.record_incidents",
            "conferences.view",
            "conferences.propose",
            "partners.view",
        }
        | _HOUSING_TEAM
    ),
    # The rent payment service sees amounts and landlords, never case notes (C5).
    Role.RENT_CLERK: frozenset(
        {"people.view_participants", "accounts.use_api", "housing.view_landlords", "housing.view_tenancies"}
        | {"housing.view_rent", "housing.manage_rent"}
    ),
    Role.PROGRAM_ASSISTANT: frozenset(
        {"people.view_participants", "people.manage_documents", "casework.manage_directory"}
    ),
    # Data coordinators report to funders: the community's flow figures, which name nobody (A7).
    Role.DATA_COORDINATOR: frozenset(
        {
            "people.view_participants",
            "people.merge_participants",
            "core.view_audit",
            "accounts.use_api",
            "access.view_flow",
            "housing.view_outcomes",
            "housing.view_budgets",
            "partners.view",
        }
        | _REPORTS_ALL
        | _INTEROP
    ),
    # Coordinated access runs the community's case-conference table (D1).
    Role.COORDINATED_ACCESS: frozenset(
        _FRONTLINE
        | _ACCESS_ALL
        | _ASSESSMENTS
        | _MATCHING
        | _CONFERENCES_RUN
        | {"partners.view", "partners.manage"}
        | {"people.merge_participants", "access.manage_policies"}
    ),
    # A partner agency refers people to the hub and follows its own referrals (A1); it reads no file but
    # those consented to it.
    # A partner sits at the case-conference table and sees there what consent lets its organisation see (D7).
    Role.PARTNER: frozenset({"people.view_participants", "access.submit_referrals"} | _CONFERENCES_MEMBER),
    # Configuration only: the audit trail is the auditors' (program managers, data coordinators), and what
    # an administrator configures is audited for them.
    Role.ADMINISTRATOR: frozenset({"core.configure", "core.view_health"}),
}

# What each role may read at most; consent narrows it further outside the participant's own organisation.
ROLE_CATEGORIES: dict[str, frozenset[str]] = {
    Role.PROGRAM_MANAGER: ALL_CATEGORIES,
    Role.TEAM_LEAD: ALL_CATEGORIES,
    Role.CASE_MANAGER: ALL_CATEGORIES,
    Role.PEER_SUPPORT: ALL_CATEGORIES,
    Role.HOUSING_SPECIALIST: frozenset(
        {Category.IDENTITY, Category.HOUSING, Category.RISK, Category.COORDINATED_ACCESS}
    ),
    Role.RENT_CLERK: frozenset({Category.IDENTITY, Category.HOUSING}),
    Role.PROGRAM_ASSISTANT: frozenset({Category.IDENTITY}),
    Role.DATA_COORDINATOR: frozenset({Category.IDENTITY, Category.HOUSING, Category.COORDINATED_ACCESS}),
    Role.COORDINATED_ACCESS: frozenset(
        {Category.IDENTITY, Category.HOUSING, Category.COORDINATED_ACCESS, Category.RISK}
    ),
    Role.PARTNER: ALL_CATEGORIES,
    Role.ADMINISTRATOR: frozenset({Category.IDENTITY}),
}

# Roles that must sign in with a second factor outside demo mode.
TWO_FACTOR_ROLES = frozenset({Role.ADMINISTRATOR})


def permissions_for_roles(roles: set[str]) -> frozenset[str]:
    granted: set[str] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)


def check_permission(user, perm: str) -> None:
    """The one permission check of pages and API endpoints alike: `user` holds `perm` through one of their
    roles, or PermissionDenied (a 403 page, or the API's 403 answer). A misspelt permission fails loudly."""
    if perm not in PERMISSIONS:
        raise ValueError(f"Unknown permission {perm}")
    if not user.has_ancrage_perm(perm):
        raise PermissionDenied


def require_permission(perm: str) -> Callable:
    """View decorator: the signed-in user must hold `perm` through one of their roles."""
    if perm not in PERMISSIONS:
        raise ValueError(f"Unknown permission {perm}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            check_permission(request.user, perm)
            return view(request, *args, **kwargs)

        wrapped.required_permission = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


def require_record_permission(perm: str) -> Callable:
    """View decorator for a page about one record (a participant's file or a record of it): without `perm`
    the answer is 404, as for a record that does not exist or that the user may not see, so the status
    never tells whether the record exists (G1, G2). Pages with no record in their URL keep
    `require_permission` and its 403. The API answers the same way: its operations look the record up
    before the permission (`check_record_permission`)."""
    if perm not in PERMISSIONS:
        raise ValueError(f"Unknown permission {perm}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            check_record_permission(request.user, perm)
            return view(request, *args, **kwargs)

        wrapped.required_permission = perm  # type: ignore[attr-defined]
        wrapped.record_scoped = True  # type: ignore[attr-defined]
        return wrapped

    return decorator


def check_record_permission(user, perm: str) -> None:
    """404 unless `user` holds `perm`: for code that answers about one record (pages and API alike)."""
    from django.http import Http404

    if not user.has_ancrage_perm(perm):
        raise Http404


class PermissionRequiredMixin:
    """Class-based view counterpart of `require_permission`."""

    required_permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        check_permission(request.user, self.required_permission)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
