"""Pages of prioritisation (A5): policy files, their preview and activation; a person's profile and rank."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.access import selectors, services
from ancrage.access import views as list_views
from ancrage.access.eligibility import band_label
from ancrage.access.forms import PolicyActivationForm, PolicyForm, ProfileForm
from ancrage.access.models import ByNameEntry, ByNameStatus, PersonFlag, PriorityPolicy
from ancrage.access.priority import FACTORS, TIE_BREAKERS, describe_factor, describe_value, rank_explanations
from ancrage.access.views_history import evidence_in_words
from ancrage.core.permissions import require_permission, require_record_permission
from ancrage.core.views_helpers import apply_service_errors
from ancrage.organisations.requirements import acuity_level_label


def example_policy() -> str:
    """The example in the reader's language: its titles carry both, its one comment is translated."""
    comment = _("latest triage total, as a share of the highest possible total")
    return EXAMPLE_POLICY.replace("{acuity_comment}", comment)


# What a new draft starts from when no policy is in force yet: every kind of setting, once.
EXAMPLE_POLICY = """\
title: {fr: Priorités locales, en: Local priorities}
description: {fr: Adoptées par le comité d'accès coordonné., en: Adopted by the coordinated-access committee.}
factors:
  - factor: acuity_score        # {acuity_comment}
    weight: 40
  - factor: days_homeless_past_three_years
    weight: 25
  - factor: chronic
    weight: 15
  - factor: flag
    flag: medical_vulnerability
    weight: 10
  - factor: age_at_least
    years: 50
    weight: 5
tie_breakers: [entered_on, days_homeless]
"""

# How many people the preview lists; the counts above the table cover everyone.
PREVIEW_LIMIT = 50


def _policy_help() -> dict[str, Any]:
    """What a policy file may name, for the help under the editor."""
    return {
        "known_factors": [(key, f.label, f.params) for key, f in FACTORS.items()],
        "known_tie_breakers": [(key, label) for key, (label, _key) in TIE_BREAKERS.items()],
        "known_flags": PersonFlag.choices,
    }


def _number(value: Any) -> str:
    """A score or points as people write them: no trailing zeros, the language's decimal mark."""
    return (
        floatformat(value, -2)
        if isinstance(value, int | float) and not isinstance(value, bool)
        else str(value)
    )


def _factor_key(item: dict[str, Any]) -> tuple:
    """What makes a factor the same one in two policies: its kind and its setting, not its weight."""
    return (item.get("factor"), item.get("years"), item.get("flag"), item.get("max"))


def factors_in_words(definition: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"label": describe_factor(item), "weight": item.get("weight"), "max": item.get("max")}
        for item in definition.get("factors", [])
    ]


def tie_breakers_in_words(definition: dict[str, Any]) -> list[str]:
    keys = definition.get("tie_breakers") or ["entered_on"]
    return [str(TIE_BREAKERS[key][0]) for key in keys if key in TIE_BREAKERS]


# Factors counted in proportion to a value (the others count all or nothing), and the value that counts
# in full when the policy sets no `max` (as ancrage.access.priority computes them).
PROPORTIONAL_TOPS: dict[str, int | None] = {
    "acuity_score": None,  # the highest possible score of the person's triage
    "days_homeless_past_year": 365,
    "days_homeless_past_three_years": 1095,
    "days_on_list": 365,
}


def _share(value: float) -> str:
    """0.8 as “0.8” (“0,8” in French), 1 as “1”: up to three decimals, no trailing zeros."""
    text = str(floatformat(value, -3))
    return text.rstrip("0").rstrip(".,") if any(mark in text for mark in ".,") else text


