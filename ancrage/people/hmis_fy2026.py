"""The FY2026 HMIS Data Dictionary code lists that Ancrage maps to (HUD HMIS CSV), as the project's own data.

Written from the FY2026 HMIS Data Dictionary (element number, key, description) for the lists that
`ancrage.people.codes` uses, so the mapping and its tests need nothing outside the repository. When an
export or import maps another element, add its list here from the Data Dictionary, whole: a partial list
would let a wrong code pass the test.
"""

from __future__ import annotations

from dataclasses import dataclass

# The missing-data answers shared by most lists.
DOESNT_KNOW, PREFERS_NOT_TO_ANSWER, NOT_COLLECTED = 8, 9, 99


@dataclass(frozen=True)
class CodeList:
    """One Data Dictionary list: its name in the HMIS CSV specifications, its element number, its codes."""

    name: str
    element: str
    values: dict[int, str]

    @property
    def keys(self) -> frozenset[int]:
        return frozenset(self.values)


_MISSING = {
    DOESNT_KNOW: "Client doesn't know",
    PREFERS_NOT_TO_ANSWER: "Client prefers not to answer",
    NOT_COLLECTED: "Data not collected",
}

NAME_DATA_QUALITY = CodeList(
    "NameDataQuality",
    "3.01.5",
    {1: "Full name reported", 2: "Partial, street name, or code name reported", **_MISSING},
)

DOB_DATA_QUALITY = CodeList(
    "DOBDataQuality",
    "3.03.2",
    {1: "Full DOB reported", 2: "Approximate or partial DOB reported", **_MISSING},
)

# The race columns (AmIndAKNative, Asian, …) are yes/no; RaceNone carries the reason none was given.
NO_YES_MISSING = CodeList("NoYesMissing", "1.7", {0: "No", 1: "Yes", NOT_COLLECTED: "Data not collected"})

RACE_NONE = CodeList("RaceNone", "1.6", dict(_MISSING))

RELATIONSHIP_TO_HOH = CodeList(
    "RelationshipToHoH",
    "3.15.1",
    {
        1: "Self (head of household)",
        2: "Child",
        3: "Spouse or partner",
        4: "Other relative",
        5: "Unrelated household member",
        NOT_COLLECTED: "Data not collected",
    },
)

SEX = CodeList("Sex", "4.21", {0: "Female", 1: "Male", **_MISSING})

NO_YES_REASONS_FOR_MISSING_DATA = CodeList(
    "NoYesReasonsForMissingData", "1.8", {0: "No", 1: "Yes", **_MISSING}
)

# 3.917 Prior Living Situation: the Enrollment file's LivingSituation column and its sub-elements.
PRIOR_LIVING_SITUATION = CodeList(
    "PriorLivingSituation",
    "3.917",
    {
        **_MISSING,
        101: (
            "Emergency shelter, including hotel or motel paid for with emergency shelter voucher, "
            "or Host Home shelter"
        ),
        116: (
            "Place not meant for habitation (e.g., a vehicle, an abandoned building, "
            "bus/train/subway station/airport or anywhere outside)"
        ),
        118: "Safe Haven",
        204: "Psychiatric hospital or other psychiatric facility",
        205: "Substance abuse treatment facility or detox center",
        206: "Hospital or other residential non-psychiatric medical facility",
        207: "Jail, prison or juvenile detention facility",
        215: "Foster care home or foster care group home",
        225: "Long-term care facility or nursing home",
        302: "Transitional housing for homeless persons (including homeless youth)",
        314: "Hotel or motel paid for without emergency shelter voucher",
        329: "Residential project or halfway house with no homeless criteria",
        332: "Host Home (non-crisis)",
        335: "Staying or living in a family member\u2019s room, apartment, or house",
        336: "Staying or living in a friend's room, apartment or house",
        410: "Rental by client, no ongoing housing subsidy",
        411: "Owned by client, no ongoing housing subsidy",
        421: "Owned by client, with ongoing housing subsidy",
        435: "Rental by client, with ongoing housing subsidy",
    },
)

