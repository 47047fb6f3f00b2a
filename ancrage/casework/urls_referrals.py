"""URLs of case management: referrals."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
