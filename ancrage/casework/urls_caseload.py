"""URLs of case management: caseload."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
