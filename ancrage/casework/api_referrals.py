"""API of case management: referrals."""

from ninja import Router

router = Router(tags=["casework"])
