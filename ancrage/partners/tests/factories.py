"""Objects the partners tests build: a partner, one involved with a participant through an open referral."""

from __future__ import annotations

from ancrage.casework.models import ServiceKind
from ancrage.casework.referrals import services as referral_services
from ancrage.core import clock
from ancrage.partners import services
from ancrage.partners.models import Partner


def make_partner(
    actor, *, name: str = "SPVM — poste de quartier 23", kind: str = "police", **values
) -> Partner:
    return services.partner_create(actor=actor, name=name, kind=kind, **values)


def involved_partner(
    actor, participant, organisation, *, name: str = "Clinique partenaire", **values
) -> Partner:
    """A partner using Ancrage as `organisation`, a service of the directory with an open referral for
    `participant`: involved with them (E3)."""
    provider = referral_services.provider_create(
        actor=actor,
        consortium=organisation.consortium,
        name=name,
        kind=ServiceKind.HEALTH,
        organisation=organisation,
    )
    referral_services.referral_create(
        actor=actor, participant=participant, provider=provider, need="Suivi", approved_on=clock.today()
    )
    partner = make_partner(actor, name=name, kind="hospital", organisation=organisation, **values)
    Partner.objects.filter(pk=partner.pk).update(service_provider=provider)
    partner.refresh_from_db()
    return partner
