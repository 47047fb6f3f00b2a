"""Reads of participants and their records, applying role, organisation and consent (G1, G2)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.http import Http404

from ancrage.core import clock
from ancrage.core.audit import record_read
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import ALL_CATEGORIES, Category
from ancrage.core.text import normalise
from ancrage.organisations.models import Organisation
from ancrage.people.models import Consent, ConsentVisibility, Document, DuplicateDecision, Participant


@dataclass(frozen=True)
class ParticipantAccess:
    """A participant as one user may see them: which kinds of information, and on what ground."""

    participant: Participant
    categories: frozenset[str]
    is_home_organisation: bool
    is_self: bool = False
    # The organisations the viewer works in: outside the home organisation, they see only their consents.
    viewer_organisation_ids: frozenset[int] = frozenset()

    def can(self, category: str) -> bool:
        return category in self.categories

    @property
    def can_see_documents(self) -> bool:
        return self.is_home_organisation or self.is_self


def _visible_rows(organisation_ids, category: str | None = None, on: datetime.date | None = None):
    """The consent visibility lookup's rows in force on `on` (today) for these organisations: read on the
    index `(organisation, category, participant, starts_on, expires_on)` alone."""
    on = on or clock.today()
    rows = ConsentVisibility.objects.filter(
        organisation_id__in=organisation_ids, starts_on__lte=on, expires_on__gte=on
    )
    return rows if category is None else rows.filter(category=category)


def participants_visible_to(user) -> QuerySet[Participant]:
    """Every current participant file the user may open, as one query (no per-row work)."""
    if not user.is_authenticated or not user.has_ancrage_perm("people.view_participants"):
        return Participant.objects.none()
    return Participant.objects.current().filter(
        _home_or_consent(list(user.organisation_ids), list(user.organisation_ids), Category.IDENTITY, "")
    )


def _home_or_consent(
    home_orgs: list[int], consent_orgs: list[int], category: str, path: str, *, walk: bool = False
) -> Q:
    """Home organisation, or a row of the lookup for the participant at `path`.

    By default the lookup's rows are an uncorrelated `IN (subquery)`: PostgreSQL reads them once into a hash,
    which suits a whole visible set (a count, a subquery of another list, a search). `walk=True` makes it a
    correlated EXISTS, one probe of the index `(organisation, category, participant, …)` per row, for a list
    read in the order of an index that stops after its page: with the IN form PostgreSQL costed the hash on
    every row of the by-name list and sorted every visible row (212 ms → 1.5 ms at 100,000), while the
    EXISTS form on a whole set made it cost a seq scan at millions and compile it (JIT, 0.9 s)."""
    # An empty list matches nothing (Django drops that branch of the OR).
    condition = Q(**{f"{path}organisation_id__in": home_orgs})
    if not consent_orgs:
        return condition
    rows = _visible_rows(consent_orgs, category)
    if walk:
        return condition | Q(Exists(rows.filter(participant_id=OuterRef(f"{path}pk"))))
    return condition | Q(**{f"{path}pk__in": rows.values("participant_id")})


def visible_for_category_condition(user, category: str, path: str = "", *, walk: bool = False) -> Q | None:
    """`participants_visible_for_category` as a condition on a relation to a participant (`path` such as
    "participant__"), so a list of records joins the lookup directly instead of through a subquery on every
    participant; None when the user may see no one. Merged files are the caller's to exclude. `walk`: see
    `_home_or_consent`."""
    if not user.is_authenticated or not user.has_ancrage_perm("people.view_participants"):
        return None
    by_org = user.categories_by_organisation()
    home_orgs = [org for org, cats in by_org.items() if category in cats]
    consent_orgs = [org for org, cats in by_org.items() if {category, Category.IDENTITY} <= cats]
    return _home_or_consent(home_orgs, consent_orgs, category, path, walk=walk)


def visible_ids_for_category(user, category: str) -> QuerySet | None:
    """The ids of the participants whose `category` information the user may read, merged files included
    (the caller excludes them), as a UNION of the home organisations' files and the lookup's rows; None
    when the user may see no one.

    The same people as `visible_for_category_condition`, for a list that starts from them (a reader who
    sees few): PostgreSQL estimates each part on its own index, where it costs the OR of the condition as
    half of everyone whoever reads."""
    if not user.is_authenticated or not user.has_ancrage_perm("people.view_participants"):
        return None
    by_org = user.categories_by_organisation()
    home_orgs = [org for org, cats in by_org.items() if category in cats]
    consent_orgs = [org for org, cats in by_org.items() if {category, Category.IDENTITY} <= cats]
    parts = []
    if home_orgs:
        parts.append(Participant.objects.filter(organisation_id__in=home_orgs).order_by().values("pk"))
    if consent_orgs:
        parts.append(_visible_rows(consent_orgs, category).order_by().values("participant_id"))
    if not parts:
        return None
    return parts[0].union(*parts[1:])


def readable_categories(user, participant: Participant, categories) -> frozenset[str]:
    """Which of `categories` `user` may read about one `participant`, decided exactly as
    `participants_visible_for_category` decides it for each (the same role, home organisation and lookup
    rows, a current file only), without its subqueries: no query when the home organisation decides, one
    for the lookup rows otherwise. For a page about one person that would otherwise filter a list by
    several of those sets (issue 16)."""
    if (
        not user.is_authenticated
        or not user.has_ancrage_perm("people.view_participants")
        or participant.merged_into_id is not None
    ):
        return frozenset()
    by_org = user.categories_by_organisation()
    readable = set()
    consent_orgs: dict[str, set[int]] = {}
    for category in set(categories):
        if category in by_org.get(participant.organisation_id, frozenset()):
            readable.add(category)
            continue
        orgs = {org for org, cats in by_org.items() if {category, Category.IDENTITY} <= cats}
        if orgs:
            consent_orgs[category] = orgs
    if consent_orgs:
        rows = (
            _visible_rows(sorted(set().union(*consent_orgs.values())))
            .filter(participant_id=participant.pk, category__in=list(consent_orgs))
            .values_list("organisation_id", "category")
        )
        readable |= {category for org, category in rows if org in consent_orgs[category]}
    return frozenset(readable)


def participants_visible_for_category(user, category: str) -> QuerySet[Participant]:
    """Visible participants whose `category` information the user may read: `categories_for` as a query.

    In the home organisation the user's role must read the category; elsewhere one in-force consent,
    shared with an organisation where the user's role reads both, must itself cover identity and the
    category (the lookup has rows only for consents sharing identity, so a row of `category` says both).
    """
    condition = visible_for_category_condition(user, category)
    if condition is None:
        return Participant.objects.none()
    # Both branches imply `participants_visible_to`, so its own subquery is not repeated.
    return Participant.objects.current().filter(condition)


def categories_for(user, participant: Participant) -> frozenset[str]:
    """The kinds of information `user` may read about `participant` today; empty means not at all."""
    if not user.is_authenticated:
        return frozenset()
    if participant.portal_user_id and participant.portal_user_id == user.pk:
        return ALL_CATEGORIES
    if not user.has_ancrage_perm("people.view_participants"):
        return frozenset()
    by_org = user.categories_by_organisation()
    if participant.organisation_id in by_org:
        return frozenset(by_org[participant.organisation_id])
    # Each consent stands on its own and opens something only if it shares identity: the lookup holds
    # rows only for such consents, so each row opens its kind where the viewer's role reads it.
    allowed: set[str] = set()
    for org_id, category in (
        _visible_rows(list(by_org)).filter(participant=participant).values_list("organisation_id", "category")
    ):
        if category in by_org[org_id]:
            allowed.add(category)
    return frozenset(allowed)


def categories_for_organisation(participant: Participant, organisation) -> frozenset[str]:
    """What an organisation as a whole may receive about `participant` (a transfer, a notice): everything
    in the home organisation; elsewhere what one in-force consent naming it shares, with identity."""
    if participant.organisation_id == organisation.pk:
        return ALL_CATEGORIES
    return frozenset(
        _visible_rows([organisation.pk]).filter(participant=participant).values_list("category", flat=True)
    )


def participant_get_for_user(
    user, pk: int, *, what: str = "people.participant.viewed", log_read: bool = True, obj=None
) -> ParticipantAccess:
    """The participant if `user` may see them, else 404: the same answer as for a file that does not exist.

    Opening a file is a read, written to the audit trail as `what` (G2) by this selector, so no page or API
    operation that goes through it can forget to: once per participant and kind in a request, and not in a
    write request, whose own entry says who touched the file (see `core.audit.reads_scope`). `log_read=False`
    is for checks that show nothing of the file."""
    try:
        participant = Participant.objects.select_related("organisation", "merged_into").get(pk=pk)
    except (Participant.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    categories = categories_for(user, participant)
    if Category.IDENTITY not in categories:
        raise Http404
    access = ParticipantAccess(
        participant=participant,
        categories=categories,
        is_home_organisation=participant.organisation_id in user.organisation_ids,
        is_self=bool(participant.portal_user_id and participant.portal_user_id == user.pk),
        viewer_organisation_ids=frozenset(user.organisation_ids),
    )
    if log_read:
        record_read(
            actor=user, participant=participant, what=what, obj=obj, data={"categories": sorted(categories)}
        )
    return access


def participant_search(user, query: str = "", organisation_id: int | None = None) -> QuerySet[Participant]:
    """Search by name, alias or identifier, accent- and case-insensitively."""
    qs = participants_visible_to(user).select_related("organisation")
    for term in normalise(query).split():
        qs = qs.filter(search_text__contains=term)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if query.strip():
        # A search reads its few matches from the trigram index and sorts them; sorting on expressions
        # keeps the planner off the name index, which walked every file for a common name (30 → 108 ms).
        return qs.order_by(Concat("legal_last_name", Value("")), Concat("legal_first_name", Value("")), "id")
    # The whole list reads 25 rows in the order of the index (participant_name_sort).
    return qs.order_by("legal_last_name", "legal_first_name", "id")


def participant_detail_records(access: ParticipantAccess) -> dict:
    """What the participant's file shows, limited to what the access allows."""
    p = access.participant
    records: dict = {"aliases": list(p.aliases.all()), "identifiers": list(p.identifiers.all())}
    records["support_contacts"] = list(p.support_contacts.all())
    records["household_members"] = list(p.household_members.all())
    records["consents"] = consents_for(access)
    records["documents"] = list(p.documents.select_related("uploaded_by")) if access.can_see_documents else []
    return records


