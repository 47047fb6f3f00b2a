"""Pages of coordinated access: the by-name list, its export, status changes and contacts, monthly flow."""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.access import selectors, services
from ancrage.access.eligibility import band_label, check_requirements, facts_for_participant
from ancrage.access.forms import (
    ByNameFilterForm,
    ContactForm,
    IntakeCompleteForm,
    ReferralForm,
    RegistrySearchForm,
    StatusChangeForm,
)
from ancrage.access.models import ByNameEntry, Intake, Referral
from ancrage.accounts.models import User
from ancrage.core import audit, clock, exports
from ancrage.core.permissions import Category, require_permission, require_record_permission
from ancrage.core.views_helpers import apply_service_errors, paginate
from ancrage.organisations.models import HOLDING_KINDS, Organisation
from ancrage.people.duplicates import Probe, find_matches
from ancrage.people.selectors import participants_visible_for_category, participants_visible_to


def chronic_explanation(entry: ByNameEntry) -> str:
    """Say why: the days behind the verdict, against both thresholds."""
    config = settings.ANCRAGE
    return _(
        "%(year)s days homeless in the past year (threshold: %(year_threshold)s); "
        "%(three)s days in the past three years (threshold: %(three_threshold)s)."
    ) % {
        "year": entry.homeless_days_past_year,
        "year_threshold": config["CHRONIC_DAYS_PAST_YEAR"],
        "three": entry.homeless_days_past_three_years,
        "three_threshold": config["CHRONIC_DAYS_PAST_THREE_YEARS"],
    }