def how_scaled(item: dict[str, Any]) -> str:
    """How a factor's value became a share from 0 to 1, then points: the rank page says it for each factor."""
    share, weight, points = (
        _share(item.get("share") or 0),
        _number(item.get("weight")),
        _number(item.get("points")),
    )
    factor = item.get("factor")
    if factor in PROPORTIONAL_TOPS:
        top = item.get("max") or PROPORTIONAL_TOPS[factor]
        if top is None:
            return _(
                "In proportion to the highest possible score of the triage, never more than 1: "
                "%(share)s × weight %(weight)s = %(points)s points."
            ) % {"share": share, "weight": weight, "points": points}
        return _(
            "In proportion: %(value)s ÷ %(top)s = %(share)s (never more than 1); "
            "%(share)s × weight %(weight)s = %(points)s points."
        ) % {
            "value": _number(item.get("value") or 0),
            "top": _number(top),
            "share": share,
            "weight": weight,
            "points": points,
        }
    return _(
        "All or nothing: 1 if it applies, 0 if not; %(share)s × weight %(weight)s = %(points)s points."
    ) % {
        "share": share,
        "weight": weight,
        "points": points,
    }


def explanation_in_words(explanation: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "label": describe_factor(item),
            "value": _number(item["value"]) if isinstance(item.get("value"), float) else describe_value(item),
            "weight": _number(item.get("weight")),
            "points": _number(item.get("points")),
            "scale": how_scaled(item),
        }
        for item in explanation
        if item.get("factor") in FACTORS
    ]