# 3.917.2 Length of stay in the prior living situation (the Enrollment file's LengthOfStay column).
RESIDENCE_PRIOR_LENGTH_OF_STAY = CodeList(
    "ResidencePriorLengthOfStay",
    "3.917.2",
    {
        2: "One week or more, but less than one month",
        3: "One month or more, but less than 90 days",
        4: "90 days or more but less than one year",
        5: "One year or longer",
        DOESNT_KNOW: "Client doesn't know",
        PREFERS_NOT_TO_ANSWER: "Client prefers not to answer",
        10: "One night or less",
        11: "Two to six nights",
        NOT_COLLECTED: "Data not collected",
    },
)

TIMES_HOMELESS_PAST_THREE_YEARS = CodeList(
    "TimesHomelessPastThreeYears",
    "3.917.4",
    {1: "One time", 2: "Two times", 3: "Three times", 4: "Four or more times", **_MISSING},
)

MONTHS_HOMELESS_PAST_THREE_YEARS = CodeList(
    "MonthsHomelessPastThreeYears",
    "3.917.5",
    {**_MISSING, **{100 + n: str(n) for n in range(1, 13)}, 113: "More than 12 months"},
)

LISTS: dict[str, CodeList] = {
    code_list.name: code_list
    for code_list in (
        NAME_DATA_QUALITY,
        DOB_DATA_QUALITY,
        NO_YES_MISSING,
        RACE_NONE,
        RELATIONSHIP_TO_HOH,
        SEX,
        NO_YES_REASONS_FOR_MISSING_DATA,
        PRIOR_LIVING_SITUATION,
        RESIDENCE_PRIOR_LENGTH_OF_STAY,
        TIMES_HOMELESS_PAST_THREE_YEARS,
        MONTHS_HOMELESS_PAST_THREE_YEARS,
    )
}

# Lists the HMIS CSV import checks values against (interop), from the FY2026 Data Dictionary, whole.

EXPORT_PERIOD_TYPE = CodeList(
    "ExportPeriodType",
    "1.1",
    {
        1: "Updated",
        3: "Reporting period",
        4: "Other",
    },
)

EXPORT_DIRECTIVE = CodeList(
    "ExportDirective",
    "1.2",
    {
        1: "Delta refresh",
        2: "Full refresh",
        3: "Other",
    },
)

HASH_STATUS = CodeList(
    "HashStatus",
    "1.5",
    {
        1: "Unhashed",
        2: "SHA-1 RHY",
        3: "Hashed - other",
        4: "SHA-256 (RHY)",
    },
)

SOURCE_TYPE = CodeList(
    "SourceType",
    "1.9",
    {
        1: "CoC HMIS",
        2: "Standalone/agency-specific application",
        3: "Data warehouse",
        4: "Other",
    },
)

NO_YES = CodeList(
    "NoYes",
    "1.10",
    {
        0: "No",
        1: "Yes",
    },
)

PROJECT_TYPE = CodeList(
    "ProjectType",
    "2.02.6",
    {
        0: "Emergency Shelter - Entry Exit",
        1: "Emergency Shelter - Night-by-Night",
        2: "Transitional Housing",
        3: "PH - Permanent Supportive Housing",
        4: "Street Outreach",
        6: "Services Only",
        8: "Safe Haven",
        9: "PH - Housing Only",
        7: "Other",
        10: "PH - Housing with Services (no disability required for entry)",
        11: "Day Shelter",
        12: "Homelessness Prevention",
        13: "PH - Rapid Re-Housing",
        14: "Coordinated Entry",
    },
)

TARGET_POPULATION = CodeList(
    "TargetPopulation",
    "2.02.7",
    {
        1: "DV: Survivor of Domestic Violence",
        3: "HIV: Persons with HIV/AIDS",
        4: "NA: Not applicable",
    },
)

