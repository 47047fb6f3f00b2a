"""Who records casework for a participant: the organisations serving them (home, or enrolling)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ancrage.casework.selectors import writing_organisation_id

if TYPE_CHECKING:
    pass


# --- helpers ----------------------------------------------------------------------------------------------


def _require_home_organisation(actor, participant) -> int:
    """The organisation in whose name the actor records (see `writing_organisation_id`), or a refusal."""
    org_id = writing_organisation_id(actor, participant)
    if org_id is None:
        raise ValidationError(
            {
                "__all__": [
                    _("Only an organisation serving the participant records contacts, visits and risk plans.")
                ]
            }
        )
    return org_id
