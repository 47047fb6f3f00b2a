"""URLs of case management: contacts, field visits and risk plans (B2, B3, B8, B9)."""

from django.urls import URLPattern, path

from ancrage.casework import views_contacts as views

urlpatterns: list[URLPattern] = [
    path("participants/<int:pk>/contacts/", views.contact_list, name="contact_list"),
    path("participants/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("participants/<int:pk>/visits/new/", views.visit_plan, name="visit_plan"),
    path("participants/<int:pk>/risk/", views.risk_list, name="risk_list"),
    path("participants/<int:pk>/risk/new/", views.risk_create, name="risk_create"),
    path("participants/<int:pk>/risk/<int:risk_pk>/end/", views.risk_end, name="risk_end"),
    path("casework/visits/", views.visit_list, name="visit_list"),
    path("casework/visits/<int:visit_pk>/start/", views.visit_start, name="visit_start"),
    path("casework/visits/<int:visit_pk>/end/", views.visit_end, name="visit_end"),
    path("casework/visits/<int:visit_pk>/cancel/", views.visit_cancel, name="visit_cancel"),
]
