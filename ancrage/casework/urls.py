"""URLs of case management, one module a part."""

from ancrage.casework import (
    urls_caseload,
    urls_contacts,
    urls_exits,
    urls_meeting,
    urls_plans,
    urls_referrals,
)

app_name = "casework"

urlpatterns = [
    *urls_caseload.urlpatterns,
    *urls_meeting.urlpatterns,
    *urls_contacts.urlpatterns,
    *urls_plans.urlpatterns,
    *urls_referrals.urlpatterns,
    *urls_exits.urlpatterns,
]
