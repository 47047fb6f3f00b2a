"""Every value we record maps to HMIS and HIFIS codes, and the HMIS codes exist in the FY2026 lists."""

from ancrage.people import codes, hmis_fy2026
from ancrage.people.models import DobQuality, Gender, HouseholdMember, IndigenousIdentity


def test_every_value_has_a_code():
    assert set(codes.HMIS_DOB_DATA_QUALITY) == set(DobQuality.values)
    assert set(codes.HIFIS_GENDER) == set(Gender.values)
    assert set(codes.HIFIS_INDIGENOUS_IDENTITY) == set(IndigenousIdentity.values)
    assert set(codes.HIFIS_DOB_QUALITY) == set(DobQuality.values)
    assert set(codes.HMIS_RELATIONSHIP_TO_HOH) == set(HouseholdMember.Relationship.values)


def test_hmis_codes_exist_in_fy2026_lists():
    lists = hmis_fy2026.LISTS
    assert set(codes.HMIS_DOB_DATA_QUALITY.values()) <= lists["DOBDataQuality"].keys
    assert {codes.hmis_sex(g) for g in Gender.values} <= lists["Sex"].keys
    assert {v for v in codes.HMIS_RACE_NONE.values() if v is not None} <= lists["RaceNone"].keys
    assert {codes.hmis_am_ind_ak_native(i) for i in IndigenousIdentity.values} <= lists["NoYesMissing"].keys
    assert set(codes.HMIS_RELATIONSHIP_TO_HOH.values()) <= lists["RelationshipToHoH"].keys
    assert {codes.HMIS_NAME_FULL, codes.HMIS_NAME_PARTIAL} <= lists["NameDataQuality"].keys


def test_fy2026_lists_hold_the_data_dictionary_codes():
    """Spot checks against the Data Dictionary, so a list typed wrong here cannot vouch for a wrong mapping."""
    assert hmis_fy2026.SEX.element == "4.21"
    assert hmis_fy2026.SEX.values[0] == "Female"
    assert hmis_fy2026.SEX.values[1] == "Male"
    assert hmis_fy2026.RELATIONSHIP_TO_HOH.keys == {1, 2, 3, 4, 5, 99}
    assert hmis_fy2026.RELATIONSHIP_TO_HOH.values[1] == "Self (head of household)"
    assert hmis_fy2026.DOB_DATA_QUALITY.keys == {1, 2, 8, 9, 99}
    assert hmis_fy2026.NAME_DATA_QUALITY.keys == {1, 2, 8, 9, 99}
    assert hmis_fy2026.RACE_NONE.keys == {8, 9, 99}
    assert hmis_fy2026.NO_YES_MISSING.keys == {0, 1, 99}
    for name, code_list in hmis_fy2026.LISTS.items():
        assert code_list.name == name


def test_gender_identity_is_not_turned_into_sex():
    assert codes.hmis_sex(Gender.WOMAN) == codes.NOT_COLLECTED
    assert codes.hmis_sex(Gender.REFUSED) == codes.REFUSED


def test_indigenous_identity():
    assert codes.hmis_am_ind_ak_native(IndigenousIdentity.INUIT) == 1
    assert codes.hmis_am_ind_ak_native(IndigenousIdentity.NOT_INDIGENOUS) == 0
