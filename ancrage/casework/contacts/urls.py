"""URLs of contacts and field visits (B2, B3, B9)."""

from django.urls import URLPattern, path

from ancrage.casework.contacts import views

urlpatterns: list[URLPattern] = [
    path("participants/<int:pk>/contacts/", views.contact_list, name="contact_list"),
    path("participants/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("participants/<int:pk>/visits/new/", views.visit_plan, name="visit_plan"),
    path("casework/visits/", views.visit_list, name="visit_list"),
    path("casework/visits/<int:visit_pk>/start/", views.visit_start, name="visit_start"),
    path("casework/visits/<int:visit_pk>/end/", views.visit_end, name="visit_end"),
    path("casework/visits/<int:visit_pk>/cancel/", views.visit_cancel, name="visit_cancel"),
    path("casework/visits/<int:visit_pk>/extend/", views.visit_extend, name="visit_extend"),
    path("casework/visits/<int:visit_pk>/safe/", views.visit_safe, name="visit_safe"),
]
