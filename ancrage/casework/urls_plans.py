"""URLs of case management: plans."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
