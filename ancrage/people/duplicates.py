"""Finding files that are probably the same person, and saying why each one matched."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db.models import Q
from django.utils.translation import gettext as _
from nicknames import NickNamer
from rapidfuzz import fuzz

from ancrage.core.text import normalise
from ancrage.people.models import DuplicateDecision, Participant

# Scores are points; a candidate at or above THRESHOLD is shown.
THRESHOLD = 50
MAX_CANDIDATES = 400
SIMILAR = 80


@cache
def _nicknamer() -> NickNamer:
    lookup = NickNamer.default_lookup()
    with (Path(__file__).parent / "data" / "nicknames_fr.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            lookup.setdefault(normalise(row["canonical"]), set()).add(normalise(row["nickname"]))
    return NickNamer(nickname_lookup=lookup)


def given_name_variants(name: str) -> set[str]:
    """The name (normalised), its known nicknames and the names it is a nickname of: the registry's rule."""
    name = normalise(name)
    if not name:
        return set()
    nn = _nicknamer()
    return {name} | nn.nicknames_of(name) | nn.canonicals_of(name)


def same_given_name(a: str, b: str) -> bool:
    """Same first name, or one is a known nickname of the other (Bob / Robert, Ti-Jos / Joseph)."""
    a, b = normalise(a), normalise(b)
    if not a or not b:
        return False
    if a == b:
        return True
    return bool(given_name_variants(a) & given_name_variants(b))


@dataclass
class Candidate:
    participant: Participant
    score: int = 0
    reasons: list[str] = field(default_factory=list)


@dataclass
class Probe:
    first_name: str = ""
    last_name: str = ""
    preferred_name: str = ""
    date_of_birth: datetime.date | None = None
    aliases: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)

    @classmethod
    def from_participant(cls, p: Participant) -> Probe:
        return cls(
            first_name=p.legal_first_name,
            last_name=p.legal_last_name,
            preferred_name=p.preferred_name,
            date_of_birth=p.date_of_birth,
            aliases=[a.name for a in p.aliases.all()],
            identifiers=[i.value for i in p.identifiers.all()],
        )


def _dob_swapped(a: datetime.date, b: datetime.date) -> bool:
    return (a.day, a.month, a.year) == (b.month, b.day, b.year)


def _dob_one_part_off(a: datetime.date, b: datetime.date) -> bool:
    return sum([a.year == b.year, a.month == b.month, a.day == b.day]) == 2


def _score(probe: Probe, p: Participant) -> Candidate:
    c = Candidate(participant=p)
    last = normalise(probe.last_name)
    p_last = normalise(p.legal_last_name)
    if last and p_last:
        ratio = fuzz.ratio(last, p_last)
        if ratio == 100:
            c.score += 35
            c.reasons.append(_("Same last name"))
        elif ratio >= SIMILAR:
            c.score += 25
            c.reasons.append(_("Similar last name (%(pct)d%% alike)") % {"pct": ratio})
    given = [probe.first_name, probe.preferred_name]
    theirs = [p.legal_first_name, p.preferred_name]
    if any(same_given_name(a, b) for a in given for b in theirs if a and b):
        c.score += 30
        c.reasons.append(_("Same first name or a nickname of it"))
    elif any(fuzz.ratio(normalise(a), normalise(b)) >= SIMILAR for a in given for b in theirs if a and b):
        c.score += 20
        c.reasons.append(_("Similar first name"))
    if probe.date_of_birth and p.date_of_birth:
        if probe.date_of_birth == p.date_of_birth:
            c.score += 30
            c.reasons.append(_("Same date of birth"))
        elif _dob_swapped(probe.date_of_birth, p.date_of_birth):
            c.score += 15
            c.reasons.append(_("Same date of birth with day and month swapped"))
        elif _dob_one_part_off(probe.date_of_birth, p.date_of_birth):
            c.score += 15
            c.reasons.append(_("Date of birth differs by one part (a typing slip?)"))
    their_aliases = {normalise(a.name) for a in p.aliases.all()}
    mine = {normalise(n) for n in [probe.first_name, probe.preferred_name, *probe.aliases] if n}
    full = normalise(f"{probe.first_name} {probe.last_name}")
    if their_aliases & (mine | {full}):
        c.score += 35
        c.reasons.append(_("Matches a known alias"))
    their_ids = {normalise(i.value) for i in p.identifiers.all()}
    if their_ids & {normalise(i) for i in probe.identifiers if i}:
        c.score += 100
        c.reasons.append(_("Same identifier"))
    return c


