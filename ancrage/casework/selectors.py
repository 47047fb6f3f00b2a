"""Reads of case management that every part shares: a participant's file opened for one kind of information,
and the enrollments a user may see. Each part's own reads are in selectors_<part>.py."""

from __future__ import annotations

import datetime

from django.db.models import Case, Q, QuerySet, Value, When
from django.http import Http404

from ancrage.casework.models import Enrollment
from ancrage.core.audit import record_read
from ancrage.core.permissions import Category
from ancrage.people.selectors import (
    ParticipantAccess,
    participant_get_for_user,
    participants_visible_for_category,
    participants_visible_to,
)

# The read recorded when a caller names no more precise one: what opening the file for that kind shows.
DEFAULT_READ_ACTIONS: dict[str, str] = {
    Category.CASE_NOTES: "casework.participant.viewed",
    Category.RISK: "casework.risk.viewed",
    Category.IDENTITY: "people.participant.viewed",
}


def participant_for_casework(
    user, pk, *, category: str = Category.CASE_NOTES, read_action: str | None = None
) -> ParticipantAccess:
    """The participant if `user` may read their `category` information, else 404 (as for a missing file).
    The read is always written to the audit trail (G2), as `read_action` or the default of the category;
    once per request, and only if the page or operation answers with it (see `core.audit.reads_scope`)."""
    access = participant_get_for_user(user, pk, log_read=False)
    if not access.can(category):
        raise Http404
    what = read_action or DEFAULT_READ_ACTIONS.get(category, "people.participant.viewed")
    record_read(actor=user, participant=access.participant, what=what)
    return access


def serving_organisation_ids(participant) -> frozenset[int]:
    """The organisations that serve the participant: their home organisation and the organisation of every
    program in which they have an active enrollment (one query)."""
    enrolled = Enrollment.objects.filter(
        participant=participant, status=Enrollment.Status.ACTIVE
    ).values_list("program__organisation_id", flat=True)
    return frozenset({participant.organisation_id, *enrolled})


def writing_organisation_id(user, participant) -> int | None:
    """The organisation in whose name `user` records the participant's casework: among the organisations
    serving the participant, the home organisation first when the user works in several. None when the user
    works in none of them."""
    own = set(user.organisation_ids)
    if participant.organisation_id in own:
        return participant.organisation_id
    serving = sorted(serving_organisation_ids(participant) & own)
    return serving[0] if serving else None


def can_write_casework(user, participant) -> bool:
    """True when the user works in an organisation that serves the participant."""
    return writing_organisation_id(user, participant) is not None


def access_can_write(access: ParticipantAccess) -> bool:
    """True when the viewer of `access` works in an organisation serving the participant (no query for the
    home organisation)."""
    if access.is_home_organisation:
        return True
    return bool(serving_organisation_ids(access.participant) & access.viewer_organisation_ids)


def participant_for_casework_write(user, pk, *, category: str = Category.CASE_NOTES) -> ParticipantAccess:
    """As `participant_for_casework`, for a change: only an organisation serving the participant (home, or the
    organisation of a program where they are actively enrolled) records casework; another organisation that
    reads through consent gets a 404 here (consent opens reading, never writing)."""
    access = participant_for_casework(user, pk, category=category)
    if not access_can_write(access):
        raise Http404
    return access


def enrollments_visible_to(user, *, category: str = Category.IDENTITY) -> QuerySet[Enrollment]:
    visible = (
        participants_visible_to(user)
        if category == Category.IDENTITY
        else participants_visible_for_category(user, category)
    )
    return Enrollment.objects.filter(participant__in=visible)


def enrollment_on(participant, day: datetime.date) -> Enrollment | None:
    """The participant's enrollment running on a day (an act's day: a contact logged late belongs to the
    enrollment of its day, not to a later one): begun on or before it and not exited before it; an active
    one first, then the most recent."""
    return (
        Enrollment.objects.filter(participant=participant, enrolled_on__lte=day)
        .filter(Q(status=Enrollment.Status.ACTIVE) | Q(status=Enrollment.Status.EXITED, exited_on__gte=day))
        .select_related("program", "team", "primary_worker")
        .annotate(running=Case(When(status=Enrollment.Status.ACTIVE, then=Value(0)), default=Value(1)))
        .order_by("running", "-enrolled_on", "-id")
        .first()
    )


def active_enrollment(participant) -> Enrollment | None:
    """The participant's current enrollment (the most recent, when several programs hold them)."""
    return (
        Enrollment.objects.filter(participant=participant, status=Enrollment.Status.ACTIVE)
        .select_related("program", "team", "primary_worker")
        .order_by("-enrolled_on", "-id")
        .first()
    )
