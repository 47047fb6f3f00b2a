"""Contacts and field visits (B2, B3, B9)."""