def consents_for(access: ParticipantAccess) -> list[Consent]:
    qs = (
        access.participant.consents.select_related("recorded_by", "revoked_by")
        .prefetch_related("organisations", "category_rows")
        .order_by("-starts_on", "-id")
    )
    if not (access.is_home_organisation or access.is_self):
        # Whom else the participant shares with, and what, is not another organisation's to know.
        qs = qs.filter(
            pk__in=Consent.objects.filter(
                participant=access.participant, organisations__in=access.viewer_organisation_ids
            ).values("pk")
        )
    return list(qs)


def consent_get_for_user(user, participant_pk: int, consent_pk: int) -> tuple[ParticipantAccess, Consent]:
    access = participant_get_for_user(user, participant_pk)
    try:
        consent = access.participant.consents.get(pk=consent_pk)
    except (Consent.DoesNotExist, ValueError):
        raise Http404 from None
    return access, consent


def document_get_for_user(user, participant_pk: int, document_pk: int) -> tuple[ParticipantAccess, Document]:
    access = participant_get_for_user(user, participant_pk, log_read=False)
    if not access.can_see_documents:
        raise Http404
    try:
        document = access.participant.documents.get(pk=document_pk)
    except (Document.DoesNotExist, ValueError):
        raise Http404 from None
    return access, document


