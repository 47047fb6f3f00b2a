"""API of case management (v1): each concept's router under one router."""

from ninja import Router

from ancrage.casework.caseload import api as caseload_api
from ancrage.casework.contacts import api as contacts_api
from ancrage.casework.exits import api as exits_api
from ancrage.casework.meeting import api as meeting_api
from ancrage.casework.plans import api as plans_api
from ancrage.casework.referrals import api as referrals_api
from ancrage.casework.risk import api as risk_api

router = Router()
for part in (caseload_api, contacts_api, risk_api, exits_api, meeting_api, plans_api, referrals_api):
    router.add_router("", part.router)
