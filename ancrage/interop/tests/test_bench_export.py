"""The HMIS export's bench part measures the people it adds, not whatever the database happens to hold."""

from __future__ import annotations

import pytest

from ancrage.interop.bench_export import bench_export_seeded

pytestmark = pytest.mark.django_db


def test_the_bench_exports_the_people_and_enrollments_it_added():
    rows = {label: (value, goal, met) for label, value, goal, met in bench_export_seeded(20, 30)}
    assert rows["HMIS export: clients"][0] == 20
    assert rows["HMIS export: enrollments"][0] == 30
    memory, goal, met = rows["HMIS export: peak memory (MB)"]
    assert goal == "< 64"
    assert met == (memory < 64)
