"""URLs of case management: meeting."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
