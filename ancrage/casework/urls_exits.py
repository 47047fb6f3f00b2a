"""URLs of case management: exits."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
