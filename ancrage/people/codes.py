"""How our participant values map to the exchange formats of the field: HUD HMIS CSV (FY2026) and HIFIS.

One module, so the HMIS CSV export and import (a later issue) read the mapping from here and nowhere else.
HMIS codes come from the FY2026 HMIS Data Dictionary lists the project keeps in `hmis_fy2026`; the
missing-data codes are 8 (doesn't know), 9 (prefers not to answer) and 99 (not collected). HIFIS values are the
descriptions of HIFIS 4 look-up tables, which communities may rename: check them against your HIFIS
before an exchange.
"""

from __future__ import annotations

from ancrage.people import hmis_fy2026
from ancrage.people.models import DobQuality, Gender, HouseholdMember, IndigenousIdentity

DOESNT_KNOW = hmis_fy2026.DOESNT_KNOW
REFUSED = hmis_fy2026.PREFERS_NOT_TO_ANSWER
NOT_COLLECTED = hmis_fy2026.NOT_COLLECTED

# HMIS 3.03.2 DOBDataQuality
HMIS_DOB_DATA_QUALITY: dict[str, int] = {
    DobQuality.EXACT: 1,
    DobQuality.APPROXIMATE: 2,
    DobQuality.DOESNT_KNOW: DOESNT_KNOW,
    DobQuality.REFUSED: REFUSED,
    DobQuality.NOT_COLLECTED: NOT_COLLECTED,
}

# HMIS 3.01.5 NameDataQuality: a file opened under a street name only is "partial".
HMIS_NAME_FULL, HMIS_NAME_PARTIAL = 1, 2

# FY2026 HMIS asks for sex (4.21: 0 female, 1 male), not gender identity. Ancrage records gender identity
# as the person states it and does not infer sex from it, so an export writes 99 (not collected) unless
# a later module records sex explicitly; only the missing-data answers carry over.
HMIS_SEX_FROM_GENDER: dict[str, int] = {
    Gender.DOESNT_KNOW: DOESNT_KNOW,
    Gender.REFUSED: REFUSED,
}


def hmis_sex(gender: str) -> int:
    return HMIS_SEX_FROM_GENDER.get(gender, NOT_COLLECTED)


# HMIS 1.6 race and ethnicity: AmIndAKNative is the closest HMIS column for Indigenous identity in Canada
# (1 yes, 0 no); when unanswered, RaceNone carries the reason.
def hmis_am_ind_ak_native(identity: str) -> int:
    return (
        1
        if identity in {IndigenousIdentity.FIRST_NATIONS, IndigenousIdentity.METIS, IndigenousIdentity.INUIT}
        else 0
    )


HMIS_RACE_NONE: dict[str, int | None] = {
    IndigenousIdentity.DOESNT_KNOW: DOESNT_KNOW,
    IndigenousIdentity.REFUSED: REFUSED,
    IndigenousIdentity.NOT_COLLECTED: NOT_COLLECTED,
}

# HMIS 3.15.1 RelationshipToHoH (the participant is the head of household, 1).
HMIS_RELATIONSHIP_TO_HOH: dict[str, int] = {
    HouseholdMember.Relationship.CHILD: 2,
    HouseholdMember.Relationship.PARTNER: 3,
    HouseholdMember.Relationship.PARENT: 4,
    HouseholdMember.Relationship.OTHER_FAMILY: 4,
    HouseholdMember.Relationship.OTHER: 5,
}

# HIFIS 4 look-up descriptions.
HIFIS_GENDER: dict[str, str] = {
    Gender.WOMAN: "Woman",
    Gender.MAN: "Man",
    Gender.NON_BINARY: "Non-Binary",
    Gender.TWO_SPIRIT: "Two-Spirit",
    Gender.TRANSGENDER: "Transgender",
    Gender.QUESTIONING: "Questioning",
    Gender.DIFFERENT: "Not Listed",
    Gender.DOESNT_KNOW: "Don't Know",
    Gender.REFUSED: "Declined to Answer",
    Gender.NOT_COLLECTED: "Not Collected",
}

HIFIS_INDIGENOUS_IDENTITY: dict[str, str] = {
    IndigenousIdentity.FIRST_NATIONS: "First Nations",
    IndigenousIdentity.METIS: "Métis",
    IndigenousIdentity.INUIT: "Inuit",
    IndigenousIdentity.NOT_INDIGENOUS: "Non-Indigenous",
    IndigenousIdentity.DOESNT_KNOW: "Don't Know",
    IndigenousIdentity.REFUSED: "Declined to Answer",
    IndigenousIdentity.NOT_COLLECTED: "Not Collected",
}

HIFIS_DOB_QUALITY: dict[str, str] = {
    DobQuality.EXACT: "Exact",
    DobQuality.APPROXIMATE: "Approximate",
    DobQuality.DOESNT_KNOW: "Don't Know",
    DobQuality.REFUSED: "Declined to Answer",
    DobQuality.NOT_COLLECTED: "Not Collected",
}
