"""What each figure and group of the outcomes page is called, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

GROUP_LABELS = {
    "permanent": _("Permanent housing"),
    "temporary": _("Temporary (family, friends, another program)"),
    "homelessness": _("Homelessness (shelter, street)"),
    "institution": _("Institutions (hospital, treatment, detention)"),
    "deceased": _("Deceased"),
    "other": _("Other or unknown"),
}
DIMENSION_LABELS = {
    "indigenous": _("Indigenous identity"),
    "gender": _("Gender"),
    "age": _("Age band"),
}
VALUE_LABELS = {
    "indigenous": {
        "first_nations": _("First Nations"),
        "metis": _("Métis"),
        "inuit": _("Inuit"),
        "not_indigenous": _("Not Indigenous"),
        "not_said": _("Not said"),
    },
    "gender": {
        "woman": _("Woman"),
        "man": _("Man"),
        "gender_diverse": _("Gender-diverse (non-binary, Two-Spirit, transgender, another)"),
        "not_said": _("Not said"),
    },
    "age": {
        "under_25": _("Under 25"),
        "25_39": _("25 to 39"),
        "40_54": _("40 to 54"),
        "55_plus": _("55 and over"),
        "not_said": _("Not said"),
    },
}
FIGURE_LABELS = {
    "cohort_6": _("In the 6-month retention cohort"),
    "retained_6": _("Housed at 6 months"),
    "cohort_12": _("In the 12-month retention cohort"),
    "retained_12": _("Housed at 12 months"),
    "moved_in": _("First move-ins of the period with a referral date"),
    "exits": _("Exits in the period"),
    **{f"exit_{key}": label for key, label in GROUP_LABELS.items()},
    "return_cohort_6": _("Exits to permanent housing at least 6 months ago"),
    "return_cohort_12": _("Exits to permanent housing at least 12 months ago"),
    "return_cohort_24": _("Exits to permanent housing at least 24 months ago"),
    "returned_6": _("Returned to homelessness within 6 months"),
    "returned_12": _("Returned to homelessness within 12 months"),
    "returned_24": _("Returned to homelessness within 24 months"),
}
COMMUNITY_LABELS = {
    "homeless": _("People homeless"),
    "chronic": _("Chronically homeless"),
    "new": _("New inflows"),
    "returned_from_housing": _("Returns from housing"),
}
CHANGE_LABELS = {
    "people": _("People with this follow-up"),
    "improved": _("Improved"),
    "same": _("The same"),
    "worse": _("Worse"),
}


def group_label(group: str) -> str:
    """`indigenous:metis` → "Indigenous identity: Métis"."""
    dimension, _sep, value = group.partition(":")
    return str(VALUE_LABELS.get(dimension, {}).get(value, value))
