"""Every value we record maps to HMIS and HIFIS codes, and the HMIS codes exist in the FY2026 lists."""

import json
from pathlib import Path

import pytest

from ancrage.people import codes
from ancrage.people.models import DobQuality, Gender, HouseholdMember, IndigenousIdentity

REFERENCE = (
    Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "hmis" / "hud_lists_2026.json"
)


@pytest.fixture(scope="module")
def hud_lists():
    if not REFERENCE.exists():
        pytest.fail(f"HMIS reference lists not found at {REFERENCE}")
    return {lst["name"]: {v["key"] for v in lst["values"]} for lst in json.loads(REFERENCE.read_text())}


def test_every_value_has_a_code():
    assert set(codes.HMIS_DOB_DATA_QUALITY) == set(DobQuality.values)
    assert set(codes.HIFIS_GENDER) == set(Gender.values)
    assert set(codes.HIFIS_INDIGENOUS_IDENTITY) == set(IndigenousIdentity.values)
    assert set(codes.HIFIS_DOB_QUALITY) == set(DobQuality.values)
    assert set(codes.HMIS_RELATIONSHIP_TO_HOH) == set(HouseholdMember.Relationship.values)


def test_hmis_codes_exist_in_fy2026_lists(hud_lists):
    assert set(codes.HMIS_DOB_DATA_QUALITY.values()) <= hud_lists["DOBDataQuality"]
    assert {codes.hmis_sex(g) for g in Gender.values} <= hud_lists["Sex"]
    assert {v for v in codes.HMIS_RACE_NONE.values() if v is not None} <= hud_lists["RaceNone"]
    assert set(codes.HMIS_RELATIONSHIP_TO_HOH.values()) <= hud_lists["RelationshipToHoH"]
    assert {codes.HMIS_NAME_FULL, codes.HMIS_NAME_PARTIAL} <= hud_lists["NameDataQuality"]


def test_gender_identity_is_not_turned_into_sex():
    assert codes.hmis_sex(Gender.WOMAN) == codes.NOT_COLLECTED
    assert codes.hmis_sex(Gender.REFUSED) == codes.REFUSED


def test_indigenous_identity():
    assert codes.hmis_am_ind_ak_native(IndigenousIdentity.INUIT) == 1
    assert codes.hmis_am_ind_ak_native(IndigenousIdentity.NOT_INDIGENOUS) == 0
