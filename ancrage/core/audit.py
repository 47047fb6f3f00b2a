"""Writing the audit trail, and turning its action codes into sentences in both languages."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ancrage.core.models import AuditEntry

MASK = "•••"

# Each action code and how it reads in the interface. Codes are stable; sentences are translated.
ACTIONS: dict[str, Any] = {
    "people.participant.created": _("created the participant's file"),
    "people.participant.updated": _("changed the participant's file"),
    "people.participant.viewed": _("viewed the participant's file"),
    "people.participant.merged": _("merged another file into this one"),
    "people.participant.merge_undone": _("undid a merge"),
    "people.participant.not_duplicate": _("recorded that two files are different people"),
    "people.participant.linked": _("linked two files of the same person"),
    "people.alias.added": _("added an alias"),
    "people.alias.removed": _("removed an alias"),
    "people.identifier.added": _("added an identifier"),
    "people.contact.added": _("added a support or emergency contact"),
    "people.household.added": _("added a household member"),
    "people.consent.recorded": _("recorded a consent"),
    "people.consent.revoked": _("revoked a consent"),
    "people.document.uploaded": _("uploaded a signed document"),
    "people.document.viewed": _("opened a signed document"),
    "people.audit.viewed": _("viewed who saw the file"),
    "assessments.instrument.loaded": _("loaded an assessment instrument version"),
    "assessments.instrument.changed": _("replaced an assessment instrument version not yet used"),
    "assessments.administration.started": _("started an assessment"),
    "assessments.administration.saved": _("saved answers to an assessment"),
    "assessments.administration.completed": _("completed an assessment"),
    "assessments.administration.declined": _("recorded that the participant declined an assessment"),
    "assessments.administration.postponed": _("postponed an assessment"),
    "accounts.language.changed": _("changed their language"),
    "accounts.token.created": _("created an API token"),
    "accounts.token.revoked": _("revoked an API token"),
    "accounts.two_factor.enabled": _("set up two-factor sign-in"),
    "accounts.two_factor.reset": _("reset someone's two-factor sign-in"),
    "accounts.membership.granted": _("gave someone a role in an organisation"),
    "accounts.membership.changed": _("changed someone's role in an organisation"),
    "accounts.membership.removed": _("removed someone's role in an organisation"),
    "access.referral.created": _("recorded a referral"),
    "access.referral.withdrawn": _("withdrew a referral"),
    "access.intake.started": _("started an intake"),
    "access.intake.completed": _("completed an intake"),
    "access.by_name.added": _("added the person to the by-name list"),
    "access.by_name.status_changed": _("changed the person's status on the by-name list"),
    "access.by_name.contact_recorded": _("recorded a contact with the person on the by-name list"),
    "access.by_name.marked_inactive": _("marked the person inactive on the by-name list: no recent contact"),
    "access.living_situation.recorded": _("recorded a living situation"),
    "access.by_name_list.exported": _("exported the by-name list"),
    "access.by_name.profile_changed": _("changed the person's household, needs or housing preferences"),
    "access.policy.drafted": _("wrote a draft priority policy"),
    "access.policy.draft_changed": _("changed a draft priority policy"),
    "access.policy.activated": _("activated a priority policy"),
    "access.opening.created": _("opened a place to fill"),
    "access.opening.cancelled": _("cancelled an opening"),
    "access.match.proposed": _("proposed the person for an opening"),
    "access.match.step": _("moved a match one step on"),
    "access.match.stalled": _("flagged a match as stalled"),
    "access.match.viewed": _("viewed a match and its triage information"),
    "access.by_name.conference_flagged": _("flagged the person for a case conference: no match is working"),
    "access.by_name.conference_cleared": _("cleared the case-conference flag: the person was placed"),
    "housing.unit.created": _("added a housing unit"),
    "casework.enrollment.created": _("enrolled the participant in a program"),
    "casework.enrollment.assigned": _("assigned the participant's primary case manager"),
    "casework.enrollment.reassigned": _("changed the participant's primary case manager"),
    "casework.enrollment.visit_frequency_changed": _("changed how often the participant is visited"),
    "casework.enrollment.tenancy_risk_changed": _("recorded that the tenancy is at risk, or no longer"),
    "casework.enrollment.reopened": _("enrolled the participant again after an exit"),
    "casework.contact.logged": _("logged a contact"),
    "casework.contact.changed": _("corrected a contact"),
    "casework.contacts.viewed": _("read the participant's contact notes"),
    "casework.visit.planned": _("planned a field visit"),
    "casework.visit.started": _("started a field visit"),
    "casework.visit.ended": _("ended a field visit"),
    "casework.visit.cancelled": _("cancelled a field visit"),
    "casework.visit.overdue": _("raised an alert: a field visit was not ended on time"),
    "casework.plan.created": _("started the recovery plan"),
    "casework.plan.updated": _("updated the recovery plan"),
    "casework.plan.viewed": _("read the recovery plan"),
    "casework.plan.printed": _("printed the recovery plan"),
    "casework.plan.reviewed": _("reviewed and signed off the recovery plan"),
    "casework.goal.added": _("added a goal to the recovery plan"),
    "casework.goal.changed": _("changed a goal of the recovery plan"),
    "casework.step.added": _("added a step to a goal"),
    "casework.step.changed": _("changed a step of a goal"),
    "casework.schedule.changed": _("changed a program's assessment schedule"),
    "casework.provider.created": _("added a service to the directory"),
    "casework.provider.changed": _("changed a service in the directory"),
    "casework.referral.created": _("referred the participant to a service"),
    "casework.referral.step": _("recorded a step of a referral to a service"),
    "casework.risk.assessed": _("recorded a risk assessment and plan"),
    "casework.risk.ended": _("ended a risk plan"),
    "casework.risk.viewed": _("read the participant's risk assessments"),
    "casework.incident.recorded": _("recorded an incident"),
    "casework.incident.viewed": _("read the participant's incidents"),
    "casework.on_call.logged": _("logged an after-hours call"),
    "casework.on_call.shift_set": _("set an on-call shift"),
    "casework.lost_contact.flagged": _("flagged lost contact and started a re-engagement plan"),
    "casework.lost_contact.task_added": _("added a place to look for the participant"),
    "casework.lost_contact.task_done": _("recorded the outcome of a search for the participant"),
    "casework.lost_contact.closed": _("closed the re-engagement plan"),
    "casework.exit.recorded": _("recorded the participant's exit from the program"),
    "casework.meeting.order_changed": _("changed the order of the team meeting"),
}


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    from django.db.models.fields.files import FieldFile

    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(_plain(v) for v in value)
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `instance`, as JSON-ready values."""
    values = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"search_text", "updated_at", "created_at"}:
            continue
        values[field.name] = _plain(getattr(instance, field.attname))
    return values


