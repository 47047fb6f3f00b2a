"""Pages of the participant registry: search, files, consents, documents, duplicates, history."""

from __future__ import annotations

import datetime

import filetype
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ancrage.core import audit, clock, exports, panels
from ancrage.core.forms import AuditFilterForm, SearchForm
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import (
    Category,
    check_record_permission,
    require_permission,
    require_record_permission,
)
from ancrage.core.views_helpers import apply_service_errors, paginate
from ancrage.organisations.models import HOLDING_KINDS, Organisation
from ancrage.people import selectors, services
from ancrage.people.duplicates import Probe, find_matches, probable_pairs
from ancrage.people.forms import (
    AliasForm,
    ConsentForm,
    DocumentForm,
    HouseholdMemberForm,
    IdentifierForm,
    MergeForm,
    OrganisationChoiceForm,
    ParticipantForm,
    RevokeConsentForm,
    SupportContactForm,
    TransferForm,
)
from ancrage.people.models import Merge


def _home_organisations(user):
    """Organisations where the user may open new files."""
    return Organisation.objects.filter(
        pk__in=user.organisation_ids, kind__in=HOLDING_KINDS, is_active=True
    ).order_by("name")


def _next_url(request) -> str:
    """Where to go once the form is done, when the page was opened from another step (an intake): a path of
    this site only."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


def _with_participant(url: str, pk: int) -> str:
    return f"{url}{'&' if '?' in url else '?'}participant={pk}"


@require_permission("people.view_participants")
def participant_list(request):
    search = SearchForm(request.GET, label=_("Name, alias or identifier"))
    query = search.query
    org = request.GET.get("organisation") or None
    try:
        org_id = int(org) if org else None
    except ValueError:
        org_id = None
    page = paginate(request, selectors.participant_search(request.user, query, org_id), count=False)
    page.object_list = list(page.object_list)
    # Names in a list are a read of each file shown (G2), written with the request's reads in one statement.
    audit.record_reads(
        actor=request.user, reads=[(p.pk, "people.participant.listed") for p in page.object_list]
    )
    context = {
        "page": page,
        "query": query,
        "search_error": search.error,
        "organisation_id": org_id,
        "organisations": Organisation.objects.filter(pk__in=request.user.organisation_ids),
    }
    if request.htmx and request.htmx.target == "results":
        return render(request, "people/participant_list.html#results", context)
    return render(request, "people/participant_list.html", context)


@require_permission("people.add_participant")
def participant_create(request):
    organisations = _home_organisations(request.user)
    if not organisations.exists():
        messages.error(
            request,
            _(
                "Only staff of a community organisation or of the coordinated-access hub can open a "
                "participant file."
            ),
        )
        return redirect("people:list")
    next_url = _next_url(request)
    # Opened from an intake: the name as referred is typed already.
    initial = {k: request.GET[k] for k in ("legal_first_name", "legal_last_name") if request.GET.get(k)}
    form = ParticipantForm(request.POST or None, request.FILES or None, initial=initial)
    org_form = OrganisationChoiceForm(
        request.POST or None, organisations=organisations, initial={"organisation": organisations.first()}
    )
    matches = []
    if request.method == "POST" and form.is_valid() and org_form.is_valid():
        probe = Probe(
            first_name=form.cleaned_data["legal_first_name"],
            last_name=form.cleaned_data["legal_last_name"],
            preferred_name=form.cleaned_data.get("preferred_name") or "",
            date_of_birth=form.cleaned_data.get("date_of_birth"),
            aliases=form.alias_list(),
        )
        matches = find_matches(probe, selectors.participants_visible_to(request.user))
        if matches and request.POST.get("confirm_new") != "1":
            return render(
                request,
                "people/participant_form.html",
                {
                    "form": form,
                    "org_form": org_form,
                    "matches": matches,
                    "creating": True,
                    "next_url": next_url,
                },
            )
        try:
            participant = services.participant_create(
                actor=request.user,
                organisation=org_form.cleaned_data["organisation"],
                aliases=form.alias_list(),
                photo=form.cleaned_data.get("photo"),
                **form.participant_values(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("The file of %(name)s was created.") % {"name": participant.display_name}
            )
            if next_url:
                return redirect(_with_participant(next_url, participant.pk))
            return redirect("people:detail", pk=participant.pk)
    return render(
        request,
        "people/participant_form.html",
        {"form": form, "org_form": org_form, "creating": True, "next_url": next_url},
    )


@login_required
def participant_detail(request, pk: int):
    access = selectors.participant_get_for_user(request.user, pk)
    p = access.participant
    if p.merged_into_id:
        # A merged file still opens (its history matters), with a pointer to the file it joined.
        messages.info(request, _("This file was merged into another one."))
    records = selectors.participant_detail_records(access)
    merges = list(Merge.objects.filter(kept=p, undone_at__isnull=True).select_related("merged"))
    context = {
        "access": access,
        "p": p,
        "merges": merges,
        "duplicate_decisions": selectors.duplicate_decisions_for(request.user, p),
        "Category": Category,
        **panels.context(panels.PARTICIPANT_DETAIL, user=request.user, access=access),
        **records,
    }
    return render(request, "people/participant_detail.html", context)


@require_record_permission("people.change_participant")
def participant_edit(request, pk: int):
    access = selectors.participant_get_for_user(request.user, pk)
    p = access.participant
    if not access.is_home_organisation:
        raise Http404
    form = ParticipantForm(request.POST or None, request.FILES or None, instance=p, with_aliases=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(
                actor=request.user,
                participant=p,
                photo=form.cleaned_data.get("photo") if "photo" in form.changed_data else None,
                **form.participant_values(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:detail", pk=p.pk)
    # A failed form must not show the half-edited instance as if it were saved.
    if form.is_bound:
        p.refresh_from_db()
    return render(request, "people/participant_form.html", {"form": form, "p": p, "creating": False})


@require_record_permission("people.change_participant")
def participant_transfer(request, pk: int):
    """Change the file's home organisation: the hub hands it over, or an organisation takes the person on."""
    access = selectors.participant_get_for_user(request.user, pk)
    p = access.participant
    if p.is_merged:
        raise Http404
    holding = Organisation.objects.filter(
        consortium_id=p.organisation.consortium_id, kind__in=HOLDING_KINDS, is_active=True
    ).exclude(pk=p.organisation_id)
    if not access.is_home_organisation:
        # Another organisation, seeing the file through consent, may only take the person on itself.
        holding = holding.filter(pk__in=request.user.organisation_ids)
    holding = holding.order_by("name")
    form = TransferForm(request.POST or None, organisations=holding)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_transfer(
                actor=request.user,
                participant=p,
                organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(organisation)s is now the home organisation of %(name)s.")
                % {"organisation": form.cleaned_data["organisation"].name, "name": p.display_name},
            )
            return redirect("people:detail", pk=p.pk)
    return render(
        request, "people/transfer_form.html", {"form": form, "p": p, "has_choices": holding.exists()}
    )