def _filters(request):
    """The list's filters. Their choices are staff and organisations of the user's consortium, not derived
    from the visible list: that took a second at 100,000 people, and names no participant either way."""
    consortia = Organisation.objects.filter(pk__in=request.user.organisation_ids).values("consortium_id")
    workers = (
        User.objects.filter(memberships__organisation__consortium_id__in=consortia, is_active=True)
        .filter(Exists(ByNameEntry.objects.filter(reference_worker=OuterRef("pk"))))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    organisations = Organisation.objects.filter(consortium_id__in=consortia, kind__in=HOLDING_KINDS).order_by(
        "name"
    )
    form = ByNameFilterForm(request.GET, workers=workers, organisations=organisations)
    return form, form.selector_kwargs()


# Status badges carry their text; the colour only repeats it (ux.md).
BADGES = {
    "active": "text-bg-warning",
    "housed": "text-bg-success",
    "inactive": "text-bg-secondary",
    "moved_away": "text-bg-light border",
    "institution": "text-bg-info",
    "deceased": "text-bg-dark",
}

# Each sortable column: its key in SORTS, its aria-sort then, and the other direction where it has one.
SORTABLE = [
    ("name", gettext_lazy("Name"), [("name", "ascending")]),
    ("rank", gettext_lazy("Rank"), [("rank", "ascending")]),
    ("status", gettext_lazy("Status"), [("status", "ascending")]),
    ("reference_worker", gettext_lazy("Reference worker"), [("reference_worker", "ascending")]),
    ("chronic", gettext_lazy("Chronic"), [("chronic", "descending")]),
    ("days", gettext_lazy("Days on the list"), [("entered_on", "descending"), ("-entered_on", "ascending")]),
    (
        "last_contact",
        gettext_lazy("Last contact"),
        [("last_contact_on", "ascending"), ("-last_contact_on", "descending")],
    ),
]


def _columns(current: str) -> list[dict]:
    columns = []
    for key, label, ways in SORTABLE:
        sorts = [way for way, _direction in ways]
        active = current in sorts
        next_sort = sorts[(sorts.index(current) + 1) % len(sorts)] if active else sorts[0]
        aria = dict(ways)[current] if active else None
        columns.append({"key": key, "label": label, "sort": next_sort, "aria_sort": aria})
    return columns


@require_permission("access.view_by_name_list")
def by_name_list(request):
    form, kwargs = _filters(request)
    page = paginate(request, selectors.by_name_list_for_user(request.user, **kwargs))
    today = clock.today()
    page.object_list = list(page.object_list)
    for entry in page.object_list:
        entry.badge = BADGES.get(entry.status, "text-bg-secondary")
        entry.days_on_list = (today - entry.entered_on).days
        entry.chronic_explanation = chronic_explanation(entry)
        # Said in words from the row itself, so the page costs the same queries however long it is.
        entry.band = band_label(entry.acuity_band) if entry.acuity_band else ""
    audit.record_reads(
        actor=request.user, reads=[(e.participant_id, "access.by_name_list.listed") for e in page.object_list]
    )
    current = kwargs["sort"]
    columns = _columns(current)
    context = {"page": page, "form": form, "columns": columns, "sort": current}
    if request.htmx and request.htmx.target == "results":
        return render(request, "access/by_name_list.html#results", context)
    return render(request, "access/by_name_list.html", context)


def _export_rows(entries, today) -> tuple[list[str], list[list]]:
    header = [
        _("Name"),
        _("Community identifier"),
        _("Home organisation"),
        _("Status"),
        _("Reference worker"),
        _("Chronic"),
        _("Days homeless in the past year"),
        _("Days homeless in the past three years"),
        _("Entered the list on"),
        _("Days on the list"),
        _("Last contact"),
    ]
    rows = []
    for e in entries:
        p = e.participant
        rows.append(
            [
                p.display_name,
                p.community_id,
                p.organisation.name,
                e.get_status_display(),
                e.reference_worker.display_name if e.reference_worker else "",
                _("Yes") if e.is_chronic else _("No"),
                e.homeless_days_past_year,
                e.homeless_days_past_three_years,
                e.entered_on,
                (today - e.entered_on).days,
                e.last_contact_on,
            ]
        )
    return header, rows


@require_permission("access.view_by_name_list")
def by_name_export(request):
    """The filtered list as CSV (UTF-8 with a byte-order mark, for Excel) or, with ?format=xlsx, as a
    spreadsheet; headers in the user's language, only the rows the user may see, every export audited."""
    _form, kwargs = _filters(request)
    entries = list(selectors.by_name_list_for_user(request.user, **kwargs))
    today = clock.today()
    header, rows = _export_rows(entries, today)
    as_xlsx = request.GET.get("format") == "xlsx"
    response, _count = exports.table_response(
        filename_stem=f"by-name-list-{today.isoformat()}",
        header=header,
        rows=rows,
        as_xlsx=as_xlsx,
        sheet_title=str(_("By-name list")),
    )
    audit.record(
        actor=request.user,
        action="access.by_name_list.exported",
        data={
            "filters": {k: v for k, v in kwargs.items() if v not in (None, "")},
            "rows": len(entries),
            "format": "xlsx" if as_xlsx else "csv",
        },
    )
    # "Who saw my file" lists exports too: one read per person exported, all in one statement.
    audit.record_reads(
        actor=request.user,
        reads=[(entry.participant_id, "access.by_name_entry.exported") for entry in entries],
        data={"format": "xlsx" if as_xlsx else "csv"},
    )
    return response


def _entry_for(user, pk: int) -> ByNameEntry:
    """The entry of participant `pk`, if the user may see it on the list; 404 otherwise (its read recorded)."""
    return selectors.by_name_entry_get_for_user(user, pk)


def _workers_for(entry: ByNameEntry):
    """People who may be named reference worker: staff of the participant's organisation."""
    return (
        User.objects.filter(memberships__organisation_id=entry.participant.organisation_id, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@require_record_permission("access.manage_by_name_list")
def status_change(request, pk: int):
    entry = _entry_for(request.user, pk)
    form = StatusChangeForm(
        request.POST or None,
        workers=_workers_for(entry),
        initial={"reference_worker": entry.reference_worker_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.by_name_status_change(
                actor=request.user,
                entry=entry,
                status=data["status"],
                reason=data["reason"],
                on=data["on"],
                reference_worker=data.get("reference_worker"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Status changed."))
            return redirect("access:by_name_list")
    return render(request, "access/status_form.html", {"form": form, "entry": entry, "p": entry.participant})


@require_record_permission("access.manage_by_name_list")
def contact_record(request, pk: int):
    entry = _entry_for(request.user, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.by_name_contact_record(actor=request.user, entry=entry, on=form.cleaned_data["on"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Contact recorded."))
            return redirect("access:by_name_list")
    return render(request, "access/contact_form.html", {"form": form, "entry": entry, "p": entry.participant})


@require_permission("access.view_by_name_list")
def flow(request):
    """The last twelve months of inflow and outflow, as a table and a chart drawn from the same figures."""
    this_month = clock.today().replace(day=1)
    months: list[dict[str, Any]] = []
    for back in range(11, -1, -1):
        first = this_month - relativedelta(months=back)
        figures = selectors.monthly_flow(request.user, first.year, first.month)
        months.append({"label": date_format(first, "YEAR_MONTH_FORMAT"), "f": figures})
    # Placements are the people housed in the month (moved from active to housed), against the goal.
    goal = settings.ANCRAGE["MONTHLY_PLACEMENT_GOAL"]
    for m in months:
        m["placements"] = m["f"].housed
        m["goal_met"] = m["placements"] >= goal
    chart = {
        "labels": [m["label"] for m in months],
        "series": [
            {"label": _("Inflow"), "data": [m["f"].inflow for m in months]},
            {"label": _("Outflow"), "data": [m["f"].outflow for m in months]},
            {
                "label": _("Actively homeless at month end"),
                "data": [m["f"].actively_homeless for m in months],
                "line": True,
            },
            {
                "label": _("Placements (people housed)"),
                "data": [m["placements"] for m in months],
                "line": False,
            },
            {
                "label": _("Monthly placement goal"),
                "data": [goal for _m in months],
                "line": True,
                "point": "line",
            },
        ],
    }
    context = {"months": months, "chart": chart, "goal": goal}
    return render(request, "access/flow.html", context)


# --- referrals and the start of an intake (A1) ---------------------------------------------------------


def _referral_organisations(user):
    return Organisation.objects.filter(pk__in=user.organisation_ids, is_active=True).order_by("name")


def _hubs_for(user):
    """The coordinated-access organisations of the user's consortia: where a partner agency refers people."""
    consortia = Organisation.objects.filter(pk__in=user.organisation_ids).values("consortium_id")
    return Organisation.objects.filter(
        consortium_id__in=consortia, kind=Organisation.Kind.COORDINATED_ACCESS, is_active=True
    ).order_by("name")


@require_permission("access.submit_referrals")
def referral_list(request):
    """Referrals received by the user's organisations; for a referring partner, the referrals they made."""
    receives = request.user.has_ancrage_perm("access.manage_referrals")
    referrals = selectors.referrals_for_user(request.user).order_by("-referred_at", "-id")
    status = request.GET.get("status", "")
    if status in Referral.Status.values:
        referrals = referrals.filter(status=status)
    page = paginate(request, referrals)
    return render(
        request,
        "access/referral_list.html",
        {"page": page, "status": status, "statuses": Referral.Status.choices, "receives": receives},
    )


@require_permission("access.submit_referrals")
def referral_create(request):
    receives = request.user.has_ancrage_perm("access.manage_referrals")
    primary = request.user.primary_membership
    if receives:
        organisations = _referral_organisations(request.user)
        initial: dict[str, Any] = {"organisation": primary.organisation_id if primary else None}
    else:
        # A partner agency refers to the hub: the access point is the partner itself.
        organisations = _hubs_for(request.user)
        initial = {
            "organisation": organisations.first(),
            "source_kind": Referral.SourceKind.PARTNER,
            "source_name": primary.organisation.name if primary else "",
        }
    form = ReferralForm(request.POST or None, organisations=organisations, initial=initial)
    if not receives:
        form.fields["source_kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not receives and not data.get("source_name"):
            data["source_name"] = initial["source_name"]
        try:
            referral = services.referral_create(actor=request.user, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if not receives:
                messages.success(
                    request,
                    _("Referral sent to %(hub)s. Its status shows here as it moves on.")
                    % {"hub": referral.organisation.name},
                )
                return redirect("access:referral_list")
            messages.success(
                request, _("Referral recorded. Search the registry for the person to start the intake.")
            )
            return redirect("access:intake_start", referral_pk=referral.pk)
    return render(request, "access/referral_form.html", {"form": form, "receives": receives})


def _split_name(name: str) -> tuple[str, str]:
    parts = name.split()
    if len(parts) < 2:
        return name.strip(), ""
    return " ".join(parts[:-1]), parts[-1]


@require_record_permission("access.manage_referrals")
def intake_start(request, referral_pk: int):
    """Look for the person in the registry (only files the user may see), then start the intake."""
    referral = get_object_or_404(Referral, pk=referral_pk, organisation_id__in=request.user.organisation_ids)
    first, last = _split_name(referral.person_name)
    search = RegistrySearchForm(request.GET or None, initial={"first_name": first, "last_name": last})
    if search.is_bound and search.is_valid():
        data = search.cleaned_data
        probe = Probe(
            first_name=data["first_name"], last_name=data["last_name"], date_of_birth=data["date_of_birth"]
        )
    else:
        probe = Probe(first_name=first, last_name=last, aliases=[referral.person_name])
    pool = participants_visible_to(request.user)
    matches = find_matches(probe, pool) if referral.status == Referral.Status.RECEIVED else []
    # A file just opened for this referral (or chosen by the worker) comes first, whatever its name.
    opened = None
    try:
        opened_pk = int(request.GET.get("participant", ""))
    except ValueError:
        opened_pk = None
    if opened_pk is not None and referral.status == Referral.Status.RECEIVED:
        opened = pool.select_related("organisation").filter(pk=opened_pk).first()
        if opened is not None:
            matches = [m for m in matches if m.participant.pk != opened.pk]
    files = ([opened] if opened else []) + [m.participant for m in matches]
    # Who is already on the by-name list, and through which file (A4), and who has the consent intake needs.
    lines = selectors.list_lines_for(request.user, [f.pk for f in files])
    for f in files:
        f.list_line = lines.get(f.pk)  # type: ignore[attr-defined]
        consent = services.coordinated_access_consent(request.user, f)
        f.has_consent = consent is not None  # type: ignore[attr-defined]
        f.can_record_consent = (  # type: ignore[attr-defined]
            f.organisation_id in request.user.organisation_ids
            and request.user.has_ancrage_perm("people.manage_consents")
        )
    selectors.record_referral_read(request.user, referral)
    # The files found are shown (names, birth dates): their reads, in one statement.
    audit.record_reads(
        actor=request.user,
        reads=[(f.pk, "people.participant.viewed") for f in files],
        data={"from": "intake"},
    )
    if request.method == "POST":
        try:
            chosen = int(request.POST.get("participant", ""))
        except ValueError:
            messages.error(request, _("Choose the person's file."))
        else:
            participant = pool.filter(pk=chosen).first()
            if participant is None:
                raise Http404
            try:
                services.intake_start(actor=request.user, referral=referral, participant=participant)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request, _("Intake started for %(name)s.") % {"name": participant.display_name}
                )
                return redirect("access:intake_detail", intake_pk=referral.intake.pk)
    here = request.path
    context = {
        "referral": referral,
        "search": search,
        "matches": matches,
        "opened": opened,
        "here": here,
        "new_file_query": urlencode({"next": here, "legal_first_name": first, "legal_last_name": last}),
    }
    return render(request, "access/intake_start.html", context)


@require_record_permission("access.manage_referrals")
def intake_detail(request, intake_pk: int):
    """An intake under way: the referral, the consent relied on, the triage, and closing it onto the list."""
    intake = get_object_or_404(
        Intake.objects.select_related(
            "referral", "referral__program", "participant", "participant__organisation", "consent"
        ),
        pk=intake_pk,
        referral__organisation_id__in=request.user.organisation_ids,
    )
    participant = intake.participant
    # The person's coordinated-access information must still be readable by the user: a consent revoked or
    # expired since the intake started closes the page.
    visible = participants_visible_for_category(request.user, Category.COORDINATED_ACCESS)
    if not visible.filter(pk=participant.pk).exists():
        raise Http404
    selectors.record_intake_read(request.user, intake)
    workers = (
        User.objects.filter(
            Q(memberships__organisation_id=participant.organisation_id)
            | Q(memberships__organisation_id__in=request.user.organisation_ids),
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    entry = ByNameEntry.objects.filter(participant=participant).select_related("reference_worker").first()
    form = IntakeCompleteForm(
        request.POST or None,
        workers=workers,
        initial={"reference_worker": entry.reference_worker_id if entry else request.user.pk},
    )
    if request.method == "POST" and not intake.is_done and form.is_valid():
        try:
            services.intake_complete(
                actor=request.user,
                intake=intake,
                reference_worker=form.cleaned_data["reference_worker"],
                entered_on=form.cleaned_data["entered_on"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Intake complete: %(name)s is on the by-name list.") % {"name": participant.display_name},
            )
            return redirect("access:intake_detail", intake_pk=intake.pk)
    triage = selectors.latest_triage(participant)
    checks = None
    program = intake.referral.program
    if program is not None:
        # A2: a referral that fails the program's eligibility says which requirement failed.
        facts = facts_for_participant(participant, clock.today())
        checks = check_requirements(program.eligibility or [], facts)
    context = {
        "intake": intake,
        "p": participant,
        "form": form,
        "entry": entry,
        "triage": triage,
        "program": program,
        "checks": checks,
        "eligible": checks is not None and all(c.passed for c in checks),
    }
    return render(request, "access/intake_detail.html", context)
