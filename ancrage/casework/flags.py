"""What a team needs to know about each participant this morning (B2, B4, B5, B8, B9, B12, G4): one row an
enrollment with its flags, built in a constant number of queries whatever the number of enrollments.

Used by "my caseload", the daily team meeting, the home page and the API.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ancrage.casework.calendar import add_business_days
from ancrage.casework.contacts.selectors import late_text
from ancrage.casework.models import (
    VISIT_KINDS,
    Contact,
    Enrollment,
    FieldVisit,
    Incident,
    RecoveryPlan,
    RiskAssessment,
)
from ancrage.casework.schedules import DueAssessment, due_assessments
from ancrage.core import clock
from ancrage.core.permissions import Category
from ancrage.people.models import Participant

# Every flag: its key, its label, and how it looks (Bootstrap tone). The order here is the default order in
# which flags are weighed (the first count most) and shown.
FLAG_LABELS = {
    "new_incident": gettext_lazy("New incident"),
    "risk_plan": gettext_lazy("Risk plan"),
    "visit_overdue": gettext_lazy("Visit not ended on time"),
    "visit_under_way": gettext_lazy("Visit under way"),
    "lost_contact": gettext_lazy("Lost contact"),
    "not_seen": gettext_lazy("Not seen this week"),
    "tenancy_at_risk": gettext_lazy("Tenancy at risk"),
    "plan_overdue": gettext_lazy("Plan overdue"),
    "assessment_overdue": gettext_lazy("Assessment overdue"),
    "below_standard": gettext_lazy("Below the weekly standard"),
    "plan_review_due": gettext_lazy("Plan review due"),
    "assessment_due": gettext_lazy("Assessment due"),
}
FLAG_KEYS = tuple(FLAG_LABELS)
FLAG_TONES = {
    "new_incident": "danger",
    "risk_plan": "danger",
    "visit_overdue": "danger",
    "visit_under_way": "primary",
    "lost_contact": "danger",
    "not_seen": "warning",
    "tenancy_at_risk": "warning",
    "plan_overdue": "warning",
    "assessment_overdue": "warning",
    "below_standard": "secondary",
    "plan_review_due": "info",
    "assessment_due": "info",
}
# Severity for sorting: 3 act today, 2 this week, 1 to keep in mind.
FLAG_SEVERITY = {
    "new_incident": 3,
    "risk_plan": 3,
    "visit_overdue": 3,
    "visit_under_way": 2,
    "lost_contact": 3,
    "not_seen": 2,
    "tenancy_at_risk": 2,
    "plan_overdue": 2,
    "assessment_overdue": 2,
    "below_standard": 1,
    "plan_review_due": 1,
    "assessment_due": 1,
}


@dataclass(frozen=True)
class Flag:
    key: str
    detail: str = ""

    @property
    def label(self) -> str:
        return str(FLAG_LABELS[self.key])

    @property
    def severity(self) -> int:
        return FLAG_SEVERITY[self.key]

    @property
    def tone(self) -> str:
        return FLAG_TONES[self.key]


@dataclass
class Row:
    enrollment: Enrollment
    participant: Participant
    last_contact_at: datetime.datetime | None = None
    last_seen_at: datetime.datetime | None = None
    week_minutes: int = 0
    week_visits: int = 0
    visits_required: int = 1
    flags: list[Flag] = field(default_factory=list)
    risk: RiskAssessment | None = None
    incidents: list[Incident] = field(default_factory=list)
    assessments: list[DueAssessment] = field(default_factory=list)
    visit: FieldVisit | None = None

    @property
    def worker(self):
        return self.enrollment.primary_worker

    @property
    def flag_keys(self) -> set[str]:
        return {f.key for f in self.flags}

    def has(self, key: str) -> bool:
        return any(f.key == key for f in self.flags)

    @property
    def days_since_contact(self) -> int | None:
        """Days since the last contact with the participant present: "last contact" on every screen (the
        caseload, the team meeting, the re-engagement page) counts from the day the person was reached, not
        from a message left."""
        if self.last_seen_at is None:
            return None
        return (clock.today() - clock.localdate(self.last_seen_at)).days


def review_lateness(due: datetime.date, today: datetime.date) -> str:
    """How late a supervisor review is: a review months late does not read like one just due."""
    months = (today.year - due.year) * 12 + today.month - due.month - (today.day < due.day)
    if months >= 1:
        return ngettext(
            "%(months)s month late (due %(date)s)", "%(months)s months late (due %(date)s)", months
        ) % {"months": months, "date": _day(due)}
    return _("Due %(date)s") % {"date": _day(due)}


def overnight_since(today: datetime.date) -> datetime.datetime:
    """Yesterday at 16:00, local time: what happened since the team went home."""
    tz = timezone.get_current_timezone()
    return datetime.datetime.combine(today - datetime.timedelta(days=1), datetime.time(16, 0), tzinfo=tz)


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _moment(value: datetime.datetime) -> str:
    return date_format(clock.localtime(value), "SHORT_DATETIME_FORMAT")


def _readable(user, participants: list, category: str) -> set[int]:
    """Ids of `participants` whose `category` information `user` may read: the user's own organisations
    without a query, the others (through consent) in one."""
    by_org = user.categories_by_organisation()
    readable = {p.pk for p in participants if category in by_org.get(p.organisation_id, frozenset())}
    others = [p.pk for p in participants if p.organisation_id not in by_org]
    if others:
        from ancrage.people.selectors import participants_visible_for_category

        readable |= set(
            participants_visible_for_category(user, category)
            .filter(pk__in=others)
            .values_list("pk", flat=True)
        )
    return readable


def enrollment_rows(
    enrollments: Iterable[Enrollment],
    today: datetime.date,
    *,
    since: datetime.datetime | None = None,
    user=None,
) -> list[Row]:
    """One Row an enrollment, in the order given, with its flags. Enrollments should come with
    `participant` and `primary_worker` selected. With `user`, risk and incidents are shown only for
    participants whose risk information the user may read, and the plan only for case notes (G1)."""
    enrollments = list(enrollments)
    if not enrollments:
        return []
    conf = settings.ANCRAGE
    since = since or overnight_since(today)
    tz = timezone.get_current_timezone()
    week_start = datetime.datetime.combine(today - datetime.timedelta(days=6), datetime.time.min, tzinfo=tz)
    seen_after = datetime.datetime.combine(
        today - datetime.timedelta(days=conf["NOT_SEEN_DAYS"] - 1), datetime.time.min, tzinfo=tz
    )
    participant_ids = {e.participant_id for e in enrollments}
    participants = list({e.participant_id: e.participant for e in enrollments}.values())
    if user is not None:
        risk_ok = _readable(user, participants, Category.RISK)
        notes_ok = _readable(user, participants, Category.CASE_NOTES)
    else:
        risk_ok = notes_ok = participant_ids

    # Contacts: one aggregate over the participants (index casework_contact_participant).
    present = Q(participant_present=True)
    in_week = Q(occurred_at__gte=week_start)
    contacts = {
        row["participant_id"]: row
        for row in Contact.objects.filter(participant_id__in=participant_ids)
        .values("participant_id")
        .annotate(
            last=Max("occurred_at"),
            last_seen=Max("occurred_at", filter=present),
            minutes=Sum("duration_minutes", filter=in_week),
            visits=Count("id", filter=in_week & present & Q(kind__in=VISIT_KINDS)),
        )
        .order_by()
    }
    risks: dict[int, RiskAssessment] = {}
    for risk in RiskAssessment.objects.filter(
        participant_id__in=risk_ok & participant_ids, ended_on__isnull=True
    ).order_by("participant_id", "-assessed_on", "-id"):
        risks.setdefault(risk.participant_id, risk)
    incidents: dict[int, list[Incident]] = defaultdict(list)
    for incident in Incident.objects.filter(
        Q(occurred_at__gte=since) | Q(recorded_at__gte=since),
        participant_id__in=risk_ok & participant_ids,
    ).order_by("-occurred_at", "-id"):
        incidents[incident.participant_id].append(incident)
    plans = {
        plan.enrollment_id: plan
        for plan in RecoveryPlan.objects.filter(enrollment_id__in=[e.pk for e in enrollments]).only(
            "id", "enrollment_id", "participant_id", "due_on", "first_completed_on", "next_review_on"
        )
    }
    # Visits under way, and visits planned but never started that are overdue: "overdue" is computed here
    # from the planned end (or the worker's last "I'm safe") and the grace period, whatever job ran (B9).
    now = clock.now()
    grace = datetime.timedelta(minutes=conf["VISIT_GRACE_MINUTES"])
    visits: dict[int, FieldVisit] = {}
    for visit in (
        FieldVisit.objects.filter(participant_id__in=participant_ids)
        .filter(
            Q(status=FieldVisit.Status.STARTED)
            | Q(status=FieldVisit.Status.PLANNED, planned_end__lt=now - grace)
        )
        .select_related("worker")
        .order_by("planned_end", "id")
    ):
        # An overdue visit comes first: the one that worries the team.
        known = visits.get(visit.participant_id)
        if known is None or (known.late_by(now) is None and visit.late_by(now) is not None):
            visits[visit.participant_id] = visit
    due = due_assessments(enrollments, today)

    rows = []
    for enrollment in enrollments:
        pid = enrollment.participant_id
        counts: Mapping[str, Any] = contacts.get(pid) or {}
        required = enrollment.visits_per_week or conf["VISITS_PER_WEEK"]
        if enrollment.tenancy_at_risk_since:
            required = max(required, conf["VISITS_PER_WEEK_TENANCY_AT_RISK"])
        row = Row(
            enrollment=enrollment,
            participant=enrollment.participant,
            last_contact_at=counts.get("last"),
            last_seen_at=counts.get("last_seen"),
            week_minutes=counts.get("minutes") or 0,
            week_visits=counts.get("visits") or 0,
            visits_required=required,
            risk=risks.get(pid),
            incidents=incidents.get(pid, []),
            assessments=due.get(enrollment.pk, []),
            visit=visits.get(pid),
        )
        flags: dict[str, str] = {}
        if row.incidents:
            flags["new_incident"] = ", ".join(dict.fromkeys(str(i.get_kind_display()) for i in row.incidents))
        if row.risk is not None:
            flags["risk_plan"] = _("%(level)s, rating %(rating)s") % {
                "level": row.risk.get_level_display(),
                "rating": str(row.risk.get_rating_display()).lower(),
            }
        if row.visit is not None:
            params = {
                "worker": row.visit.worker.get_full_name() or row.visit.worker.username,
                "location": row.visit.location,
                "end": _moment(row.visit.planned_end),
            }
            late = row.visit.late_by(now)
            if late is not None:
                flags["visit_overdue"] = _("%(worker)s at %(location)s, %(late)s (planned end %(end)s)") % (
                    params | {"late": late_text(row.visit, now)}
                )
            else:
                flags["visit_under_way"] = _("%(worker)s at %(location)s until %(end)s") % params
        if enrollment.lost_contact_since:
            flags["lost_contact"] = _("Since %(date)s") % {"date": _day(enrollment.lost_contact_since)}
        if row.last_seen_at is None or row.last_seen_at < seen_after:
            flags["not_seen"] = (
                _("Last seen %(date)s") % {"date": _day(clock.localdate(row.last_seen_at))}
                if row.last_seen_at
                else _("Not seen since enrollment")
            )
        if enrollment.tenancy_at_risk_since:
            flags["tenancy_at_risk"] = _("Since %(date)s") % {"date": _day(enrollment.tenancy_at_risk_since)}
        if pid in notes_ok:
            plan = plans.get(enrollment.pk)
            if plan is None or plan.first_completed_on is None:
                due_on = (
                    plan.due_on
                    if plan is not None
                    else add_business_days(enrollment.enrolled_on, conf["PLAN_DUE_BUSINESS_DAYS"])
                )
                if due_on < today:
                    flags["plan_overdue"] = _("Due %(date)s") % {"date": _day(due_on)}
            else:
                review_on = plan.next_review_on or enrollment.enrolled_on + relativedelta(
                    months=conf["PLAN_REVIEW_MONTHS"]
                )
                if review_on <= today:
                    flags["plan_review_due"] = review_lateness(review_on, today)
        overdue = [a for a in row.assessments if a.overdue]
        soon = [a for a in row.assessments if not a.overdue]
        if overdue:
            flags["assessment_overdue"] = ", ".join(
                _("%(instrument)s (%(date)s)")
                % {"instrument": a.instrument.display_name, "date": _day(a.due_on)}
                for a in overdue
            )
        if soon:
            flags["assessment_due"] = ", ".join(
                _("%(instrument)s (%(date)s)")
                % {"instrument": a.instrument.display_name, "date": _day(a.due_on)}
                for a in soon
            )
        if row.week_visits < required or row.week_minutes < conf["CONTACT_MINUTES_PER_WEEK"]:
            # A plural by the number of visits made: « 0 visite sur 1 », « 2 visites sur 3 » (not « visite(s) »).
            flags["below_standard"] = ngettext(
                "%(visits)s visit of %(required)s, %(minutes)s of %(target)s minutes in 7 days",
                "%(visits)s visits of %(required)s, %(minutes)s of %(target)s minutes in 7 days",
                row.week_visits,
            ) % {
                "visits": row.week_visits,
                "required": required,
                "minutes": row.week_minutes,
                "target": conf["CONTACT_MINUTES_PER_WEEK"],
            }
        row.flags = [Flag(key, flags[key]) for key in FLAG_KEYS if key in flags]
        rows.append(row)
    return rows


def flag_counts(rows: Iterable[Row]) -> dict[str, int]:
    """How many rows carry each flag, in the flags' order (zeros included)."""
    counts = dict.fromkeys(FLAG_KEYS, 0)
    for row in rows:
        for flag in row.flags:
            counts[flag.key] += 1
    return counts


