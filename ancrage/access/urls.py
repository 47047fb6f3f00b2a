"""URLs of coordinated access."""

from django.urls import path

from ancrage.access import views

app_name = "access"

urlpatterns = [
    # The section's front page, so the navigation stays lit on every coordinated-access page.
    path("", views.by_name_list, name="by_name_list"),
    path("by-name-list/export.csv", views.by_name_export, name="by_name_export"),
    path("by-name-list/<int:pk>/status/", views.status_change, name="status_change"),
    path("by-name-list/<int:pk>/contact/", views.contact_record, name="contact_record"),
    path("flow/", views.flow, name="flow"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/<int:referral_pk>/intake/", views.intake_start, name="intake_start"),
]
