"""API of case management: exits."""

from ninja import Router

router = Router(tags=["casework"])
