"""API of case management: meeting."""

from ninja import Router

router = Router(tags=["casework"])