def consents_expiring(user, days: int | None = None) -> QuerySet[Consent]:
    """Consents of participants the user can see that end within `days` (30 by default)."""
    days = settings.ANCRAGE["CONSENT_EXPIRY_WARNING_DAYS"] if days is None else days
    today = clock.today()
    visible = participants_visible_to(user).filter(organisation_id__in=user.organisation_ids)
    return (
        Consent.objects.in_force(today)
        .filter(participant__in=visible, expires_on__lte=today + datetime.timedelta(days=days))
        .select_related("participant")
        .prefetch_related("organisations")
        .order_by("expires_on", "id")
    )


def file_history(access: ParticipantAccess) -> QuerySet[AuditEntry]:
    """Everything done to or seen of a file, including files merged into it."""
    p = access.participant
    ids = [p.pk, *p.merged_records.values_list("pk", flat=True)]
    return (
        AuditEntry.objects.filter(participant_id__in=ids)
        .select_related("actor", "organisation")
        .prefetch_related(Prefetch("actor__memberships"))
        .order_by("-at", "-id")
    )


def categories_for_participants(user, participant_ids) -> dict[int, frozenset[str]]:
    """`categories_for` for many participants at once, in two queries whatever their number (the audit
    screen asks it for a page of entries)."""
    ids = {pk for pk in participant_ids if pk is not None}
    if not ids or not user.is_authenticated:
        return {}
    rows = list(Participant.objects.filter(pk__in=ids).values_list("pk", "organisation_id", "portal_user_id"))
    if not user.has_ancrage_perm("people.view_participants"):
        return {pk: (ALL_CATEGORIES if portal == user.pk else frozenset()) for pk, _org, portal in rows}
    by_org = user.categories_by_organisation()
    result: dict[int, frozenset[str]] = {}
    elsewhere = []
    for pk, org_id, portal in rows:
        if portal is not None and portal == user.pk:
            result[pk] = ALL_CATEGORIES
        elif org_id in by_org:
            result[pk] = frozenset(by_org[org_id])
        else:
            result[pk] = frozenset()
            elsewhere.append(pk)
    if elsewhere:
        for pk, org_id, category in (
            _visible_rows(list(by_org))
            .filter(participant_id__in=elsewhere)
            .values_list("participant_id", "organisation_id", "category")
        ):
            if category in by_org[org_id]:
                result[pk] = result[pk] | {category}
    return result