def find_matches(probe: Probe, pool, *, exclude_pk: int | None = None, limit: int = 10) -> list[Candidate]:
    """Probable matches for `probe` among `pool` (a queryset the user may see), best first."""
    terms = Q()
    for value in [probe.last_name, probe.first_name, probe.preferred_name, *probe.aliases]:
        norm = normalise(value)
        if len(norm) >= 3:
            # A short stem still finds 'Tremblay' from 'Tremblé' and 'Gagnon' from 'Gagnonn'.
            terms |= Q(search_text__contains=norm[:4])
    for value in probe.identifiers:
        if value.strip():
            terms |= Q(search_text__contains=normalise(value))
    if probe.date_of_birth:
        terms |= Q(date_of_birth=probe.date_of_birth)
    if not terms:
        return []
    qs = pool.filter(terms).prefetch_related("aliases", "identifiers").select_related("organisation")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    candidates = [_score(probe, p) for p in qs[:MAX_CANDIDATES]]
    if exclude_pk:
        decided = set()
        for a, b in DuplicateDecision.objects.filter(
            Q(first_id=exclude_pk) | Q(second_id=exclude_pk), decision="not_same"
        ).values_list("first_id", "second_id"):
            decided.add(b if a == exclude_pk else a)
        candidates = [c for c in candidates if c.participant.pk not in decided]
    shown = [c for c in candidates if c.score >= THRESHOLD]
    shown.sort(key=lambda c: (-c.score, c.participant.legal_last_name, c.participant.pk))
    return shown[:limit]


def linked_groups(participant_ids) -> dict[int, frozenset[int]]:
    """For each given file, every current file linked to it as the same person ("same person: link only"),
    itself included, following links from file to file (A4). A few queries per step of the chain."""
    linked = DuplicateDecision.objects.filter(decision=DuplicateDecision.Decision.LINKED).filter(
        first__merged_into__isnull=True, second__merged_into__isnull=True
    )
    seen: set[int] = set(participant_ids)
    frontier = set(seen)
    edges: dict[int, set[int]] = {}
    while frontier:
        rows = linked.filter(Q(first_id__in=frontier) | Q(second_id__in=frontier)).values_list(
            "first_id", "second_id"
        )
        frontier = set()
        for a, b in rows:
            edges.setdefault(a, set()).add(b)
            edges.setdefault(b, set()).add(a)
            for pk in (a, b):
                if pk not in seen:
                    seen.add(pk)
                    frontier.add(pk)
    groups: dict[int, frozenset[int]] = {}
    for start in participant_ids:
        if start in groups:
            continue
        group, todo = {start}, [start]
        while todo:
            for other in edges.get(todo.pop(), ()):
                if other not in group:
                    group.add(other)
                    todo.append(other)
        frozen = frozenset(group)
        for pk in group:
            groups[pk] = frozen
    return {pk: groups[pk] for pk in participant_ids}


@dataclass
class Pair:
    """Two files of different organisations that are probably the same person, and what was decided."""

    first: Participant
    second: Participant
    score: int
    reasons: list[str]
    decision: DuplicateDecision | None = None
    # Linked through other files of the same person, with no decision about this pair itself.
    linked_through_others: bool = False

    @property
    def is_decided(self) -> bool:
        return self.decision is not None or self.linked_through_others


def _block_keys(p: Participant) -> set[str]:
    keys = set()
    for name in (p.legal_last_name, *(a.name.split()[-1] for a in p.aliases.all() if a.name.split())):
        norm = normalise(name)
        if len(norm) >= 3:
            keys.add("n:" + norm[:4])
    if p.date_of_birth:
        keys.add(f"d:{p.date_of_birth.isoformat()}")
    keys |= {"i:" + normalise(i.value) for i in p.identifiers.all() if i.value.strip()}
    return keys


def probable_pairs(pool) -> list[Pair]:
    """Probable duplicates across organisations among `pool` (files the user may see), best first, each with
    the decision already made about it. Files are compared only within blocks sharing a name stem, a birth
    date or an identifier, so the work grows with the blocks, not with every pair of files."""
    files = list(pool.select_related("organisation").prefetch_related("aliases", "identifiers"))
    blocks: dict[str, list[Participant]] = {}
    for p in files:
        for key in _block_keys(p):
            blocks.setdefault(key, []).append(p)
    scored: dict[tuple[int, int], Pair] = {}
    probes: dict[int, Probe] = {}
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_CANDIDATES:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a.organisation_id == b.organisation_id:
                    continue
                first, second = (a, b) if a.pk < b.pk else (b, a)
                pair_key = (first.pk, second.pk)
                if pair_key in scored:
                    continue
                probe = probes.get(first.pk) or probes.setdefault(first.pk, Probe.from_participant(first))
                c = _score(probe, second)
                if c.score >= THRESHOLD:
                    scored[pair_key] = Pair(first=first, second=second, score=c.score, reasons=c.reasons)
    pairs = list(scored.values())
    if pairs:
        decisions = {
            (d.first_id, d.second_id): d
            for d in DuplicateDecision.objects.filter(
                first_id__in={p.first.pk for p in pairs}, second_id__in={p.second.pk for p in pairs}
            ).select_related("decided_by")
        }
        groups = linked_groups(sorted({p.first.pk for p in pairs} | {p.second.pk for p in pairs}))
        for pair in pairs:
            pair.decision = decisions.get((pair.first.pk, pair.second.pk))
            pair.linked_through_others = pair.decision is None and pair.second.pk in groups[pair.first.pk]
    pairs.sort(key=lambda p: (-p.score, p.first.legal_last_name, p.first.pk, p.second.pk))
    return pairs
