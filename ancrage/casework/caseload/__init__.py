"""Caseload: enrollments in programs, assignments of workers, caseloads and their weighting."""
