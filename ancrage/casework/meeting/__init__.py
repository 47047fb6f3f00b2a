"""The team meeting and the caseload summary."""
