"""What coordinated access does when a lower domain tells it something: a triage completed, a unit offered.

Connected in AccessConfig.ready(). Receivers run in the sender's transaction, so a failure here rolls
back the assessment or the unit as when the services called each other directly.
"""

from __future__ import annotations

from django.dispatch import receiver

from ancrage.access import services
from ancrage.assessments.signals import administration_completed
from ancrage.housing.signals import unit_held, unit_offered
from ancrage.people.signals import files_linked


@receiver(administration_completed, dispatch_uid="access.triage_completed")
def triage_completed(sender, *, administration, definition, **kwargs) -> None:
    if definition.get("category") == "coordinated_access":
        # A triage instrument: its score places the person on the by-name list (A3, A5).
        services.by_name_acuity_record(administration=administration)


@receiver(unit_offered, dispatch_uid="access.unit_offered")
def unit_offered_for_matching(sender, *, actor, unit, propose: bool = False, **kwargs):
    # A unit added with "offer it now" gets its opening; offered from its page, people are proposed at once.
    if not propose:
        services.openings_create(actor=actor, unit=unit)
        return None
    return services.unit_open_and_propose(actor=actor, unit=unit)


@receiver(unit_held, dispatch_uid="access.unit_held")
def unit_held_leaves_matching(sender, *, actor, unit, reason: str, **kwargs) -> None:
    services.unit_openings_cancel(actor=actor, unit=unit, reason=reason)


@receiver(files_linked, dispatch_uid="access.files_linked")
def files_linked_on_the_list(sender, *, actor, participant_ids, **kwargs) -> None:
    # Linked files of one person hold one line on the by-name list (A4).
    services.by_name_links_sync(actor=actor, participant_ids=participant_ids)
