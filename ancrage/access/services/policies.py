"""Writes of priority policies and ranks (A5): drafts, activation, recompute."""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django_tasks import task

from ancrage.access.models import ByNameEntry, ByNameStatus, PriorityPolicy
from ancrage.access.selectors import _with_history, active_policy
from ancrage.accounts.models import User
from ancrage.core import audit, clock
from ancrage.core.bulk import cycle_collector_paused

if TYPE_CHECKING:
    # Imported where used: assessments and housing import this module.
    pass


# --- Prioritisation (A5) -----------------------------------------------------------------------------


class _RanksRecompute:
    """One queued recomputation; `done` once it has run, so a later change queues another."""

    done = False

    def __call__(self) -> None:
        self.done = True
        recompute_ranks.enqueue()


_ranks_deferred: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "ancrage_ranks_deferred", default=False
)


@contextlib.contextmanager
def ranks_recompute_deferred() -> Iterator[None]:
    """A bulk load (the demo's history, an import) that recomputes ranks itself when it chooses: the
    changes made inside queue no recomputation."""
    token = _ranks_deferred.set(True)
    try:
        yield
    finally:
        _ranks_deferred.reset(token)


def schedule_ranks_recompute() -> None:
    """Recompute every rank once the current transaction commits (a background task: ranks are global).

    Many changes in one transaction (an import, the demo) queue one recomputation, not one each; a
    transaction rolled back queues none; inside `ranks_recompute_deferred()` nothing is queued.
    """
    if _ranks_deferred.get():
        return
    connection = transaction.get_connection()
    pending = getattr(connection, "_ancrage_ranks_pending", None)
    if (
        pending is not None
        and not pending.done
        and any(item[1] is pending for item in connection.run_on_commit)
    ):
        return
    callback = _RanksRecompute()
    connection._ancrage_ranks_pending = callback  # type: ignore[attr-defined]
    transaction.on_commit(callback)


def _policy_errors(text: str) -> dict[str, Any]:
    from ancrage.access.priority import PolicyError, validate_policy

    try:
        return validate_policy(text)
    except PolicyError as error:
        raise ValidationError({"definition_text": [str(p) for p in error.problems]}) from None


@transaction.atomic
def policy_draft_create(*, actor: User, text: str) -> PriorityPolicy:
    definition = _policy_errors(text)
    _ranks_lock()
    last = PriorityPolicy.objects.select_for_update().order_by("-version").first()
    policy = PriorityPolicy.objects.create(
        version=(last.version + 1) if last else 1,
        title=definition["title"],
        definition_text=text,
        definition=definition,
        created_by=actor,
    )
    audit.record(actor=actor, action="access.policy.drafted", obj=policy, data={"version": policy.version})
    return policy


@transaction.atomic
def policy_draft_update(*, actor: User, policy: PriorityPolicy, text: str) -> PriorityPolicy:
    policy = PriorityPolicy.objects.select_for_update().get(pk=policy.pk)
    if policy.status != PriorityPolicy.Status.DRAFT:
        raise ValidationError(_("Only a draft can change: an active or retired policy stays as it was used."))
    definition = _policy_errors(text)
    policy.definition_text = text
    policy.definition = definition
    policy.title = definition["title"]
    policy.save(update_fields=["definition_text", "definition", "title"])
    audit.record(
        actor=actor, action="access.policy.draft_changed", obj=policy, data={"version": policy.version}
    )
    return policy