def changes(before: dict[str, Any], after: dict[str, Any], sensitive: frozenset[str] = frozenset()) -> dict:
    """{field: [old, new]} for fields that changed, with sensitive values masked."""
    result: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            if key in sensitive:
                result[key] = [MASK if old not in (None, "") else "", MASK if new not in (None, "") else ""]
            else:
                result[key] = [old, new]
    return result


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    participant=None,
    organisation=None,
    data: dict | None = None,
    is_read: bool = False,
) -> AuditEntry:
    """Write one audit entry. Call it inside the service's transaction."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: add it to ancrage.core.audit.ACTIONS")
    if organisation is None and actor is not None and getattr(actor, "pk", None):
        membership = actor.primary_membership
        organisation = membership.organisation if membership else None
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        participant=participant,
        is_read=is_read,
        data=data or {},
    )


def record_read(
    *, actor, participant, what: str = "people.participant.viewed", obj=None, data=None
) -> AuditEntry:
    """Reads of sensitive records are logged like writes (G2)."""
    return record(
        actor=actor, action=what, obj=obj or participant, participant=participant, data=data, is_read=True
    )


def record_reads(*, actor, reads, data: dict | None = None) -> int:
    """Read entries for what a list showed, `reads` being (participant id, action code) pairs: written in one
    statement, so a list's query count does not grow with its rows."""
    pairs = sorted(set(reads))
    unknown = {what for _pk, what in pairs if what not in ACTIONS}
    if unknown:
        raise ValueError(f"Unknown audit action {sorted(unknown)!r}: add it to ancrage.core.audit.ACTIONS")
    if not pairs:
        return 0
    membership = actor.primary_membership if getattr(actor, "pk", None) else None
    rows = [
        AuditEntry(
            actor=actor,
            organisation=membership.organisation if membership else None,
            action=what,
            object_type="people.participant",
            object_id=str(pk),
            participant_id=pk,
            is_read=True,
            data=data or {},
        )
        for pk, what in pairs
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def describe(entry: AuditEntry) -> str:
    label = ACTIONS.get(entry.action)
    return gettext(str(label)) if label else entry.action


# Bookkeeping fields that say nothing to a reader of the trail.
_HIDDEN_IN_CHANGES = frozenset(
    {"id", "created_by", "recorded_by", "uploaded_by", "merged_into", "portal_user"}
)


def change_rows(entries: list[AuditEntry]) -> None:
    """Attach `change_rows` [(label, old, new)] to each entry, in words: field names, choice labels, and
    the names of linked records (fetched once per model for the whole page, not once per row).
    A creation shows no rows: its sentence says enough, and its values are on the record itself."""
    from django.apps import apps

    wanted: dict[Any, set] = {}
    plans = []
    for entry in entries:
        rows = []
        diff = entry.data.get("changes") or {}
        if not entry.action.endswith(".created"):
            try:
                model = apps.get_model(entry.object_type) if entry.object_type else None
            except (LookupError, ValueError):
                model = None
            for name, (old, new) in diff.items():
                if name in _HIDDEN_IN_CHANGES:
                    continue
                field = None
                if model is not None:
                    try:
                        field = model._meta.get_field(name)
                    except Exception:
                        field = None
                if field is not None and field.is_relation and field.related_model is not None:
                    wanted.setdefault(field.related_model, set()).update(
                        v for v in (old, new) if v not in (None, "")
                    )
                rows.append((name, field, old, new))
        plans.append((entry, rows))
    names = {
        related: {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}
        for related, ids in wanted.items()
    }

    def shown(field, value):
        if value in (None, "") or value == MASK:
            return value
        if field is None:
            return value
        if field.is_relation and field.related_model is not None:
            return names.get(field.related_model, {}).get(value, value)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value

    for entry, rows in plans:
        entry.change_rows = [  # type: ignore[attr-defined]
            (str(field.verbose_name) if field is not None else name, shown(field, old), shown(field, new))
            for name, field, old, new in rows
        ]