@dataclass
class AuditTrail:
    """What the audit screen lists for one reader: entries they may see now, and how many they may not."""

    entries: QuerySet[AuditEntry]
    hidden_count: int


def audit_trail_for_user(user, filters: Q | None = None) -> AuditTrail:
    """The audit trail as `user` may read it now (G1, G2).

    An entry about a participant is listed only while the reader may open that participant's file;
    the entries of the reader's organisations about people they may not see are counted, not listed.
    An entry about no participant (configuration, accounts, policies) is listed to the organisations
    it was written in, or to the whole consortium for the codes an app declares consortium-wide (a policy
    put in force, an export of the by-name list). Values are masked per entry by `audit_readable_entries`.
    """
    from ancrage.core.registry import CONSORTIUM_ACTIONS

    if not user.is_authenticated or not user.has_ancrage_perm("core.view_audit"):
        return AuditTrail(entries=AuditEntry.objects.none(), hidden_count=0)
    base = AuditEntry.objects.all()
    if filters is not None:
        base = base.filter(filters)
    visible_ids = participants_visible_to(user).values("pk")
    orgs = user.organisation_ids
    consortia = Organisation.objects.filter(pk__in=orgs).values("consortium_id")
    entries = base.filter(
        Q(participant__isnull=True, organisation_id__in=orgs)
        | Q(
            participant__isnull=True,
            action__in=sorted(CONSORTIUM_ACTIONS),
            organisation__consortium_id__in=consortia,
        )
        | Q(participant_id__in=visible_ids)
    )
    hidden = (
        base.filter(participant__isnull=False)
        .filter(Q(organisation_id__in=orgs) | Q(participant__organisation_id__in=orgs))
        .exclude(participant_id__in=visible_ids)
        .count()
    )
    return AuditTrail(
        entries=entries.select_related("actor", "organisation", "participant").order_by("-at", "-id"),
        hidden_count=hidden,
    )


def audit_readable_entries(user, entries: list[AuditEntry]) -> set[int]:
    """The ids of the entries whose values `user` may read now: those about no participant, and those
    whose kind of information (declared with the action code) the reader may read for that participant."""
    from ancrage.core.registry import action_category

    categories = categories_for_participants(user, {e.participant_id for e in entries})
    readable = set()
    for entry in entries:
        if entry.participant_id is None:
            readable.add(entry.pk)
            continue
        kind = action_category(entry.action)
        if kind is None or kind in categories.get(entry.participant_id, frozenset()):
            readable.add(entry.pk)
    return readable


@dataclass(frozen=True)
class DecisionShown:
    """A duplicate decision about a file, as one reader sees it: the other file only if they may open it."""

    row: DuplicateDecision
    other: Participant
    visible: bool


def duplicate_decisions_for(user, participant: Participant) -> list[DecisionShown]:
    """The decisions already made about `participant` and another file (linked, not the same person), so a
    file says what was decided rather than offering the question again (A4). Merges show as merges."""
    rows = list(
        DuplicateDecision.objects.filter(Q(first=participant) | Q(second=participant))
        .exclude(decision=DuplicateDecision.Decision.MERGED)
        .select_related("first__organisation", "second__organisation", "decided_by")
        # Of the files and the user, what a decision shows (name, identifier, organisation): not whole rows.
        .only(
            "id",
            "first_id",
            "second_id",
            "decision",
            "reason",
            "decided_by_id",
            "decided_at",
            *(
                f"{side}__{name}"
                for side in ("first", "second")
                for name in (
                    "id",
                    "organisation_id",
                    "community_id",
                    "legal_first_name",
                    "legal_last_name",
                    "preferred_name",
                    "organisation__id",
                    "organisation__short_name",
                )
            ),
            "decided_by__id",
            "decided_by__username",
            "decided_by__first_name",
            "decided_by__last_name",
        )
        .order_by("-decided_at", "-pk")
    )
    others = {r.pk: (r.second if r.first_id == participant.pk else r.first) for r in rows}
    visible = set(
        participants_visible_to(user)
        .filter(pk__in=[o.pk for o in others.values()])
        .values_list("pk", flat=True)
    )
    return [DecisionShown(row=r, other=others[r.pk], visible=others[r.pk].pk in visible) for r in rows]
