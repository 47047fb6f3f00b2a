"""Client.csv: the people exported (visible to the requester, with an enrollment in the export)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ancrage.interop.hmis.export import hashing
from ancrage.interop.hmis.export.files.common import chunked, trailer
from ancrage.people import codes
from ancrage.people.models import DobQuality, IndigenousIdentity

# HMIS 3.01.5 NameDataQuality: the registry requires legal first and last names, so a name is full (1).
# HMIS 3.02.2 SSNDataQuality: 99, Canada has no social security number and the registry keeps no SIN.
SSN_NOT_COLLECTED = codes.NOT_COLLECTED
# HMIS 1.7 NoYesMissing for the race columns Ancrage does not ask (Asian, Black, …): 0, not reported.
NOT_REPORTED = 0
# HMIS 1.8 VeteranStatus: 99, Canadian programs do not collect US veteran status.
VETERAN_NOT_COLLECTED = codes.NOT_COLLECTED
_ANSWERED_INDIGENOUS = {IndigenousIdentity.FIRST_NATIONS, IndigenousIdentity.METIS, IndigenousIdentity.INUIT}

RACE_COLUMNS = ("Asian", "BlackAfAmerican", "HispanicLatinao", "MidEastNAfrican", "NativeHIPacific", "White")


def race(identity: str) -> dict[str, Any]:
    """The race columns from the self-identified Indigenous identity, the only one the registry asks.
    Judgement: an Indigenous person is AmIndAKNative 1 with nothing missing; a person who is not
    Indigenous has no race recorded (RaceNone 99, not collected); the missing answers carry over as
    8, 9 or 99."""
    values: dict[str, Any] = dict.fromkeys(RACE_COLUMNS, NOT_REPORTED)
    values["AmIndAKNative"] = codes.hmis_am_ind_ak_native(identity)
    if identity in _ANSWERED_INDIGENOUS:
        values["RaceNone"] = None
    else:
        values["RaceNone"] = codes.HMIS_RACE_NONE.get(identity) or codes.NOT_COLLECTED
    return values


def dob_quality(dob, quality: str) -> int:
    """HMIS 3.03.2: a date's quality as recorded; a quality of a date that is not there is not collected."""
    code = codes.HMIS_DOB_DATA_QUALITY.get(quality, codes.NOT_COLLECTED)
    if dob is None and quality in {DobQuality.EXACT, DobQuality.APPROXIMATE}:
        return codes.NOT_COLLECTED
    return code


def rows(scope) -> Iterator[dict[str, Any]]:
    people = (
        scope.participants()
        .order_by("pk")
        .values_list(
            "pk",
            "legal_first_name",
            "legal_last_name",
            "date_of_birth",
            "dob_quality",
            "gender",
            "indigenous_identity",
            "created_at",
            "updated_at",
        )
    )
    for pk, first, last, dob, quality, gender, identity, created, updated in chunked(people):
        if scope.hashed:
            first_out, last_out, dob_out = (
                hashing.hashed_name(first),
                hashing.hashed_name(last),
                hashing.hashed_date(dob),
            )
        else:
            first_out, last_out, dob_out = first or None, last or None, dob
        yield {
            "PersonalID": str(pk),
            "FirstName": first_out,
            "LastName": last_out,
            "NameDataQuality": codes.HMIS_NAME_FULL,
            "SSN": None,
            "SSNDataQuality": SSN_NOT_COLLECTED,
            "DOB": dob_out,
            "DOBDataQuality": dob_quality(dob, quality),
            "Sex": codes.hmis_sex(gender),
            **race(identity),
            "VeteranStatus": VETERAN_NOT_COLLECTED,
            **trailer(scope, created, updated),
        }
