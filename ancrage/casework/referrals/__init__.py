"""The directory of services and referrals out (B7)."""