_SMALL_FORMS = {
    "alias": (AliasForm, "people.change_participant", gettext_lazy("Add an alias")),
    "identifier": (IdentifierForm, "people.change_participant", gettext_lazy("Add an identifier")),
    "contact": (
        SupportContactForm,
        "people.change_participant",
        gettext_lazy("Add a support or emergency contact"),
    ),
    "household": (HouseholdMemberForm, "people.change_participant", gettext_lazy("Add a household member")),
}


@login_required
def participant_add_related(request, pk: int, kind: str):
    if kind not in _SMALL_FORMS:
        raise Http404
    form_class, perm, title = _SMALL_FORMS[kind]
    # A record of the file: without the permission, 404 as for a file not seen (G1, G2).
    check_record_permission(request.user, perm)
    access = selectors.participant_get_for_user(request.user, pk)
    if not access.is_home_organisation:
        raise Http404
    p = access.participant
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if kind == "alias":
                services.alias_add(actor=request.user, participant=p, name=form.cleaned_data["name"])
            elif kind == "identifier":
                services.identifier_add(actor=request.user, participant=p, **form.cleaned_data)
            elif kind == "contact":
                services.support_contact_add(actor=request.user, participant=p, **form.cleaned_data)
            else:
                services.household_member_add(actor=request.user, participant=p, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:detail", pk=p.pk)
    return render(request, "people/small_form.html", {"form": form, "p": p, "title": title})


@require_record_permission("people.manage_consents")
def consent_create(request, pk: int):
    access = selectors.participant_get_for_user(request.user, pk)
    # Only the home organisation records consent: another one could otherwise widen its own access.
    if not access.is_home_organisation:
        raise Http404
    p = access.participant
    organisations = Organisation.objects.filter(
        consortium=p.organisation.consortium, is_active=True
    ).order_by("kind", "name")
    next_url = _next_url(request)
    initial = {}
    if request.GET.get("for") == Category.COORDINATED_ACCESS:
        # Asked from an intake: the consent coordinated access needs, shared with the worker's organisations.
        initial = {
            "organisations": [o.pk for o in organisations if o.pk in request.user.organisation_ids],
            "categories": [Category.IDENTITY, Category.HOUSING, Category.COORDINATED_ACCESS],
            "purpose": _(
                "Coordinated access: intake, triage, the by-name list and matching with housing and programs."
            ),
        }
    form = ConsentForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_record(
                actor=request.user,
                participant=p,
                organisations=list(data["organisations"]),
                categories=data["categories"],
                purpose=data["purpose"],
                starts_on=data["starts_on"],
                expires_on=data.get("expires_on"),
                method=data["method"],
                witness_name=data.get("witness_name") or "",
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect(next_url or reverse("people:detail", kwargs={"pk": p.pk}))
    return render(request, "people/consent_form.html", {"form": form, "p": p, "next_url": next_url})


@require_record_permission("people.manage_consents")
def consent_revoke(request, pk: int, consent_pk: int):
    access, consent = selectors.consent_get_for_user(request.user, pk, consent_pk)
    if not access.is_home_organisation:
        raise Http404
    form = RevokeConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_revoke(actor=request.user, consent=consent, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Consent revoked. It no longer allows any sharing, from now on."))
        return redirect("people:detail", pk=access.participant.pk)
    return render(
        request, "people/consent_revoke.html", {"form": form, "p": access.participant, "consent": consent}
    )


@require_permission("people.view_participants")
def consents_expiring(request):
    page = paginate(request, selectors.consents_expiring(request.user))
    return render(request, "people/consents_expiring.html", {"page": page})


@require_record_permission("people.manage_documents")
def document_upload(request, pk: int):
    access = selectors.participant_get_for_user(request.user, pk)
    if not access.can_see_documents:
        raise Http404
    p = access.participant
    form = DocumentForm(request.POST or None, request.FILES or None, consents=p.consents.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_upload(
                actor=request.user,
                participant=p,
                kind=data["kind"],
                upload=data["file"],
                signed_on=data["signed_on"],
                resign_on=data.get("resign_on"),
                consent=data.get("consent"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect("people:detail", pk=p.pk)
    return render(request, "people/document_form.html", {"form": form, "p": p})


@login_required
def document_download(request, pk: int, document_pk: int):
    access, document = selectors.document_get_for_user(request.user, pk, document_pk)
    audit.record_read(
        actor=request.user, participant=access.participant, what="people.document.viewed", obj=document
    )
    response = FileResponse(document.file.open("rb"), content_type=document.content_type)
    response["Content-Disposition"] = f'inline; filename="document-{document.pk}"'
    return response


@login_required
def participant_photo(request, pk: int):
    """Photos never sit under a public URL: each one is served after the access check."""
    access = selectors.participant_get_for_user(request.user, pk, what="people.photo.viewed")
    if not access.participant.photo:
        raise Http404
    handle = access.participant.photo.open("rb")
    kind = filetype.guess(handle.read(261))
    handle.seek(0)
    return FileResponse(handle, content_type=kind.mime if kind else "application/octet-stream")


@login_required
def participant_history(request, pk: int):
    access = selectors.participant_get_for_user(request.user, pk, what="people.history.viewed")
    # Like the audit screen: one's own organisation's files, or the whole consortium for an administrator.
    if not access.is_home_organisation and not request.user.has_ancrage_perm("core.configure"):
        raise Http404
    page = paginate(request, selectors.file_history(access), per_page=50)
    return render(request, "people/participant_history.html", {"p": access.participant, "page": page})


@login_required
def who_saw_my_file(request, pk: int):
    """The participant's own report of who saw their file, in the participant's language."""
    access = selectors.participant_get_for_user(request.user, pk, what="people.audit.viewed")
    if not access.is_home_organisation and not access.is_self:
        raise Http404
    p = access.participant
    entries = list(selectors.file_history(access).filter(is_read=True)[:500])
    with translation.override(p.communication_language):
        return render(
            request, "people/who_saw.html", {"p": p, "entries": entries, "lang": p.communication_language}
        )


@require_record_permission("people.merge_participants")
def participant_duplicates(request, pk: int):
    access = selectors.participant_get_for_user(request.user, pk)
    p = access.participant
    pool = selectors.participants_visible_to(request.user)
    matches = find_matches(Probe.from_participant(p), pool, exclude_pk=p.pk)
    # The candidates are shown too (names, birth dates): one statement for all of them.
    audit.record_reads(
        actor=request.user,
        reads=[(m.participant.pk, "people.participant.viewed") for m in matches],
        data={"from": "duplicates"},
    )
    # Merging moves records between files, so only files of the user's own organisations merge; files of
    # two organisations are linked instead, which moves nothing (see participant_merge).
    mergeable = {
        m.participant.pk
        for m in matches
        if access.is_home_organisation and m.participant.organisation_id in request.user.organisation_ids
    }
    # A decision already made is shown, not offered again (A4); merging linked files stays possible.
    decided = {d.other.pk: d.row for d in selectors.duplicate_decisions_for(request.user, p)}
    for m in matches:
        m.decision = decided.get(m.participant.pk)  # type: ignore[attr-defined]
    context = {"p": p, "matches": matches, "mergeable": mergeable, "form": MergeForm()}
    return render(request, "people/duplicates.html", context)


@require_permission("people.merge_participants")
def duplicate_worklist(request):
    """The hub's worklist of probable duplicates across organisations (A4), among the files the user may see;
    a pair already decided shows its decision instead of offering it again."""
    show = request.GET.get("show", "open")
    if show not in {"open", "decided", "all"}:
        show = "open"
    pairs = probable_pairs(selectors.participants_visible_to(request.user))
    counts = {"open": sum(not p.is_decided for p in pairs), "decided": sum(p.is_decided for p in pairs)}
    if show == "open":
        pairs = [p for p in pairs if not p.is_decided]
    elif show == "decided":
        pairs = [p for p in pairs if p.is_decided]
    page = paginate(request, pairs)
    page.object_list = list(page.object_list)
    # Both files of each pair shown are read (names, birth dates), in one statement.
    audit.record_reads(
        actor=request.user,
        reads=[
            (pk, "people.participant.listed")
            for pair in page.object_list
            for pk in (pair.first.pk, pair.second.pk)
        ],
        data={"from": "duplicates worklist"},
    )
    return render(request, "people/duplicate_worklist.html", {"page": page, "show": show, "counts": counts})


@require_POST
@require_record_permission("people.merge_participants")
def participant_merge(request, pk: int, other_pk: int):
    kept_access = selectors.participant_get_for_user(request.user, pk, log_read=False)
    other_access = selectors.participant_get_for_user(request.user, other_pk, log_read=False)
    kept, other = kept_access.participant, other_access.participant
    decision = request.POST.get("decision", "merge")
    # Merging moves documents and consents between files: both must be files of the user's organisations.
    if decision == "merge" and not (kept_access.is_home_organisation and other_access.is_home_organisation):
        raise Http404
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why these files are the same person (or not) before deciding."))
        return redirect("people:duplicates", pk=kept.pk)
    reason = form.cleaned_data["reason"]
    try:
        if decision == "merge":
            result = services.participant_merge(actor=request.user, kept=kept, merged=other, reason=reason)
            messages.success(
                request,
                _("Files merged: %(count)s records moved. The merge can be undone from the file.")
                % {"count": result.moved_count},
            )
        elif decision in {"not_same", "linked"}:
            services.duplicate_decide(
                actor=request.user, first=kept, second=other, decision=decision, reason=reason
            )
            messages.success(request, _("Decision recorded."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("people:detail", pk=kept.pk)


@require_POST
@require_record_permission("people.merge_participants")
def merge_undo(request, merge_pk: int):
    merge = get_object_or_404(Merge, pk=merge_pk)
    # Both files must be files of the user's organisations, as when merging.
    for participant_pk in (merge.kept_id, merge.merged_id):
        if not selectors.participant_get_for_user(
            request.user, participant_pk, log_read=False
        ).is_home_organisation:
            raise Http404
    try:
        services.participant_merge_undo(actor=request.user, merge=merge)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Merge undone: both files are separate again."))
    return redirect(reverse("people:detail", kwargs={"pk": merge.kept_id}))


# --- the audit trail (G1, G2) --------------------------------------------------------------------------


def _audit_filters(form) -> Q | None:
    """The form's filters as a condition; None when there are none. An invalid form matches nothing:
    filters that make no sense show their error, not the whole unfiltered trail."""
    if not form.is_bound:
        return None
    if not form.is_valid():
        return Q(pk__in=[])
    data = form.cleaned_data
    condition = Q()
    if data.get("participant"):
        condition &= Q(participant__community_id__iexact=data["participant"].strip())
    if data.get("user"):
        condition &= Q(actor__username__iexact=data["user"].strip())
    if data.get("action"):
        condition &= Q(action=data["action"])
    if data.get("since"):
        condition &= Q(at__gte=clock.start_of_day(data["since"]))
    if data.get("until"):
        condition &= Q(at__lt=clock.start_of_day(data["until"] + datetime.timedelta(days=1)))
    return condition


@require_permission("core.view_audit")
def audit_log(request):
    """Who read or changed what: only entries about people the reader may see now, and their values only
    for the kinds of information the reader may read now; the others are counted, not listed."""
    form = AuditFilterForm(request.GET or None)
    trail = selectors.audit_trail_for_user(request.user, _audit_filters(form))
    page = paginate(request, trail.entries, per_page=50)
    page.object_list = list(page.object_list)
    audit.change_rows(page.object_list, selectors.audit_readable_entries(request.user, page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "hidden_count": trail.hidden_count, "query": query.urlencode()},
    )


AUDIT_EXPORT_LIMIT = 50_000


def _details(entry: AuditEntry, changed: str) -> str:
    """An entry's changes as one line, as `audit.change_rows` prepared them (masked or not)."""
    hidden = getattr(entry, "values_hidden", False)
    return "; ".join(
        [
            *(
                f"{label}: {changed}" if hidden else f"{label}: {old or '∅'} → {new or '∅'}"
                for label, old, new in getattr(entry, "change_rows", [])
            ),
            *(f"{label}: {value}" for label, value in getattr(entry, "detail_rows", [])),
        ]
    )


@require_permission("core.view_audit")
def audit_export(request):
    """The filtered trail as a workbook (or a CSV with ?format=csv), with the same masking as the screen;
    the export is itself audited."""
    form = AuditFilterForm(request.GET or None)
    filters = _audit_filters(form)
    trail = selectors.audit_trail_for_user(request.user, filters)
    entries = list(trail.entries[:AUDIT_EXPORT_LIMIT])
    audit.change_rows(entries, selectors.audit_readable_entries(request.user, entries))
    # Each file the export names is read (its "who saw my file" lists the export), in one statement.
    audit.record_reads(
        actor=request.user,
        reads=[(e.participant_id, "people.audit.exported_about") for e in entries if e.participant_id],
    )
    changed = _("changed")
    header = [_("When"), _("Who"), _("Organisation"), _("What"), _("Viewed"), _("Participant"), _("Details")]
    rows = (
        [
            clock.localtime(e.at),
            e.actor.display_name if e.actor else "",
            e.organisation.short_name if e.organisation else "",
            e.sentence,
            _("Yes") if e.is_read else _("No"),
            e.participant.community_id if e.participant else "",
            _details(e, changed),
        ]
        for e in entries
    )
    as_xlsx = exports.wants_xlsx(request)
    # Translators: the start of an exported file's name: words joined by hyphens, no spaces.
    stem = _("audit-trail")
    response, count = exports.table_response(
        filename_stem=f"{stem}-{clock.today().isoformat()}",
        header=header,
        rows=rows,
        as_xlsx=as_xlsx,
        sheet_title=str(_("Who read or changed what")),
    )
    audit.record(
        actor=request.user,
        action="people.audit.exported",
        data={
            "filters": {
                k: str(v)
                for k, v in (form.cleaned_data if form.is_bound and form.is_valid() else {}).items()
                if v
            },
            "rows": count,
            "hidden": trail.hidden_count,
            "format": "xlsx" if as_xlsx else "csv",
        },
    )
    return response