@transaction.atomic
def policy_activate(*, actor: User, policy: PriorityPolicy, reason: str) -> PriorityPolicy:
    """The draft becomes the policy in force, the previous one retires, and every rank is recomputed."""
    _ranks_lock()
    policy = PriorityPolicy.objects.select_for_update().get(pk=policy.pk)
    if policy.status != PriorityPolicy.Status.DRAFT:
        raise ValidationError(_("Only a draft can be activated."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why this policy replaces the one in force.")]})
    now = clock.now()
    previous = PriorityPolicy.objects.select_for_update().filter(status=PriorityPolicy.Status.ACTIVE).first()
    if previous is not None:
        previous.status = PriorityPolicy.Status.RETIRED
        previous.retired_at = now
        previous.save(update_fields=["status", "retired_at"])
    policy.status = PriorityPolicy.Status.ACTIVE
    policy.activated_at = now
    policy.activated_by = actor
    policy.activation_reason = reason.strip()
    policy.save(update_fields=["status", "activated_at", "activated_by", "activation_reason"])
    audit.record(
        actor=actor,
        action="access.policy.activated",
        obj=policy,
        data={
            "version": policy.version,
            "replaces": previous.version if previous else None,
            "reason": reason.strip(),
        },
    )
    ranks_recompute()
    return policy


def _active_facts(on: datetime.date):
    from ancrage.access.eligibility import FACT_FIELDS, facts_from_row

    rows = (
        _with_history(
            ByNameEntry.objects.filter(
                status=ByNameStatus.ACTIVE, participant__merged_into__isnull=True, listed_via__isnull=True
            )
        )
        .values(*FACT_FIELDS, "has_history")
        .order_by("pk")
    )
    # Streamed: the daily job reads everyone once, and its memory stays flat at any size.
    for row in rows.iterator(chunk_size=2000):
        yield facts_from_row(row, on)


# The columns ranking reads (the factors and tie-breakers): none of the profile's lists but the flags,
# and those as text, so 100,000 rows are read without decoding half a million JSON values; then the rank the
# person holds, and whether they are to be ranked at all.
_RANK_COLUMNS = (
    "id",
    "participant_id",
    "participant__date_of_birth",
    "participant__dob_quality",
    "participant__indigenous_identity",
    "acuity_score",
    "acuity_max",
    "is_chronic",
    "homeless_days_past_year",
    "homeless_days_past_three_years",
    "entered_on",
    "flags_text",
    "priority_rank",
    "priority_score",
    "priority_policy_id",
    "rankable",
)

# Who is ranked: people on the active list, but not linked files whose person holds a line elsewhere (A4)
# nor files merged into another.
_RANKABLE = Q(status=ByNameStatus.ACTIVE, participant__merged_into__isnull=True, listed_via__isnull=True)
_UNRANKED: dict[str, Any] = {
    "priority_rank": None,
    "priority_score": None,
    "priority_explanation": [],
    "priority_policy": None,
}


class RankFacts(NamedTuple):
    """What the factors and tie-breakers read of a person (the names of `eligibility.Facts`), small enough
    to hold 100,000 of them while they are sorted, and the rank they hold (rank, score, policy; None when
    they hold none)."""

    entry_id: int
    participant_id: int
    age: int | None
    acuity_score: float | None
    acuity_max: float | None
    is_chronic: bool
    days_past_year: int
    days_past_three_years: int
    entered_on: datetime.date
    flags: tuple[str, ...]
    indigenous: bool
    held: tuple[int, float | None, int | None] | None = None


class _FlagsIn(dict):
    """The flags of `flags` a profile's list holds, by the list's JSON text. A flag is a plain identifier,
    so a JSON list of them holds it exactly when it holds it quoted; the lists are few (combinations of a
    handful of flags), each read once."""

    def __init__(self, flags: tuple[str, ...]):
        super().__init__()
        self.quoted = [(flag, f'"{flag}"') for flag in flags]

    def __missing__(self, text: str | None) -> tuple[str, ...]:
        found = self[text] = tuple(flag for flag, q in self.quoted if q in (text or ""))
        return found


def _rank_facts(on: datetime.date, flags: tuple[str, ...], unranked: list[int]):
    """The facts ranking reads of each person to rank, streamed from plain rows of one query that also
    brings the rank each one holds; the people who hold a rank but are no longer to be ranked are added to
    `unranked` as they come."""
    from django.db.models import BooleanField, ExpressionWrapper, TextField
    from django.db.models.functions import Cast

    from ancrage.access.eligibility import _INDIGENOUS, _age

    rows = (
        ByNameEntry.objects.filter(_RANKABLE | Q(priority_rank__isnull=False))
        .annotate(
            flags_text=Cast("flags", TextField()),
            rankable=ExpressionWrapper(_RANKABLE, output_field=BooleanField()),
        )
        .order_by()
        .values_list(*_RANK_COLUMNS)
    )
    held_flags = _FlagsIn(flags)
    for (
        pk,
        participant_id,
        born,
        quality,
        indigenous,
        score,
        top,
        chronic,
        year,
        three,
        entered,
        text,
        held_rank,
        held_score,
        held_policy,
        rankable,
    ) in rows.iterator(chunk_size=10000):
        if not rankable:
            unranked.append(pk)
            continue
        yield RankFacts(
            pk,
            participant_id,
            _age(born, quality, on),
            score,
            top,
            chronic,
            year,
            three,
            entered,
            held_flags[text],
            indigenous in _INDIGENOUS,
            None if held_rank is None else (held_rank, held_score, held_policy),
        )


def ranks_recompute(*, on: datetime.date | None = None) -> int:
    """Score and rank every active person under the active policy; clear ranks of everyone else.

    Ranks are global over the list (not per organisation) so that a rank means the same to everyone.
    One read of the people to rank and of the people holding a rank; then only the rows whose rank, score
    or policy changed are written, in one statement (the table stays small; why a person has their score is
    computed when it is shown: `priority.rank_explanations`). Returns how many people were ranked.
    """
    from ancrage.access.priority import factor_flags, rank_scores

    on = on or clock.today()
    with transaction.atomic():
        _ranks_lock()
        policy = active_policy()
        if policy is None:
            ByNameEntry.objects.exclude(priority_rank__isnull=True).update(**_UNRANKED)
            return 0
        unranked: list[int] = []
        # 100,000 people's facts and scores: no cycles among them (core.bulk).
        with cycle_collector_paused():
            ranked = rank_scores(
                policy.definition, _rank_facts(on, factor_flags(policy.definition), unranked), on
            )
            # Not ranked: people off the active list, and linked files whose person holds a line
            # elsewhere (A4).
            for begin in range(0, len(unranked), 5000):
                ByNameEntry.objects.filter(pk__in=unranked[begin : begin + 5000]).update(**_UNRANKED)
            _write_ranks(policy, ranked)
    return len(ranked)


# Declared here rather than in tasks.py because a change queues it (schedule_ranks_recompute): tasks.py
# calls services, so services calling into tasks.py would make the two import each other.
@task()
def recompute_ranks() -> int:
    return ranks_recompute()


# Ranks and policies change one writer at a time (a task and an activation may run together).
_RANKS_LOCK_KEY = 73_411_903


def _ranks_lock() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_RANKS_LOCK_KEY])


