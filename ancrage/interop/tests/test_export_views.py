"""The export page, its API operation and its command: the question, the zip, bad input in words."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from ancrage.core.models import AuditEntry
from ancrage.interop.tests.export_helpers import build, read_zip
from ancrage.people.tests.factories import ConsortiumFactory, OrganisationFactory, ProgramFactory

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 7, 1, 4, 15, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(MOMENT, tick=False):
        yield


@pytest.fixture
def w(org_a, org_b, case_manager_a, case_manager_b):
    return build(org_a, org_b, case_manager_a, case_manager_b)


def _query(w, **overrides):
    query = {
        "start": w["start"].isoformat(),
        "end": w["end"].isoformat(),
        "programs": [w["program_a"].pk, w["program_b"].pk],
    }
    query.update(overrides)
    return query


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_page_offers_the_period_and_the_programs_in_the_reader_s_language(
    w, client_for, language, django_assert_max_num_queries
):
    w["coordinator"].language = language
    w["coordinator"].save()
    c = client_for(w["coordinator"])
    with django_assert_max_num_queries(12):
        response = c.get(reverse("interop:export"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    body = response.content.decode()
    assert ("Exportation HMIS CSV" if language == "fr" else "HMIS CSV export") in body
    assert "SIV Verdun" in body
    assert "SIM Est" in body
    # The Reports page leads to it.
    assert reverse("interop:export") in c.get(reverse("reports:home")).content.decode()


def test_the_page_answers_with_the_zip_streamed(w, client_for):
    response = client_for(w["coordinator"]).get(reverse("interop:export"), _query(w))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert "hmis-csv-fy2026" in response["Content-Disposition"]
    files = read_zip(b"".join(response.streaming_content))
    assert {row["PersonalID"] for row in files["Client"]} == {
        str(w[k].pk) for k in ("housed", "left", "shared")
    }
    assert AuditEntry.objects.filter(action="interop.hmis_client.exported").count() == 3


def test_a_hashed_export_from_the_page(w, client_for):
    response = client_for(w["coordinator"]).get(reverse("interop:export"), _query(w, hashed="on"))
    files = read_zip(b"".join(response.streaming_content))
    assert files["Export"][0]["HashStatus"] == "4"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start": "2026-06-01", "end": "2026-01-01"}, "The end date comes before the start date."),
        ({"start": "0001-01-01"}, "Enter a date from 1900 to 2199."),
        ({"end": "9999-12-31"}, "Enter a date from 1900 to 2199."),
        ({"start": "2026-01-01\x00"}, "Enter a valid date."),
        ({"start": "x" * 10_000}, "Enter a valid date."),
        ({"programs": []}, "Choose at least one program."),
        ({"programs": ["=HYPERLINK(1)"]}, "Select a valid choice."),
    ],
)
def test_bad_input_is_said_in_words_and_nothing_is_exported(w, client_for, overrides, message):
    w["coordinator"].language = "en"
    w["coordinator"].save()
    response = client_for(w["coordinator"]).get(reverse("interop:export"), _query(w, **overrides))
    assert response.status_code == 200
    assert not response.streaming
    assert message in response.content.decode()
    assert not AuditEntry.objects.filter(action__startswith="interop.hmis").exists()


def test_another_consortium_s_program_is_not_offered_nor_exported(w, client_for):
    elsewhere = ProgramFactory(
        organisation=OrganisationFactory(consortium=ConsortiumFactory(name="Ailleurs"))
    )
    c = client_for(w["coordinator"])
    assert "Ailleurs" not in c.get(reverse("interop:export")).content.decode()
    response = c.get(reverse("interop:export"), _query(w, programs=[elsewhere.pk]))
    assert not response.streaming
    assert not AuditEntry.objects.filter(action__startswith="interop.hmis").exists()


def test_a_role_without_the_permission_gets_403(w, client_for, case_manager_a):
    assert client_for(case_manager_a).get(reverse("interop:export"), _query(w)).status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="interop.hmis").exists()


def test_the_api_streams_the_same_zip(w, client_for):
    response = client_for(w["coordinator"]).get("/api/v1/hmis/export", _query(w))
    assert response.status_code == 200
    files = read_zip(b"".join(response.streaming_content))
    assert len(files["Client"]) == 3
    # Without a period or programs: the last year, every program the caller may export.
    default = client_for(w["coordinator"]).get("/api/v1/hmis/export")
    assert default.status_code == 200
    assert (
        read_zip(b"".join(default.streaming_content))["Export"][0]["ExportStartDate"]
        == (w["end"] - datetime.timedelta(days=365)).isoformat()
    )


@pytest.mark.parametrize(
    "overrides",
    [{"start": "2026-06-01", "end": "2026-01-01"}, {"start": "pas une date"}, {"start": "0001-01-01"}],
)
def test_the_api_says_what_is_wrong(w, client_for, overrides):
    response = client_for(w["coordinator"]).get("/api/v1/hmis/export", _query(w, **overrides))
    assert response.status_code == 422
    assert response.json()["detail"]


def test_the_command_writes_the_zip_as_the_named_user_would_download_it(w, tmp_path):
    target = tmp_path / "hmis.zip"
    call_command(
        "hmis_export",
        str(target),
        "--start",
        w["start"].isoformat(),
        "--end",
        w["end"].isoformat(),
        "--user",
        "coord_a",
        "--hashed",
    )
    files = read_zip(target.read_bytes())
    assert files["Export"][0]["HashStatus"] == "4"
    assert len(files["Client"]) == 3
    assert not (tmp_path / "hmis.zip.part").exists()
    with pytest.raises(CommandError):
        call_command(
            "hmis_export", str(target), "--start", "2026-13-01", "--end", "2026-01-01", "--user", "coord_a"
        )
    with pytest.raises(CommandError):
        call_command(
            "hmis_export", str(target), "--start", "2026-01-01", "--end", "2026-02-01", "--user", "gc_a"
        )
