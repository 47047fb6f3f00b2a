"""Pages of coordinated access: the by-name list, its export, status changes and contacts, monthly flow."""

from __future__ import annotations

import datetime
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
from django.views.decorators.http import require_POST

from ancrage.access import disclosure, selectors, services
from ancrage.access.chronic import chronic_from_history
from ancrage.access.eligibility import band_label, check_requirements, facts_for_participant
from ancrage.access.forms import (
    ByNameFilterForm,
    ContactForm,
    IntakeCompleteForm,
    ReferralForm,
    ReferralWithdrawForm,
    RegistrySearchForm,
    StatusChangeForm,
)
from ancrage.access.models import ByNameEntry, Intake, Referral
from ancrage.access.views_history import evidence_in_words
from ancrage.accounts.models import User
from ancrage.core import audit, clock, exports
from ancrage.core.links import row_link
from ancrage.core.permissions import Category, require_permission, require_record_permission
from ancrage.core.views_helpers import apply_service_errors, paginate
from ancrage.organisations.models import HOLDING_KINDS, Organisation
from ancrage.organisations.requirements import acuity_level_label
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


# Each row's links, reversed once a page (core/links.py).
ROW_LINKS = {
    "file": "people:detail",
    "rank": "access:rank_explanation",
    "status": "access:status_change",
    "contact": "access:contact_record",
    "profile": "access:profile_edit",
    "history": "access:homelessness_history",
}


@require_permission("access.view_by_name_list")
def by_name_list(request):
    form, kwargs = _filters(request)
    page = paginate(request, selectors.by_name_list_for_user(request.user, **kwargs, walk=True), count=False)
    today = clock.today()
    page.object_list = list(page.object_list)
    links = {key: row_link(name) for key, name in ROW_LINKS.items()}
    for entry in page.object_list:
        entry.links = {key: link(entry.participant_id) for key, link in links.items()}
        entry.name = entry.participant.display_name
        entry.badge = BADGES.get(entry.status, "text-bg-secondary")
        entry.days_on_list = (today - entry.entered_on).days
        entry.chronic_explanation = chronic_explanation(entry)
        entry.chronic_evidence_words = evidence_in_words(entry.chronic_evidence)
        # Said in words from the row itself, so the page costs the same queries however long it is.
        entry.band = band_label(entry.acuity_band) if entry.acuity_band else ""
        entry.level = acuity_level_label(entry.acuity_band)
        entry.acuity = _acuity_score(entry)
    audit.record_reads(
        actor=request.user, reads=[(e.participant_id, "access.by_name_list.listed") for e in page.object_list]
    )
    current = kwargs["sort"]
    columns = _columns(current)
    context = {"page": page, "form": form, "columns": columns, "sort": current}
    if request.htmx and request.htmx.target == "results":
        return render(request, "access/by_name_list.html#results", context)
    return render(request, "access/by_name_list.html", context)


def _number(value: float | None) -> float | int | None:
    """12.0 as 12, 12.345 as 12.35: a score as people read it."""
    if value is None:
        return None
    value = round(value, 2)
    return int(value) if value == int(value) else value


def _acuity_score(entry: ByNameEntry) -> str:
    """“15 / 25”: the latest triage's total out of the highest possible; "" without a triage."""
    if entry.acuity_score is None:
        return ""
    if entry.acuity_max:
        return f"{_number(entry.acuity_score)} / {_number(entry.acuity_max)}"
    return str(_number(entry.acuity_score))


