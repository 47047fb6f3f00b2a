"""URLs of the directory of services and referrals out (B7)."""

from django.urls import URLPattern, path

from ancrage.casework.referrals import views

urlpatterns: list[URLPattern] = [
    path("casework/services/", views.provider_list, name="provider_list"),
    path("casework/services/new/", views.provider_create, name="provider_create"),
    path("casework/services/<int:provider_pk>/edit/", views.provider_edit, name="provider_edit"),
    path("casework/services/<int:provider_pk>/refer/", views.provider_refer, name="provider_refer"),
    path("participants/<int:pk>/referrals/", views.referral_list, name="referral_list"),
    path("participants/<int:pk>/referrals/new/", views.referral_create, name="referral_create"),
    path(
        "participants/<int:pk>/referrals/<int:referral_pk>/step/", views.referral_step, name="referral_step"
    ),
]