def movement_reasons(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    """The factors whose points differ between the ranks in force and the draft, in words."""
    before = {_factor_key(item): item for item in old}
    after = {_factor_key(item): item for item in new}
    reasons = []
    for key in [*after, *(k for k in before if k not in after)]:
        old_points = (before.get(key) or {}).get("points") or 0
        new_points = (after.get(key) or {}).get("points") or 0
        if old_points == new_points:
            continue
        item = after.get(key) or before[key]
        reasons.append(
            _("%(factor)s: %(old)s → %(new)s points")
            % {"factor": describe_factor(item), "old": _number(old_points), "new": _number(new_points)}
        )
    return reasons


@require_permission("access.view_by_name_list")
def policy_list(request):
    policies = list(PriorityPolicy.objects.select_related("created_by", "activated_by").order_by("-version"))
    active = next((p for p in policies if p.status == PriorityPolicy.Status.ACTIVE), None)
    context = {
        "policies": policies,
        "active": active,
        "active_factors": factors_in_words(active.definition) if active else [],
        "active_tie_breakers": tie_breakers_in_words(active.definition) if active else [],
    }
    return render(request, "access/policy_list.html", context)


@require_permission("access.manage_policies")
def policy_create(request):
    active = selectors.active_policy()
    form = PolicyForm(
        request.POST or None,
        initial={"definition_text": active.definition_text if active else example_policy()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.policy_draft_create(
                actor=request.user, text=form.cleaned_data["definition_text"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Draft version %(version)s saved. Preview it before activating it.")
                % {"version": policy.version},
            )
            return redirect("access:policy_detail", pk=policy.pk)
    return render(request, "access/policy_form.html", {"form": form, "active": active, **_policy_help()})


def _preview(user, policy: PriorityPolicy) -> dict[str, Any]:
    """Counts over the whole list; the table names only people the user may see, biggest moves first."""
    movements = services.policy_preview(policy)
    counts = {
        "up": sum(1 for m in movements if m.change > 0),
        "down": sum(1 for m in movements if m.change < 0),
        "same": sum(1 for m in movements if m.old_rank is not None and m.change == 0),
        "new": sum(1 for m in movements if m.old_rank is None),
        "total": len(movements),
    }
    visible = set(
        selectors.by_name_list_for_user(user)
        .filter(status=ByNameStatus.ACTIVE)
        .values_list("pk", flat=True)
        .order_by()
    )
    shown = [m for m in movements if m.entry_id in visible]
    movers = sorted(
        (m for m in shown if m.old_rank is None or m.change != 0),
        key=lambda m: (-abs(m.change), m.new_rank),
    )[:PREVIEW_LIMIT]
    entries = ByNameEntry.objects.select_related("participant").in_bulk([m.entry_id for m in movers])
    rows = [
        {
            "m": m,
            "entry": entries[m.entry_id],
            "moved_by": abs(m.change),
            "reasons": movement_reasons(m.old_explanation, m.new_explanation),
        }
        for m in movers
        if m.entry_id in entries
    ]
    return {"counts": counts, "rows": rows, "visible_count": len(shown), "limit": PREVIEW_LIMIT}


@require_permission("access.view_by_name_list")
def policy_detail(request, pk: int):
    policy = get_object_or_404(PriorityPolicy.objects.select_related("created_by", "activated_by"), pk=pk)
    can_manage = request.user.has_ancrage_perm("access.manage_policies")
    editable = can_manage and policy.status == PriorityPolicy.Status.DRAFT
    form = None
    if editable:
        form = PolicyForm(request.POST or None, initial={"definition_text": policy.definition_text})
        if request.method == "POST" and form.is_valid():
            try:
                services.policy_draft_update(
                    actor=request.user, policy=policy, text=form.cleaned_data["definition_text"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Draft saved. The preview below follows it."))
                return redirect("access:policy_detail", pk=policy.pk)
    elif request.method == "POST":
        messages.error(
            request, _("Only a draft can change: an active or retired policy stays as it was used.")
        )
        return redirect("access:policy_detail", pk=policy.pk)
    context = {
        "policy": policy,
        "factors": factors_in_words(policy.definition),
        "tie_breakers": tie_breakers_in_words(policy.definition),
        "form": form,
        "activation_form": PolicyActivationForm() if editable else None,
        "preview": _preview(request.user, policy) if editable else None,
        **_policy_help(),
    }
    return render(request, "access/policy_detail.html", context)


@require_POST
@require_permission("access.manage_policies")
def policy_activate(request, pk: int):
    policy = get_object_or_404(PriorityPolicy, pk=pk)
    form = PolicyActivationForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, str(error))
        return redirect("access:policy_detail", pk=policy.pk)
    try:
        services.policy_activate(actor=request.user, policy=policy, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Version %(version)s is now the policy in force; every rank was recomputed.")
            % {"version": policy.version},
        )
    return redirect("access:policy_detail", pk=policy.pk)


@require_record_permission("access.manage_by_name_list")
def profile_edit(request, pk: int):
    entry = list_views._entry_for(request.user, pk)
    form = ProfileForm(
        request.POST or None,
        initial={
            "household_type": entry.household_type,
            "income_sources": entry.income_sources,
            "accessibility_needs": entry.accessibility_needs,
            "flags": entry.flags,
            "preferred_unit_kinds": entry.preferred_unit_kinds,
            "preferred_areas": entry.preferred_areas,
            "preferred_neighbourhoods": ", ".join(entry.preferred_neighbourhoods),
        },
        chosen_areas=entry.preferred_areas,
        typed_neighbourhoods=entry.preferred_neighbourhoods,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.by_name_profile_update(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Profile saved. Ranks are recomputed in a moment."))
            return redirect("access:by_name_list")
    return render(request, "access/profile_form.html", {"form": form, "entry": entry, "p": entry.participant})


@require_record_permission("access.view_by_name_list")
def rank_explanation(request, pk: int):
    entry = selectors.by_name_entry_get_for_user(request.user, pk, what="access.rank.viewed")
    policy = entry.priority_policy if entry.priority_rank is not None else None
    ranked = ByNameEntry.objects.filter(priority_rank__isnull=False).count() if policy is not None else 0
    if policy is not None:
        not_ranked = ""
    elif not entry.is_active:
        not_ranked = _("Only people active on the list are ranked; this person's status is “%(status)s”.") % {
            "status": entry.get_status_display()
        }
    elif selectors.active_policy() is None:
        not_ranked = _("No priority policy is in force yet, so nobody is ranked.")
    else:
        not_ranked = _("The rank is being computed; come back in a moment.")
    context = {
        "entry": entry,
        "p": entry.participant,
        "policy": policy,
        "ranked": ranked,
        "not_ranked": not_ranked,
        "factors": explanation_in_words(rank_explanations([entry]).get(entry.pk, [])) if policy else [],
        "tie_breakers": tie_breakers_in_words(policy.definition) if policy else [],
        "band": band_label(entry.acuity_band) if entry.acuity_band else "",
        "level": acuity_level_label(entry.acuity_band),
        "chronic_explanation": list_views.chronic_explanation(entry),
        "evidence": evidence_in_words(entry.chronic_evidence),
    }
    if request.htmx:
        return render(request, "access/rank.html#explanation", context)
    return render(request, "access/rank.html", context)