HOPWA_MED_ASSISTED_LIVING_FAC = CodeList(
    "HOPWAMedAssistedLivingFac",
    "2.02.8",
    {
        0: "No",
        1: "Yes",
        2: "Non-HOPWA Funded Project",
    },
)

HOUSING_TYPE = CodeList(
    "HousingType",
    "2.02.D",
    {
        1: "Site-based - single site",
        2: "Site-based - clustered / multiple sites",
        3: "Tenant-based - scattered site",
    },
)

RRH_SUB_TYPE = CodeList(
    "RRHSubType",
    "2.02.A",
    {
        1: "RRH: Services Only",
        2: "RRH: Housing with or without services",
    },
)

SSN_DATA_QUALITY = CodeList(
    "SSNDataQuality",
    "3.02.2",
    {
        1: "Full SSN reported",
        2: "Approximate or partial SSN reported",
        8: "Client doesn't know",
        9: "Client prefers not to answer",
        99: "Data not collected",
    },
)

DESTINATION = CodeList(
    "Destination",
    "3.12",
    {
        8: "Client doesn't know",
        9: "Client prefers not to answer",
        17: "Other",
        24: "Deceased",
        30: "No exit interview completed",
        99: "Data not collected",
        101: "Emergency shelter, including hotel or motel paid for with emergency shelter voucher, or Host Home shelter",
        116: "Place not meant for habitation (e.g., a vehicle, an abandoned building, bus/train/subway station/airport or anywhere outside)",
        118: "Safe Haven",
        204: "Psychiatric hospital or other psychiatric facility",
        205: "Substance abuse treatment facility or detox center",
        206: "Hospital or other residential non-psychiatric medical facility",
        207: "Jail, prison or juvenile detention facility",
        215: "Foster care home or foster care group home",
        225: "Long-term care facility or nursing home",
        302: "Transitional housing for homeless persons (including homeless youth)",
        312: "Staying or living with family, temporary tenure (e.g. room, apartment or house)",
        313: "Staying or living with friends, temporary tenure (e.g. room apartment or house)",
        314: "Hotel or motel paid for without emergency shelter voucher",
        327: "Moved from one HOPWA funded project to HOPWA TH",
        329: "Residential project or halfway house with no homeless criteria",
        332: "Host Home (non-crisis)",
        410: "Rental by client, no ongoing housing subsidy",
        411: "Owned by client, no ongoing housing subsidy",
        421: "Owned by client, with ongoing housing subsidy",
        422: "Staying or living with family, permanent tenure",
        423: "Staying or living with friends, permanent tenure",
        426: "Moved from one HOPWA funded project to HOPWA PH",
        435: "Rental by client, with ongoing housing subsidy",
    },
)

RENTAL_SUBSIDY_TYPE = CodeList(
    "RentalSubsidyType",
    "3.12.A",
    {
        428: "GPD TIP housing subsidy",
        419: "VASH housing subsidy",
        431: "RRH or equivalent subsidy",
        433: "HCV voucher (tenant or project based) (not dedicated)",
        434: "Public housing unit",
        420: "Rental by client, with other ongoing housing subsidy",
        436: "Housing Stability Voucher",
        437: "Family Unification Program Voucher (FUP)",
        438: "Foster Youth to Independence Initiative (FYI)",
        439: "Permanent Supportive Housing",
        440: "Other permanent housing dedicated for formerly homeless persons",
    },
)

LISTS.update(
    {
        code_list.name: code_list
        for code_list in (
            EXPORT_PERIOD_TYPE,
            EXPORT_DIRECTIVE,
            HASH_STATUS,
            SOURCE_TYPE,
            NO_YES,
            PROJECT_TYPE,
            TARGET_POPULATION,
            HOPWA_MED_ASSISTED_LIVING_FAC,
            HOUSING_TYPE,
            RRH_SUB_TYPE,
            SSN_DATA_QUALITY,
            DESTINATION,
            RENTAL_SUBSIDY_TYPE,
        )
    }
)
