"""Top-level URLs."""

from django.contrib import admin
from django.urls import include, path

from ancrage.api import api
from ancrage.core import views as core_views
from ancrage.core import views_health as health_views
from ancrage.core.admin_site import restrict_admin
from ancrage.people import views as people_views

restrict_admin()

urlpatterns = [
    path("", core_views.home, name="home"),
    path("alerts/<int:alert_pk>/dismiss/", core_views.alert_dismiss, name="alert_dismiss"),
    path("accounts/", include("ancrage.accounts.urls")),
    path("participants/", include("ancrage.people.urls")),
    path("participants/", include("ancrage.assessments.urls")),
    path("access/", include("ancrage.access.urls")),
    path("housing/", include("ancrage.housing.urls")),
    path("partners/", include("ancrage.partners.urls")),
    path("reports/", include("ancrage.reports.urls")),
    path("hmis/", include("ancrage.interop.urls")),
    path("", include("ancrage.casework.urls")),
    path("conferences/", include("ancrage.conferences.urls")),
    path("audit/", people_views.audit_log, name="audit_log"),
    path("audit/export/", people_views.audit_export, name="audit_export"),
    path("health/", health_views.health_page, name="health"),
    path("health.json", health_views.health_json, name="health_json"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

handler404 = "ancrage.core.views.error_404"
handler403 = "ancrage.core.views.error_403"
handler500 = "ancrage.core.views.error_500"
