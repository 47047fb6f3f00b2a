"""Pages to administer an instrument to a participant, one section per page, phone first."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ancrage.assessments import selectors, services
from ancrage.assessments.engine import is_visible
from ancrage.assessments.forms import CloseForm, SectionForm, StartForm, localized
from ancrage.assessments.models import Administration
from ancrage.core.permissions import Category, require_record_permission
from ancrage.core.views_helpers import apply_service_errors
from ancrage.organisations.requirements import acuity_level_label


def _band_label(definition: dict[str, Any], band: str | None) -> str:
    for item in definition.get("bands", []):
        if item["key"] == band:
            return localized(item["label"])
    return ""


@require_record_permission("assessments.view")
def administration_list(request, pk: int):
    access = selectors.participant_access_for_assessments(request.user, pk, log_read=True)
    rows = []
    for a in selectors.administrations_for_access(access):
        definition = a.version.definition
        rows.append(
            {
                "a": a,
                "title": localized(definition["title"]),
                "band": _band_label(definition, a.score.get("band")) if a.score else "",
            }
        )
    return render(request, "assessments/list.html", {"p": access.participant, "access": access, "rows": rows})


@require_record_permission("assessments.administer")
def administration_start(request, pk: int):
    access = selectors.participant_access_for_assessments(request.user, pk)
    p = access.participant
    # Only the instruments whose category the user may read on this participant (health, coordinated access).
    versions = selectors.latest_instrument_versions(selectors.assessment_categories(access))
    form = StartForm(request.POST or None, versions=versions)
    if request.method == "POST" and form.is_valid():
        administration = services.administration_start(
            actor=request.user, participant=p, version=form.cleaned_data["version"]
        )
        return redirect("assessments:administer", pk=p.pk, administration_pk=administration.pk)
    descriptions = {v.pk: localized(v.definition.get("description")) for v in versions}
    return render(
        request,
        "assessments/start.html",
        {"p": p, "form": form, "versions": versions, "descriptions": descriptions},
    )


def _section_index(request, count: int) -> int:
    try:
        index = int(request.POST.get("section", request.GET.get("section", 0)))
    except (TypeError, ValueError):
        index = 0
    return min(max(index, 0), count - 1)


def _section_url(p, administration, index: int) -> str:
    url = reverse("assessments:administer", kwargs={"pk": p.pk, "administration_pk": administration.pk})
    return f"{url}?section={index}" if index else url


@require_record_permission("assessments.administer")
def administration_administer(request, pk: int, administration_pk: int):
    administration = selectors.administration_get_for_user(request.user, pk, administration_pk)
    p = administration.participant
    if not administration.is_open:
        if administration.status == Administration.Status.COMPLETED:
            return redirect("assessments:result", pk=p.pk, administration_pk=administration.pk)
        messages.info(request, _("This assessment is closed: its answers can no longer change."))
        return redirect("assessments:list", pk=p.pk)
    definition = administration.version.parsed
    sections = definition.sections
    index = _section_index(request, len(sections))
    section = sections[index]
    form = SectionForm(
        request.POST or None, definition=definition, section=section, answers=administration.answers
    )
    elsewhere: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "next")
        shown = {q["key"] for q in form.questions}
        try:
            administration = services.administration_save_answers(
                actor=request.user, administration=administration, answers=form.answers()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            answers = administration.answers
            appeared = [
                q
                for q in section["questions"]
                if q["key"] not in shown and q["key"] not in answers and is_visible(definition, q, answers)
            ]
            if appeared and action in ("next", "complete"):
                messages.info(
                    request, _("Your answers open further questions in this section: please answer them.")
                )
                return redirect(_section_url(p, administration, index))
            if action == "later":
                messages.success(request, _("Answers saved. You can continue this assessment later."))
                return redirect("assessments:list", pk=p.pk)
            if action == "close":
                # What was typed is kept before the participant declines or the assessment is set aside.
                return redirect("assessments:close", pk=p.pk, administration_pk=administration.pk)
            if action == "back":
                return redirect(_section_url(p, administration, max(index - 1, 0)))
            if action == "complete":
                try:
                    services.administration_save_answers(
                        actor=request.user, administration=administration, answers={}, complete=True
                    )
                except ValidationError as exc:
                    missing = exc.message_dict if hasattr(exc, "error_dict") else {}
                    form = SectionForm(request.POST, definition=definition, section=section, answers=answers)
                    form.is_valid()
                    apply_service_errors(
                        form, ValidationError({k: v for k, v in missing.items() if k in form.fields})
                    )
                    elsewhere = _missing_elsewhere(definition, missing, index)
                    if not hasattr(exc, "error_dict"):
                        for message in exc.messages:
                            form.add_error(None, message)
                    if not form.errors:
                        form.add_error(None, _("Some questions in other sections still need an answer."))
                else:
                    messages.success(request, _("Assessment completed."))
                    return redirect("assessments:result", pk=p.pk, administration_pk=administration.pk)
            else:
                return redirect(_section_url(p, administration, min(index + 1, len(sections) - 1)))
    context = {
        "p": p,
        "administration": administration,
        "title": localized(definition.data["title"]),
        "section": section,
        "section_title": localized(section["title"]),
        "index": index,
        "number": index + 1,
        "count": len(sections),
        "is_last": index == len(sections) - 1,
        "form": form,
        "elsewhere": elsewhere,
        "sections": [
            {"index": i, "number": i + 1, "title": localized(s["title"])} for i, s in enumerate(sections)
        ],
    }
    return render(request, "assessments/administer.html", context)


def _missing_elsewhere(definition, missing: dict[str, Any], current: int) -> list[dict[str, Any]]:
    """Questions of other sections that still need an answer, with the section to go back to."""
    rows = []
    for i, section in enumerate(definition.sections):
        if i == current:
            continue
        for q in section["questions"]:
            if q["key"] in missing:
                rows.append(
                    {"index": i, "section": localized(section["title"]), "text": localized(q["text"])}
                )
    return rows


@require_record_permission("assessments.administer")
def administration_close(request, pk: int, administration_pk: int):
    """The participant declines the assessment, or it is set aside for later; with a reason."""
    administration = selectors.administration_get_for_user(request.user, pk, administration_pk)
    p = administration.participant
    if not administration.is_open:
        messages.info(request, _("This assessment is closed: its answers can no longer change."))
        return redirect("assessments:list", pk=p.pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        close = {
            "decline": services.administration_decline,
            "postpone": services.administration_postpone,
        }.get(action or "")
        if close is None:
            form.add_error(None, _("Choose whether the participant declines or the assessment is postponed."))
        else:
            try:
                close(actor=request.user, administration=administration, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                if action == "decline":
                    messages.success(request, _("Recorded: the participant declined this assessment."))
                else:
                    messages.success(request, _("Assessment postponed. Its answers are kept."))
                return redirect("assessments:list", pk=p.pk)
    title = localized(administration.version.definition["title"])
    return render(
        request,
        "assessments/close.html",
        {"p": p, "administration": administration, "form": form, "title": title},
    )


@require_record_permission("assessments.view")
def administration_result(request, pk: int, administration_pk: int):
    administration = selectors.administration_get_for_user(request.user, pk, administration_pk)
    p = administration.participant
    definition = administration.version.parsed
    context: dict[str, Any] = {
        "p": p,
        "administration": administration,
        "title": localized(definition.data["title"]),
    }
    try:
        result = services.administration_score(administration)
    except ValidationError as exc:
        context["not_scored"] = " ".join(exc.messages)
        return render(request, "assessments/result.html", context)
    context.update(
        result=result,
        band=_band_label(definition.data, result["band"]),
        # A triage (A3) places the person in low, mid or high acuity as well as suggesting an intervention.
        level=acuity_level_label(result["band"])
        if definition.data.get("category") == Category.COORDINATED_ACCESS
        else "",
        sections=[
            {
                "title": localized(s["title"]),
                "total": result["sections"][s["key"]]["total"],
                "points": result["sections"][s["key"]]["points"],
                "cap": s["cap"],
            }
            for s in definition.sections
        ],
        derived=[
            {"label": localized(d.get("label")), "value": result["derived"].get(d["key"])}
            for d in definition.derived
        ],
    )
    return render(request, "assessments/result.html", context)
