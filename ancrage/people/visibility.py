"""The consent visibility lookup: who may see whom outside the home organisation, kept exact by the services.

`ConsentVisibility` holds one row per (consent, organisation it names, kind of information it shares), for
consents that share identity and are not revoked, with the consent's own dates. The selectors of
`people.selectors` read it on an index instead of joining consents, their organisations and categories.

What keeps it exact:
- recording a consent writes its rows, revoking it deletes them (`consent_record`, `consent_revoke`);
- a merge moves consents from one file to another, and its undo moves them back: both refresh the rows of
  the consents of the two files (`participant_merge`, `participant_merge_undo`);
- a consent that starts or expires needs no write: the rows carry `starts_on`/`expires_on` and every
  reader filters them by today's date (from the clock), so it is exact at midnight without a job;
- a transfer changes the home organisation, which has no row (it is `Participant.organisation_id`), and
  memberships are read from the user at each request: neither changes the lookup.
Anything that writes consents in bulk outside the services (the scale data) calls `rebuild()`; the nightly
`people.visibility_check` rebuilds it and reports any drift it had to repair.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import transaction

from ancrage.core.permissions import Category
from ancrage.people.models import Consent, ConsentCategory, ConsentVisibility

logger = logging.getLogger(__name__)

# (consent_id, organisation_id, category) → (participant_id, starts_on, expires_on)
Rows = dict[tuple[int, int, str], tuple[int, datetime.date, datetime.date]]

_CHUNK = 2000


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _rows_from_consents(consents) -> Rows:
    """The rows the rule derives from a queryset of consents: not revoked, sharing identity."""
    shared = consents.filter(revoked_at__isnull=True, category_rows__category=Category.IDENTITY)
    heads = {
        pk: (participant_id, starts_on, expires_on)
        for pk, participant_id, starts_on, expires_on in shared.values_list(
            "pk", "participant_id", "starts_on", "expires_on"
        )
    }
    if not heads:
        return {}
    orgs: dict[int, list[int]] = {}
    cats: dict[int, list[str]] = {}
    through = Consent.organisations.through
    for chunk in _chunks(sorted(heads)):
        for consent_id, org_id in through.objects.filter(consent_id__in=chunk).values_list(
            "consent_id", "organisation_id"
        ):
            orgs.setdefault(consent_id, []).append(org_id)
        for consent_id, category in ConsentCategory.objects.filter(consent_id__in=chunk).values_list(
            "consent_id", "category"
        ):
            cats.setdefault(consent_id, []).append(category)
    return {
        (pk, org_id, category): head
        for pk, head in heads.items()
        for org_id in orgs.get(pk, ())
        for category in cats.get(pk, ())
    }


def _write(rows: Rows) -> None:
    ConsentVisibility.objects.bulk_create(
        [
            ConsentVisibility(
                consent_id=consent_id,
                organisation_id=org_id,
                category=category,
                participant_id=participant_id,
                starts_on=starts_on,
                expires_on=expires_on,
            )
            for (consent_id, org_id, category), (participant_id, starts_on, expires_on) in rows.items()
        ],
        batch_size=_CHUNK,
        # A concurrent service may have written the same row between our read and our write.
        ignore_conflicts=True,
    )


@transaction.atomic
def refresh_consents(consent_ids: Iterable[int]) -> None:
    """Make the rows of these consents what the rule says (after a consent is recorded or revoked)."""
    ids = sorted(set(consent_ids))
    for chunk in _chunks(ids):
        ConsentVisibility.objects.filter(consent_id__in=chunk).delete()
        _write(_rows_from_consents(Consent.objects.filter(pk__in=chunk)))


def refresh_participants(participant_ids: Iterable[int]) -> None:
    """Make the rows of every consent of these participants exact (after a merge or its undo moved them)."""
    ids = sorted(set(participant_ids))
    stale = set(ConsentVisibility.objects.filter(participant_id__in=ids).values_list("consent_id", flat=True))
    stale |= set(Consent.objects.filter(participant_id__in=ids).values_list("pk", flat=True))
    refresh_consents(stale)


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Compare the whole lookup with the rule, repair every difference, and say how many rows differed:
    `missing` (the rule grants, the lookup did not), `extra` (the lookup granted, the rule does not),
    `changed` (dates or participant no longer those of the consent)."""
    wanted = _rows_from_consents(Consent.objects.all())
    have: dict[tuple[int, int, str], tuple[int, tuple[int, datetime.date, datetime.date]]] = {
        (consent_id, org_id, category): (pk, (participant_id, starts_on, expires_on))
        for pk, consent_id, org_id, category, participant_id, starts_on, expires_on in (
            ConsentVisibility.objects.values_list(
                "pk", "consent_id", "organisation_id", "category", "participant_id", "starts_on", "expires_on"
            ).iterator(chunk_size=_CHUNK)
        )
    }
    extra = [pk for key, (pk, _v) in have.items() if key not in wanted]
    changed = [pk for key, (pk, value) in have.items() if key in wanted and wanted[key] != value]
    missing = {key: value for key, value in wanted.items() if key not in have}
    for chunk in _chunks(extra + changed):
        ConsentVisibility.objects.filter(pk__in=chunk).delete()
    changed_pks = set(changed)
    changed_keys = {key for key, (pk, _v) in have.items() if pk in changed_pks}
    _write(missing | {key: wanted[key] for key in changed_keys})
    return {"rows": len(wanted), "missing": len(missing), "extra": len(extra), "changed": len(changed)}


def check() -> dict[str, int]:
    """The nightly check: rebuild the lookup and report, in the log and the run's summary, any drift."""
    result = rebuild()
    drift = result["missing"] + result["extra"] + result["changed"]
    if drift:
        logger.warning(
            "Consent visibility lookup had drifted and was repaired: %s missing, %s extra, %s changed rows",
            result["missing"],
            result["extra"],
            result["changed"],
        )
    else:
        logger.info("Consent visibility lookup checked: %s rows, no drift", result["rows"])
    return result | {"drift": drift}
