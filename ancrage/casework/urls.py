"""URLs of case management: each concept's, under the one `casework` namespace."""

from ancrage.casework.caseload import urls as caseload_urls
from ancrage.casework.contacts import urls as contacts_urls
from ancrage.casework.exits import urls as exits_urls
from ancrage.casework.meeting import urls as meeting_urls
from ancrage.casework.plans import urls as plans_urls
from ancrage.casework.reengagement import urls as reengagement_urls
from ancrage.casework.referrals import urls as referrals_urls
from ancrage.casework.risk import urls as risk_urls

app_name = "casework"

urlpatterns = [
    *caseload_urls.urlpatterns,
    *contacts_urls.urlpatterns,
    *risk_urls.urlpatterns,
    *exits_urls.urlpatterns,
    *meeting_urls.urlpatterns,
    *plans_urls.urlpatterns,
    *referrals_urls.urlpatterns,
    *reengagement_urls.urlpatterns,
]