def sort_rows(rows: list[Row], order: str = "flags", flag_order: list[str] | None = None) -> list[Row]:
    """Rows in a team's chosen order: most (and weightiest) flags first, longest without contact first, by
    case manager, or by name. `flag_order` lists the flag keys the team weighs first."""
    weights = list(flag_order or []) + [k for k in FLAG_KEYS if k not in (flag_order or [])]
    rank = {key: n for n, key in enumerate(weights)}
    epoch = datetime.datetime.min.replace(tzinfo=datetime.UTC)

    def name(row: Row) -> tuple:
        p = row.participant
        return (p.legal_last_name.lower(), (p.preferred_name or p.legal_first_name).lower(), p.pk)

    def worker(row: Row) -> tuple:
        w = row.worker
        return ((w.last_name.lower(), w.first_name.lower(), w.pk) if w else ("\uffff", "", 0), *name(row))

    if order == "name":
        return sorted(rows, key=name)
    if order == "worker":
        return sorted(rows, key=worker)
    if order == "last_contact":
        return sorted(rows, key=lambda r: (r.last_seen_at or epoch, *name(r)))
    # Flags: compare the sorted list of flag ranks (a weightier flag beats any number of lighter ones).
    return sorted(rows, key=lambda r: ([*sorted(rank[f.key] for f in r.flags), len(weights)], *name(r)))


def log_sensitive_reads(user, rows: list[Row], *, where: str) -> None:
    """Rows that show a risk plan or incidents are reads of risk information (G2): one audit entry per
    participant and kind, all in one statement whatever the number of rows."""
    from ancrage.core.audit import record_reads

    reads = [(r.participant.pk, "casework.risk.viewed") for r in rows if r.risk]
    reads += [(r.participant.pk, "casework.incident.viewed") for r in rows if r.incidents]
    record_reads(actor=user, reads=reads, data={"from": where})
