"""API of case management: plans."""

from ninja import Router

router = Router(tags=["casework"])
