"""Addresses of the partners pages (E1–E3)."""

from django.urls import path

from ancrage.partners import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_list, name="list"),
    path("new/", views.partner_create, name="create"),
    path("follow-up/", views.follow_up, name="follow_up"),
    path("notices/", views.notice_list, name="notices"),
    path("<int:partner_pk>/", views.partner_detail, name="detail"),
    path("<int:partner_pk>/edit/", views.partner_edit, name="edit"),
    path("<int:partner_pk>/contacts/new/", views.contact_person_add, name="contact_add"),
    path("<int:partner_pk>/log/new/", views.contact_log_add, name="log_add"),
    path("<int:partner_pk>/agreements/new/", views.agreement_add, name="agreement_add"),
    path("<int:partner_pk>/agreements/<int:agreement_pk>/end/", views.agreement_end, name="agreement_end"),
    path(
        "<int:partner_pk>/agreements/<int:agreement_pk>/document/",
        views.agreement_document,
        name="agreement_document",
    ),
    path("<int:partner_pk>/police-links/new/", views.police_link_add, name="police_link_add"),
    path(
        "<int:partner_pk>/police-links/<int:link_pk>/remove/",
        views.police_link_remove,
        name="police_link_remove",
    ),
]
