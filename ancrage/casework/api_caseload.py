"""API of case management: caseload."""

from ninja import Router

router = Router(tags=["casework"])
