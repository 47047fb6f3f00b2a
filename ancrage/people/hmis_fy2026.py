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

LISTS: dict[str, CodeList] = {
    code_list.name: code_list
    for code_list in (
        NAME_DATA_QUALITY,
        DOB_DATA_QUALITY,
        NO_YES_MISSING,
        RACE_NONE,
        RELATIONSHIP_TO_HOH,
        SEX,
    )
}
