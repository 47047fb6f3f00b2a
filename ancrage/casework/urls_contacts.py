"""URLs of case management: contacts."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
