"""API of case management: contacts."""

from ninja import Router

router = Router(tags=["casework"])