def _write_ranks(policy: PriorityPolicy, ranked: list) -> int:
    """Write the ranks that changed, and only those (each person's `held` rank compared with the new one);
    returns how many rows were written."""
    from django.db import connection

    changed = [
        (facts.entry_id, score, position)
        for position, (score, facts) in enumerate(ranked, start=1)
        if facts.held != (position, score, policy.pk)
    ]
    if not changed:
        return 0
    now = clock.now()
    if connection.vendor == "postgresql":
        # COPY into a temporary table, then one UPDATE: bulk_update's CASE per row is several times slower.
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE ancrage_ranks (id bigint PRIMARY KEY, score double precision, "
                "rank integer) ON COMMIT DROP"
            )
            with cursor.cursor.copy("COPY ancrage_ranks (id, score, rank) FROM STDIN") as copy:
                for row in changed:
                    copy.write_row(row)
            # Its size known, the planner joins a handful of rows through the index, many by a hash.
            cursor.execute("ANALYZE ancrage_ranks")
            cursor.execute(
                "UPDATE access_bynameentry AS e SET priority_score = v.score, priority_rank = v.rank, "
                "priority_policy_id = %s, priority_computed_at = %s FROM ancrage_ranks AS v WHERE e.id = v.id",
                [policy.pk, now],
            )
            cursor.execute("DROP TABLE ancrage_ranks")
        return len(changed)
    ByNameEntry.objects.bulk_update(
        [
            ByNameEntry(
                pk=pk,
                priority_score=score,
                priority_rank=position,
                priority_policy=policy,
                priority_computed_at=now,
            )
            for pk, score, position in changed
        ],
        ["priority_score", "priority_rank", "priority_policy", "priority_computed_at"],
        batch_size=500,
    )
    return len(changed)


@dataclass(frozen=True)
class Movement:
    entry_id: int
    old_rank: int | None
    new_rank: int
    old_score: float | None
    new_score: float
    old_explanation: list
    new_explanation: list

    @property
    def change(self) -> int:
        """Places gained (positive) or lost (negative); 0 for someone not ranked before."""
        return 0 if self.old_rank is None else self.old_rank - self.new_rank


def policy_preview(policy: PriorityPolicy, *, on: datetime.date | None = None) -> list[Movement]:
    """Today's list ranked by `policy` next to the ranks in force: who moves up or down, and why (reads only)."""
    from ancrage.access.eligibility import FACT_FIELDS, facts_from_row
    from ancrage.access.priority import rank, score

    on = on or clock.today()
    # The ranks in force come with the facts, in the same query.
    rows = (
        _with_history(
            ByNameEntry.objects.filter(
                status=ByNameStatus.ACTIVE, participant__merged_into__isnull=True, listed_via__isnull=True
            )
        )
        .values(*FACT_FIELDS, "has_history", "priority_rank", "priority_score", "priority_policy_id")
        .order_by("pk")
    )
    current: dict[int, dict[str, Any]] = {}
    facts = []
    for row in rows.iterator(chunk_size=2000):
        current[row["id"]] = row
        facts.append(facts_from_row(row, on))
    in_force = active_policy()
    ranked = rank(policy.definition, facts, on)
    movements = []
    for position, item in enumerate(ranked, start=1):
        before: dict[str, Any] = current.get(item.facts.entry_id, {})
        # Why the person has their rank now, from the same facts (explanations are not stored).
        old = (
            score(in_force.definition, item.facts, on).explanation
            if in_force is not None and before.get("priority_policy_id") == in_force.pk
            else []
        )
        movements.append(
            Movement(
                entry_id=item.facts.entry_id,
                old_rank=before.get("priority_rank"),
                new_rank=position,
                old_score=before.get("priority_score"),
                new_score=item.score,
                old_explanation=old,
                new_explanation=item.explanation,
            )
        )
    return movements
