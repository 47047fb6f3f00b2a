"""The audit action codes of housing and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS = {
    "housing.unit.created": _("added a housing unit"),
    "housing.unit.updated": _("corrected a housing unit"),
    "housing.unit.held": _("put a housing unit on hold"),
    "housing.unit.released": _("released a housing unit from hold"),
    # The rent payment service (C5).
    "housing.rent.roll_generated": _("generated a rent roll"),
    "housing.rent.roll_approved": _("approved a rent roll"),
    "housing.rent.roll_closed": _("closed a month of rent"),
    "housing.rent.charge_carried": _("carried a rent charge over"),
    "housing.rent.payment_recorded": _("recorded a payment to a landlord"),
    "housing.rent.payment_reconciled": _("reconciled a payment to a landlord"),
    "housing.rent.share_received": _("recorded a participant's share received"),
    "housing.rent.plan_created": _("set a repayment plan"),
    "housing.rent.plan_completed": _("completed a repayment plan"),
    "housing.rent.plan_broken": _("marked a repayment plan as broken"),
    "housing.rent.exported": _("exported a rent roll for accounting"),
    "housing.rent.account.viewed": _("viewed a tenancy's rent account"),
    "housing.rent.arrears.listed": _("saw the participant in the list of rent arrears"),
}


# The kind of information each entry's values carry (G1, G2): the audit screen shows them only to a
# reader who may read that kind for the participant now; None: the entry concerns no participant.
# Units name no participant.
CATEGORIES: dict[str, str | None] = {
    "housing.unit.created": None,
    "housing.unit.updated": None,
    "housing.unit.held": None,
    "housing.unit.released": None,
    # The rent payment service (C5): rolls and payments to landlords name no participant; a participant's
    # share, plan or carried charge is their housing information.
    "housing.rent.roll_generated": None,
    "housing.rent.roll_approved": None,
    "housing.rent.roll_closed": None,
    "housing.rent.charge_carried": "housing",
    "housing.rent.payment_recorded": None,
    "housing.rent.payment_reconciled": None,
    "housing.rent.share_received": "housing",
    "housing.rent.plan_created": "housing",
    "housing.rent.plan_completed": "housing",
    "housing.rent.plan_broken": "housing",
    "housing.rent.exported": None,
    "housing.rent.account.viewed": "housing",
    "housing.rent.arrears.listed": "housing",
}