def _export_rows(entries, today) -> tuple[list[str], list[list]]:
    header = [
        _("Rank"),
        _("Priority score"),
        _("Priority policy version"),
        _("Name"),
        _("Community identifier"),
        _("Home organisation"),
        _("Acuity score"),
        _("Highest possible acuity score"),
        _("Acuity level"),
        _("Triage recommendation"),
        _("Status"),
        _("Reference worker"),
        _("Chronic"),
        _("Days homeless in the past year"),
        _("Days homeless in the past three years"),
        _("Entered the list on"),
        _("Days on the list"),
        _("Last contact"),
        _("Preferred areas"),
    ]
    from ancrage.housing.models import Area

    # The areas named in the user's language, read once for the whole export.
    areas = {a.pk: a.name for a in Area.objects.all()}
    rows = []
    for e in entries:
        p = e.participant
        ranked = e.priority_rank is not None
        chosen = [areas[i] for i in e.preferred_areas or [] if i in areas] + list(
            e.preferred_neighbourhoods or []
        )
        rows.append(
            [
                e.priority_rank,
                _number(e.priority_score) if ranked else None,
                e.priority_policy.version if ranked and e.priority_policy else None,
                p.display_name,
                p.community_id,
                p.organisation.name,
                _number(e.acuity_score),
                _number(e.acuity_max),
                acuity_level_label(e.acuity_band),
                band_label(e.acuity_band) if e.acuity_band else "",
                e.get_status_display(),
                e.reference_worker.display_name if e.reference_worker else "",
                _("Yes") if e.is_chronic else _("No"),
                e.homeless_days_past_year,
                e.homeless_days_past_three_years,
                e.entered_on,
                (today - e.entered_on).days,
                e.last_contact_on,
                ", ".join(chosen),
            ]
        )
    return header, rows


