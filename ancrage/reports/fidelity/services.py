"""Writes of fidelity: saving a program's self-assessment for a quarter, with the computed items snapshotted."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.core import audit, clock
from ancrage.reports.fidelity import indicators as ind
from ancrage.reports.fidelity.models import FidelityAssessment, FidelityAssessmentVersion
from ancrage.reports.fidelity.selectors import compute

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.organisations.models import Program

NOTE_MAX = 2000


def _clean_answers(answers: dict) -> dict:
    errors: dict[str, list[str]] = {}
    clean: dict[str, dict] = {}
    for key, answer in (answers or {}).items():
        if key not in ind.SELF_BY_KEY:
            errors.setdefault("__all__", []).append(_("Unknown item “%(key)s”.") % {"key": str(key)[:50]})
            continue
        score = answer.get("score") if isinstance(answer, dict) else None
        note = (answer.get("note") if isinstance(answer, dict) else "") or ""
        if score in (None, ""):
            continue
        try:
            score = int(score)
        except (TypeError, ValueError):
            score = 0
        if score not in ind.SCORES:
            errors.setdefault(key, []).append(_("Choose a score from 1 to 4."))
            continue
        if not isinstance(note, str) or "\x00" in note or len(note) > NOTE_MAX:
            errors.setdefault(key, []).append(
                _("The note must be text of at most %(n)s characters.") % {"n": NOTE_MAX}
            )
            continue
        clean[key] = {"score": score, "note": note.strip()}
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def assessment_save(
    *, actor: User, program: Program, start: datetime.date, end: datetime.date, answers: dict
) -> FidelityAssessment:
    """Save `program`'s self-assessment for [start, end] with the computed items as they are now. One
    assessment per program and period: saving again updates it, the state before kept as a version; saving
    the same answers again changes nothing."""
    if (
        not actor.has_ancrage_perm("reports.assess_fidelity")
        or program.organisation_id not in actor.organisation_ids
    ):
        raise ValidationError(
            _("Only a program manager or data coordinator of this program's organisation can assess it.")
        )
    if end < start:
        raise ValidationError(_("The end date comes before the start date."))
    clean = _clean_answers(answers)
    report = compute(program, start, end)
    computed_scores = {key: r.score for key, r in report.results.items()}
    domains = ind.domain_scores(computed_scores, {k: v["score"] for k, v in clean.items()})
    overall = ind.overall(domains)
    snapshot = [r.snapshot() for r in report.results.values()]
    domain_json = {k: None if v is None else str(v) for k, v in domains.items()}
    existing = (
        FidelityAssessment.objects.select_for_update()
        .filter(program=program, period_start=start, period_end=end)
        .first()
    )
    if existing is not None:
        if existing.answers == clean and existing.computed == snapshot:
            return existing
        FidelityAssessmentVersion.objects.create(
            assessment=existing,
            revision=existing.revision,
            answers=existing.answers,
            computed=existing.computed,
            domain_scores=existing.domain_scores,
            overall=existing.overall,
            saved_by_id=existing.saved_by_id,
            saved_at=existing.saved_at,
        )
        before = {"answers": existing.answers, "overall": str(existing.overall)}
        existing.answers = clean
        existing.computed = snapshot
        existing.domain_scores = domain_json
        existing.overall = overall
        existing.revision += 1
        existing.saved_by = actor
        existing.saved_at = clock.now()
        existing.save(
            update_fields=[
                "answers",
                "computed",
                "domain_scores",
                "overall",
                "revision",
                "saved_by",
                "saved_at",
            ]
        )
        audit.record(
            actor=actor,
            action="reports.fidelity.updated",
            obj=existing,
            organisation=program.organisation,
            data={
                "period": [start.isoformat(), end.isoformat()],
                "revision": existing.revision,
                "overall": [before["overall"], str(overall)],
            },
        )
        return existing
    assessment = FidelityAssessment.objects.create(
        program=program,
        period_start=start,
        period_end=end,
        answers=clean,
        computed=snapshot,
        domain_scores=domain_json,
        overall=overall,
        saved_by=actor,
        saved_at=clock.now(),
    )
    audit.record(
        actor=actor,
        action="reports.fidelity.assessed",
        obj=assessment,
        organisation=program.organisation,
        data={"period": [start.isoformat(), end.isoformat()], "overall": str(overall)},
    )
    return assessment
