"""Pages of partners: the registry (E1), the monthly contacts (E2), police links and notices (E3)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.core import audit, clock
from ancrage.core.permissions import require_permission
from ancrage.core.views_helpers import apply_service_errors, paginate
from ancrage.partners import selectors, services
from ancrage.partners.forms import (
    AgreementForm,
    ContactLogForm,
    ContactPersonForm,
    PartnerFilterForm,
    PartnerForm,
    PoliceLinkForm,
)
from ancrage.partners.models import PartnerKind


@require_permission("partners.view")
def partner_list(request):
    form = PartnerFilterForm(request.GET)
    q = kind = ""
    if form.is_valid():
        q, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    page = paginate(request, selectors.partners_for_user(request.user, q=q, kind=kind))
    return render(request, "partners/partner_list.html", {"form": form, "page": page})


def _partner_values(form: PartnerForm) -> dict:
    return dict(form.cleaned_data)


@require_permission("partners.manage")
def partner_create(request):
    form = PartnerForm(request.POST or None, consortium_ids=selectors.consortium_ids(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(actor=request.user, **_partner_values(form))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Partner added."))
            return redirect("partners:detail", partner_pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form})


@require_permission("partners.manage")
def partner_edit(request, partner_pk: int):
    partner = selectors.partner_get_for_user(request.user, partner_pk)
    initial = {f: getattr(partner, f) for f in services.PARTNER_FIELDS if f != "service_provider"}
    form = PartnerForm(
        request.POST or None, initial=initial, consortium_ids=selectors.consortium_ids(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(actor=request.user, partner=partner, **_partner_values(form))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Partner saved."))
            return redirect("partners:detail", partner_pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner})


@require_permission("partners.view")
def partner_detail(request, partner_pk: int):
    partner = selectors.partner_get_for_user(request.user, partner_pk)
    today = clock.today()
    linked_count, links = selectors.police_links_for(request.user, partner)
    audit.record_reads(
        actor=request.user,
        reads=[(link.risk_plan.participant_id, "partners.police_link.viewed") for link in links],
    )
    agreements = list(partner.agreements.order_by("ended_on", "renewal_on", "id"))
    for agreement in agreements:
        agreement.due = agreement.is_due(today)  # type: ignore[attr-defined]
    context = {
        "partner": partner,
        "contacts": list(partner.contacts.all()),
        "agreements": agreements,
        "logs": list(partner.contact_logs.select_related("by")[:20]),
        "is_police": partner.kind == PartnerKind.POLICE,
        "linked_count": linked_count,
        "links": links,
        "can_manage": request.user.has_ancrage_perm("partners.manage"),
        "today": today,
    }
    return render(request, "partners/partner_detail.html", context)


def _simple_form(request, partner, form, save, template_title: str, success: str):
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("partners:detail", partner_pk=partner.pk)
    return render(
        request, "partners/small_form.html", {"form": form, "partner": partner, "title": template_title}
    )


@require_permission("partners.manage")
def contact_person_add(request, partner_pk: int):
    partner = selectors.partner_get_for_user(request.user, partner_pk)
    form = ContactPersonForm(request.POST or None, initial={"language": partner.language})
    return _simple_form(
        request,
        partner,
        form,
        lambda data: services.partner_contact_add(actor=request.user, partner=partner, **data),
        _("Add a contact person"),
        _("Contact person added."),
    )


@require_permission("partners.manage")
def contact_log_add(request, partner_pk: int):
    partner = selectors.partner_get_for_user(request.user, partner_pk)
    form = ContactLogForm(request.POST or None)
    return _simple_form(
        request,
        partner,
        form,
        lambda data: services.contact_log_record(actor=request.user, partner=partner, **data),
        _("Log a contact"),
        _("Contact logged."),
    )


@require_permission("partners.manage")
def agreement_add(request, partner_pk: int):
    partner = selectors.partner_get_for_user(request.user, partner_pk)
    form = AgreementForm(request.POST or None, request.FILES or None)

    def save(data):
        services.agreement_add(
            actor=request.user,
            partner=partner,
            title=data["title"],
            kind=data["kind"],
            signed_on=data["signed_on"],
            renewal_on=data.get("renewal_on"),
            upload=data.get("file"),
        )

    return _simple_form(request, partner, form, save, _("Record an agreement"), _("Agreement recorded."))


@require_POST
@require_permission("partners.manage")
def agreement_end(request, partner_pk: int, agreement_pk: int):
    agreement = selectors.agreement_get_for_user(request.user, partner_pk, agreement_pk)
    try:
        services.agreement_end(actor=request.user, agreement=agreement, on=clock.today())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Agreement ended."))
    return redirect("partners:detail", partner_pk=agreement.partner_id)


@require_permission("partners.view")
def agreement_document(request, partner_pk: int, agreement_pk: int):
    """Agreements never sit under a public URL: each is served after the permission and consortium check."""
    agreement = selectors.agreement_get_for_user(request.user, partner_pk, agreement_pk)
    if not agreement.file:
        raise Http404
    # Read whole (at most DOCUMENT_MAX_BYTES) and closed at once: no handle outlives the request.
    with agreement.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=agreement.content_type)
    response["Content-Disposition"] = f'inline; filename="agreement-{agreement.pk}"'
    return response


@require_permission("partners.manage")
def police_link_add(request, partner_pk: int):
    partner = selectors.partner_get_for_user(request.user, partner_pk)
    if partner.kind != PartnerKind.POLICE:
        raise Http404
    form = PoliceLinkForm(request.POST or None, plans=selectors.linkable_risk_plans(request.user))
    return _simple_form(
        request,
        partner,
        form,
        lambda data: services.police_link_set(
            actor=request.user, partner=partner, risk_plan=data["risk_plan"]
        ),
        _("Link this police unit to a risk plan"),
        _("Police unit linked to the risk plan."),
    )


@require_POST
@require_permission("partners.manage")
def police_link_remove(request, partner_pk: int, link_pk: int):
    partner = selectors.partner_get_for_user(request.user, partner_pk)
    _count, shown = selectors.police_links_for(request.user, partner)
    link = next((link for link in shown if link.pk == link_pk), None)
    if link is None:
        raise Http404
    services.police_link_remove(actor=request.user, link=link)
    messages.success(request, _("Police unit unlinked from the risk plan."))
    return redirect("partners:detail", partner_pk=partner.pk)


@require_permission("partners.view")
def follow_up(request):
    """The partners not contacted this month or overdue (E2), and the agreements due for renewal (E1)."""
    context = {
        "due": selectors.contacts_due(request.user),
        "renewals": list(selectors.agreements_due(request.user)),
        "today": clock.today(),
    }
    return render(request, "partners/follow_up.html", context)


@require_permission("people.view_participants")
def notice_list(request):
    page = paginate(request, selectors.notices_for_user(request.user))
    page.object_list = list(page.object_list)
    audit.record_reads(
        actor=request.user, reads=[(n.participant_id, "partners.notice.viewed") for n in page.object_list]
    )
    return render(
        request, "partners/notice_list.html", {"page": page, "mine": set(request.user.organisation_ids)}
    )