@require_permission("access.view_by_name_list")
def by_name_export(request):
    """The filtered list as a spreadsheet or, with ?format=csv, as a CSV French Excel opens (see
    core.exports); rank, score, acuity and policy version first; headers and file name in the user's
    language, only the rows the user may see, every export audited."""
    _form, kwargs = _filters(request)
    entries = list(selectors.by_name_list_for_user(request.user, **kwargs))
    today = clock.today()
    header, rows = _export_rows(entries, today)
    as_xlsx = exports.wants_xlsx(request)
    policies = sorted({e.priority_policy.version for e in entries if e.priority_rank and e.priority_policy})
    # Translators: the start of an exported file's name: words joined by hyphens, no spaces.
    stem = _("by-name-list")
    response, _count = exports.table_response(
        filename_stem=f"{stem}-{today.isoformat()}",
        header=header,
        rows=rows,
        as_xlsx=as_xlsx,
        sheet_title=str(_("By-name list")),
    )
    audit.record(
        actor=request.user,
        action="access.by_name_list.exported",
        data={
            "filters": {k: str(v) for k, v in kwargs.items() if v not in (None, "")},
            "rows": len(entries),
            "format": "xlsx" if as_xlsx else "csv",
            "policy_version": ", ".join(str(v) for v in policies) if policies else None,
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


def _workers_for(entry: ByNameEntry, user):
    """People who may be named reference worker, as at intake: staff of the participant's organisation or
    of the user's (a hub worker keeps their own people), and always the worker named now, so that a change
    of status never forces a change of worker."""
    return (
        User.objects.filter(
            (
                Q(memberships__organisation_id=entry.participant.organisation_id)
                | Q(memberships__organisation_id__in=user.organisation_ids)
            )
            & Q(is_active=True)
            | Q(pk=entry.reference_worker_id)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@require_record_permission("access.manage_by_name_list")
def status_change(request, pk: int):
    entry = _entry_for(request.user, pk)
    form = StatusChangeForm(
        request.POST or None,
        workers=_workers_for(entry, request.user),
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


# Each figure of the flow, as the table's header names it; the people behind it are listed by this key.
FLOW_LABELS: dict[str, Any] = {
    "new": gettext_lazy("New on the list"),
    "returned_from_housing": gettext_lazy("Back from housing"),
    "returned_from_inactive": gettext_lazy("Back from inactive"),
    "housed": gettext_lazy("Housed (placements)"),
    "moved_away": gettext_lazy("Moved away"),
    "inactive": gettext_lazy("Became inactive"),
    "institution": gettext_lazy("Went into an institution"),
    "deceased": gettext_lazy("Deceased"),
    "actively_homeless": gettext_lazy("Actively homeless at month end"),
}


@require_permission("access.view_flow")
def flow(request):
    """The community's last twelve months of inflow and outflow, as a table and a chart drawn from the same
    figures: the same for every reader (they name nobody), small counts hidden (A7)."""
    this_month = clock.today().replace(day=1)
    firsts = [this_month - relativedelta(months=back) for back in range(11, -1, -1)]
    figures = [selectors.community_monthly_flow(first.year, first.month) for first in firsts]
    threshold = settings.ANCRAGE["SMALL_COUNT_THRESHOLD"]
    cells = disclosure.protect(figures, threshold)
    goal = settings.ANCRAGE["MONTHLY_PLACEMENT_GOAL"]
    months: list[dict[str, Any]] = []
    for first, row in zip(firsts, cells, strict=True):
        # Placements are the people housed in the month (moved from active to housed), against the goal.
        placements = row["housed"]
        if placements.shown:
            goal_met: bool | None = placements.value >= goal
        else:
            # A small count is below the goal when the goal is not small itself; a covering one says nothing.
            goal_met = False if placements.hidden == "small" and threshold <= goal else None
        months.append(
            {
                "label": date_format(first, "YEAR_MONTH_FORMAT"),
                "year": first.year,
                "month": first.month,
                "c": row,
                "placements": placements,
                "goal_met": goal_met,
            }
        )

    def series(key: str) -> list[int | None]:
        # A hidden figure is a gap in the chart, as in the table.
        return [m["c"][key].value if m["c"][key].shown else None for m in months]

    chart = {
        "labels": [m["label"] for m in months],
        "series": [
            {"label": _("Inflow"), "data": series("inflow")},
            {"label": _("Outflow"), "data": series("outflow")},
            {"label": _("Actively homeless at month end"), "data": series("actively_homeless"), "line": True},
            {"label": _("Placements (people housed)"), "data": series("housed"), "line": False},
            {
                "label": _("Monthly placement goal"),
                "data": [goal for _m in months],
                "line": True,
                "point": "line",
            },
        ],
    }
    context = {
        "months": months,
        "chart": chart,
        "goal": goal,
        "threshold": threshold,
        "can_list_people": request.user.has_ancrage_perm("access.view_by_name_list"),
    }
    return render(request, "access/flow.html", context)


@require_permission("access.view_flow")
def flow_people(request, year: int, month: int):
    """The people behind one figure of a month, only those the reader may see on the by-name list (each
    read recorded); the others are not counted here, so a hidden small count stays hidden."""
    if not 1 <= month <= 12 or not 2000 <= year <= clock.today().year:
        raise Http404
    figure = request.GET.get("figure", "")
    if figure not in FLOW_LABELS:
        figure = "new"
    first = datetime.date(year, month, 1)
    page = None
    if request.user.has_ancrage_perm("access.view_by_name_list"):
        page = paginate(request, selectors.flow_people_for_user(request.user, year, month, figure))
        page.object_list = list(page.object_list)
        audit.record_reads(
            actor=request.user,
            reads=[(e.participant_id, "access.flow.people_listed") for e in page.object_list],
        )
    context = {
        "label": date_format(first, "YEAR_MONTH_FORMAT"),
        "year": year,
        "month": month,
        "figure": figure,
        "figures": [{"key": k, "label": v} for k, v in FLOW_LABELS.items()],
        "figure_label": FLOW_LABELS[figure],
        "page": page,
    }
    return render(request, "access/flow_people.html", context)


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


@require_POST
@require_record_permission("access.manage_referrals")
def referral_withdraw(request, referral_pk: int):
    """Withdraw a referral not yet through intake (the person was housed elsewhere, a duplicate…), with why."""
    referral = get_object_or_404(Referral, pk=referral_pk, organisation_id__in=request.user.organisation_ids)
    form = ReferralWithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.referral_withdraw(
                actor=request.user, referral=referral, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("The referral of %(name)s is withdrawn.") % {"name": referral.person_name}
            )
            return redirect("access:referral_list")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("access:referral_list")


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
                backdate_reason=form.cleaned_data["backdate_reason"],
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
    histories, stays = selectors.homelessness_history_of(participant)
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
        "history": histories[0] if histories else None,
        # What the history makes of the person, before the intake puts them on the list (A4, A5).
        "verdict": chronic_from_history(stays, histories, on=clock.today()) if histories or stays else None,
    }
    return render(request, "access/intake_detail.html", context)
