"""Generated worlds for the consent visibility lookup's tests, and the rule as it was written before the
lookup (joins of consents, their organisations and categories), kept here as the oracle."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.db.models import Q

from ancrage.core import clock
from ancrage.core.permissions import ALL_CATEGORIES, Category, Role
from ancrage.people import services
from ancrage.people.models import Consent, ConsentCategory, Participant
from ancrage.people.tests.factories import (
    ConsortiumFactory,
    OrganisationFactory,
    make_participant,
    member,
    share,
)

DAY = datetime.timedelta(days=1)


# --- the oracle: the rule before the lookup ---------------------------------------------------------------


def _in_force_consent_rows(user, on):
    return ConsentCategory.objects.filter(
        consent__revoked_at__isnull=True,
        consent__starts_on__lte=on,
        consent__expires_on__gte=on,
        consent__organisations__in=user.organisation_ids,
    )


def oracle_visible_to(user) -> set[int]:
    if not user.is_authenticated or not user.has_ancrage_perm("people.view_participants"):
        return set()
    via_consent = (
        _in_force_consent_rows(user, clock.today())
        .filter(category=Category.IDENTITY)
        .values("consent__participant_id")
    )
    return set(
        Participant.objects.current()
        .filter(Q(organisation_id__in=user.organisation_ids) | Q(pk__in=via_consent))
        .values_list("pk", flat=True)
    )


def oracle_visible_for_category(user, category: str) -> set[int]:
    by_org = user.categories_by_organisation() if user.is_authenticated else {}
    home_orgs = [org for org, cats in by_org.items() if category in cats]
    consent_orgs = [org for org, cats in by_org.items() if {category, Category.IDENTITY} <= cats]
    via_consent = (
        Consent.objects.in_force(clock.today())
        .filter(organisations__in=consent_orgs, category_rows__category=Category.IDENTITY)
        .filter(category_rows__category=category)
        .values("participant_id")
    )
    if not user.is_authenticated or not user.has_ancrage_perm("people.view_participants"):
        return set()
    return set(
        Participant.objects.current()
        .filter(Q(organisation_id__in=home_orgs) | Q(pk__in=via_consent))
        .values_list("pk", flat=True)
    )


def oracle_categories_for(user, participant: Participant) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    if participant.portal_user_id and participant.portal_user_id == user.pk:
        return ALL_CATEGORIES
    if not user.has_ancrage_perm("people.view_participants"):
        return frozenset()
    by_org = user.categories_by_organisation()
    allowed: set[str] = set(by_org.get(participant.organisation_id, frozenset()))
    if participant.organisation_id in by_org:
        return frozenset(allowed)
    rows = _in_force_consent_rows(user, clock.today()).filter(consent__participant=participant)
    consented: dict[tuple[int, int], set[str]] = {}
    for consent_id, org_id, category in rows.values_list("consent_id", "consent__organisations", "category"):
        if org_id in by_org:
            consented.setdefault((consent_id, org_id), set()).add(category)
    for (_consent_id, org_id), cats in consented.items():
        if Category.IDENTITY in cats:
            allowed |= cats & by_org[org_id]
    return frozenset(allowed)


def oracle_categories_for_organisation(participant: Participant, organisation) -> frozenset[str]:
    if participant.organisation_id == organisation.pk:
        return ALL_CATEGORIES
    allowed: set[str] = set()
    consents = Consent.objects.in_force(clock.today()).filter(
        participant=participant, organisations=organisation
    )
    per_consent: dict[int, set[str]] = {}
    for consent_id, category in ConsentCategory.objects.filter(consent__in=consents).values_list(
        "consent_id", "category"
    ):
        per_consent.setdefault(consent_id, set()).add(category)
    for cats in per_consent.values():
        if Category.IDENTITY in cats:
            allowed |= cats
    return frozenset(allowed)


# --- generated worlds -------------------------------------------------------------------------------------


@dataclass
class World:
    orgs: list
    writers: dict  # organisation pk → a case manager who records files and consents there
    participants: list[Participant] = field(default_factory=list)
    kinds: dict[str, list[int]] = field(default_factory=dict)  # kind of consent → participant pks

    def add(self, kind: str, participant: Participant) -> Participant:
        self.participants.append(participant)
        self.kinds.setdefault(kind, []).append(participant.pk)
        return participant

    def users_for(self, role: str) -> list:
        """Users of `role`: one in each organisation, and one working in the first two at once."""
        users = [member(org, role) for org in self.orgs]
        both = member(self.orgs[0], role)
        from ancrage.accounts.models import Membership

        Membership.objects.create(user=both, organisation=self.orgs[1], role=role)
        return [*users, both]


def _cats(rng: random.Random, *, identity: bool) -> list[str]:
    others = [c for c in Category.values if c != Category.IDENTITY]
    chosen = rng.sample(others, rng.randint(1, 3))
    return [Category.IDENTITY, *chosen] if identity else chosen


def build_world(seed: int, make=make_participant) -> World:
    """Three organisations of one consortium, and files with every kind of consent: home only, with and
    without identity, revoked, expired, not yet started, several organisations, several consents,
    transferred, merged (and a merge undone). `make(actor, organisation, **values)` makes a file."""
    rng = random.Random(seed)
    consortium = ConsortiumFactory()
    orgs = [OrganisationFactory(consortium=consortium, short_name=f"O{i}", name=f"Org {i}") for i in range(3)]
    writers = {org.pk: member(org, Role.CASE_MANAGER) for org in orgs}
    world = World(orgs=orgs, writers=writers)
    today = clock.today()
    n = 0

    def person(kind: str, home=None):
        nonlocal n
        n += 1
        home = home or rng.choice(orgs)
        p = make(
            writers[home.pk], home, legal_first_name=f"P{n}", legal_last_name=rng.choice(["Roy", "Côté"])
        )
        return world.add(kind, p)

    def others(p, k=1):
        return rng.sample([o for o in orgs if o.pk != p.organisation_id], k)

    def consent(p, orgs_, *, identity=True, **kwargs):
        return share(writers[p.organisation_id], p, orgs_, _cats(rng, identity=identity), **kwargs)

    for _ in range(1):
        person("home only")
        p = person("with identity")
        consent(p, others(p))
        p = person("without identity")
        consent(p, others(p), identity=False)
        p = person("revoked")
        services.consent_revoke(actor=writers[p.organisation_id], consent=consent(p, others(p)), reason="x")
        p = person("expired")
        consent(p, others(p), starts_on=today - 400 * DAY, expires_on=today - DAY)
        p = person("expires today")
        consent(p, others(p), starts_on=today - 300 * DAY, expires_on=today)
        p = person("not yet started")
        consent(p, others(p), starts_on=today + DAY, expires_on=today + 300 * DAY)
        p = person("starts today")
        consent(p, others(p), starts_on=today, expires_on=today + 300 * DAY)
        p = person("several organisations")
        consent(p, others(p, 2))
        p = person("several consents")
        consent(p, others(p), identity=False)
        consent(p, others(p))
        consent(p, others(p, 2), identity=rng.random() < 0.5)
    # Transferred: the receiving organisation had a consent; the file's home changes.
    p = person("transferred")
    target = others(p)[0]
    share(writers[p.organisation_id], p, [target], [Category.IDENTITY, Category.HOUSING])
    services.participant_transfer(
        actor=writers[p.organisation_id], participant=p, organisation=target, reason="Suivi par l'autre"
    )
    p.refresh_from_db()
    # Merged: the merged file's consents move onto the kept one, whose home differs.
    kept = person("merge kept")
    merged = person("merged")
    consent(merged, others(merged))
    consent(kept, others(kept), identity=False)
    services.participant_merge(actor=writers[kept.organisation_id], kept=kept, merged=merged, reason="même")
    # A merge undone: each file has its own consents again.
    kept2 = person("merge undone")
    merged2 = person("merge undone")
    consent(merged2, others(merged2))
    result = services.participant_merge(actor=writers[kept2.organisation_id], kept=kept2, merged=merged2)
    services.participant_merge_undo(actor=writers[kept2.organisation_id], merge=result.merge)
    # And a few at random.
    for _ in range(4):
        p = person("random")
        for _ in range(rng.randint(0, 3)):
            start = today + rng.randint(-500, 30) * DAY
            c = consent(
                p,
                others(p, rng.randint(1, 2)),
                identity=rng.random() < 0.7,
                starts_on=start,
                expires_on=start + rng.randint(1, 600) * DAY,
            )
            if rng.random() < 0.2:
                services.consent_revoke(actor=writers[p.organisation_id], consent=c)
    for p in world.participants:
        p.refresh_from_db()
    return world
