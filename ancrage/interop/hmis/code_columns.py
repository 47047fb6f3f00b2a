"""Which FY2026 code list each numeric column of the imported files takes its values from (by file, column)."""

from __future__ import annotations

from ancrage.people import hmis_fy2026 as lists
from ancrage.people.hmis_fy2026 import CodeList

_RACE = (
    "AmIndAKNative",
    "Asian",
    "BlackAfAmerican",
    "HispanicLatinao",
    "MidEastNAfrican",
    "NativeHIPacific",
    "White",
)

CODE_COLUMNS: dict[str, dict[str, CodeList]] = {
    "Export": {
        "SourceType": lists.SOURCE_TYPE,
        "ExportPeriodType": lists.EXPORT_PERIOD_TYPE,
        "ExportDirective": lists.EXPORT_DIRECTIVE,
        "HashStatus": lists.HASH_STATUS,
    },
    "Organization": {"VictimServiceProvider": lists.NO_YES},
    "Project": {
        "ContinuumProject": lists.NO_YES,
        "ProjectType": lists.PROJECT_TYPE,
        "HousingType": lists.HOUSING_TYPE,
        "RRHSubType": lists.RRH_SUB_TYPE,
        "ResidentialAffiliation": lists.NO_YES,
        "TargetPopulation": lists.TARGET_POPULATION,
        "HOPWAMedAssistedLivingFac": lists.HOPWA_MED_ASSISTED_LIVING_FAC,
    },
    "Client": {
        "NameDataQuality": lists.NAME_DATA_QUALITY,
        "SSNDataQuality": lists.SSN_DATA_QUALITY,
        "DOBDataQuality": lists.DOB_DATA_QUALITY,
        "Sex": lists.SEX,
        **dict.fromkeys(_RACE, lists.NO_YES_MISSING),
        "RaceNone": lists.RACE_NONE,
        "VeteranStatus": lists.NO_YES_REASONS_FOR_MISSING_DATA,
    },
    "Enrollment": {
        "RelationshipToHoH": lists.RELATIONSHIP_TO_HOH,
        "LivingSituation": lists.PRIOR_LIVING_SITUATION,
        "RentalSubsidyType": lists.RENTAL_SUBSIDY_TYPE,
        "LengthOfStay": lists.RESIDENCE_PRIOR_LENGTH_OF_STAY,
        "LOSUnderThreshold": lists.NO_YES_MISSING,
        "PreviousStreetESSH": lists.NO_YES_MISSING,
        "TimesHomelessPastThreeYears": lists.TIMES_HOMELESS_PAST_THREE_YEARS,
        "MonthsHomelessPastThreeYears": lists.MONTHS_HOMELESS_PAST_THREE_YEARS,
        "DisablingCondition": lists.NO_YES_REASONS_FOR_MISSING_DATA,
    },
    "Exit": {
        "Destination": lists.DESTINATION,
        "DestinationSubsidyType": lists.RENTAL_SUBSIDY_TYPE,
    },
}
