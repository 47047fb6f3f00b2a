"""Fixtures of the import tests: a data coordinator of organisation A, a pinned clock, and a helper that
imports a generated export."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from ancrage.core import clock
from ancrage.core.permissions import Role

NOON = datetime.datetime(2026, 6, 15, 16, 0, tzinfo=datetime.UTC)


@pytest.fixture
def pinned():
    with time_machine.travel(NOON, tick=False):
        yield clock.today()


@pytest.fixture
def coordinator(org_a):
    from ancrage.people.tests.factories import member

    return member(org_a, Role.DATA_COORDINATOR, username="coord_a")


@pytest.fixture
def run_upload(coordinator, org_a):
    """run_upload(bytes) -> the import, received, checked and (when sound) loaded."""
    from ancrage.interop.imports import services

    def _run(
        data: bytes, *, source: str = "Autre SGI", user=None, organisation=None, name: str = "export.zip"
    ):
        hmis_import = services.import_receive(
            actor=user or coordinator,
            organisation=organisation or org_a,
            source=source,
            upload=SimpleUploadedFile(name, data, content_type="application/zip"),
            original_name=name,
        )
        if hmis_import.status == hmis_import.Status.QUEUED:
            services.import_run(hmis_import.pk)
        hmis_import.refresh_from_db()
        return hmis_import

    return _run
