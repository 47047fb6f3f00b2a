"""API of case management (v1): contacts, visits, plans, referrals, risk, incidents, exits, caseloads."""

from ninja import Router

from ancrage.casework import api_caseload, api_contacts, api_exits, api_meeting, api_plans, api_referrals

router = Router()
for part in (api_caseload, api_meeting, api_contacts, api_plans, api_referrals, api_exits):
    router.add_router("", part.router)
