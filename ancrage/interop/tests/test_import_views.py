"""Pages, API and command of HMIS imports: upload, progress, report (page and download), duplicates proposed,
the participant's imported history, another organisation's import a 404."""

from __future__ import annotations

import base64
import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from ancrage.core.models import AuditEntry
from ancrage.interop.hmis.sample import generate
from ancrage.interop.models import HmisImport, ProposedDuplicate
from ancrage.people.models import Identifier

pytestmark = pytest.mark.django_db


def _speaks(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


@pytest.fixture(autouse=True)
def _english(coordinator):
    _speaks(coordinator, "en")


def _upload(client, org, data: bytes, source="Autre SGI"):
    return client.post(
        reverse("interop:import_upload"),
        {"organisation": org.pk, "source": source, "file": SimpleUploadedFile("export.zip", data)},
    )


def test_upload_runs_the_import_and_the_page_shows_the_report(pinned, client_for, coordinator, org_a):
    export = generate(4, today=pinned)
    export.set("Exit", 0, "Destination", "77")
    client = client_for(coordinator)
    response = _upload(client, org_a, export.to_bytes())
    imp = HmisImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("interop:import_detail", args=[imp.pk])
    assert imp.status == HmisImport.Status.DONE
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "This code is not in the FY2026 list Destination (3.12): ignored." in text
    assert "Exit.csv" in text
    assert AuditEntry.objects.filter(action="interop.import.uploaded").count() == 1
    assert AuditEntry.objects.filter(action="interop.import.stage_done").count() == 6
    assert AuditEntry.objects.filter(action="interop.import.report_viewed").count() == 1


def test_the_report_page_reads_in_french(pinned, client_for, coordinator, org_a):
    export = generate(2, today=pinned)
    export.set("Exit", 0, "Destination", "77")
    client = client_for(_speaks(coordinator, "fr"))
    _upload(client, org_a, export.to_bytes())
    imp = HmisImport.objects.get()
    page = client.get(reverse("interop:import_detail", args=[imp.pk]))
    assert "Ce code n’est pas dans la liste FY2026 Destination (3.12) : ignoré." in page.content.decode()


def test_a_refused_upload_says_why(pinned, client_for, coordinator, org_a):
    client = client_for(coordinator)
    response = _upload(client, org_a, b"not a zip at all")
    imp = HmisImport.objects.get()
    assert imp.status == HmisImport.Status.REFUSED
    page = client.get(response["Location"])
    assert "This file is not a zip archive" in page.content.decode()


def test_the_form_refuses_another_organisation_and_keeps_what_was_typed(
    pinned, client_for, coordinator, org_b
):
    client = client_for(coordinator)
    response = _upload(client, org_b, generate(1, today=pinned).to_bytes(), source="Mon SGI")
    assert response.status_code == 200
    assert not HmisImport.objects.exists()
    assert 'value="Mon SGI"' in response.content.decode()


def test_the_report_download_neutralises_formulas(pinned, client_for, coordinator, org_a):
    export = generate(2, today=pinned)
    export.set("Client", 0, "NameDataQuality", '=HYPERLINK("http://x","y")')
    client = client_for(coordinator)
    _upload(client, org_a, export.to_bytes())
    imp = HmisImport.objects.get()
    response = client.get(reverse("interop:import_report", args=[imp.pk]) + "?format=csv")
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["File", "Row", "Column", "Value", "Severity", "Problem"]
    formula = [r for r in rows if r[2] == "NameDataQuality"]
    assert formula
    assert not formula[0][3].startswith("=")
    xlsx = client.get(reverse("interop:import_report", args=[imp.pk]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action="interop.import.report_downloaded").count() == 2


def test_progress_polls_while_running_and_refreshes_when_done(pinned, client_for, coordinator, org_a):
    from ancrage.interop.imports import services

    imp = services.import_receive(
        actor=coordinator,
        organisation=org_a,
        source="S",
        upload=SimpleUploadedFile("e.zip", generate(2, today=pinned).to_bytes()),
        original_name="e.zip",
    )
    client = client_for(coordinator)
    url = reverse("interop:import_progress", args=[imp.pk])
    waiting = client.get(url, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in waiting.content.decode()
    assert "HX-Refresh" not in waiting
    services.import_run(imp.pk)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()


def test_another_organisations_import_is_404(pinned, client_for, coordinator, org_b):
    from ancrage.core.permissions import Role
    from ancrage.interop.imports import services
    from ancrage.people.tests.factories import member

    other = member(org_b, Role.DATA_COORDINATOR, username="coord_b")
    imp = services.import_receive(
        actor=other,
        organisation=org_b,
        source="S",
        upload=SimpleUploadedFile("e.zip", b"x"),
        original_name="e.zip",
    )
    client = client_for(coordinator)
    for name in ("interop:import_detail", "interop:import_progress", "interop:import_report"):
        assert client.get(reverse(name, args=[imp.pk])).status_code == 404
    assert client.get(f"/api/v1/hmis-imports/{imp.pk}").status_code == 404
    assert imp.pk not in [i.pk for i in client.get(reverse("interop:import_list")).context["page"]]


def test_duplicates_are_proposed_never_merged(pinned, client_for, coordinator, org_a, case_manager_a):
    from ancrage.people.tests.factories import make_participant

    export = generate(3, today=pinned)
    row = export.rows["Client"][0]
    existing = make_participant(
        case_manager_a,
        org_a,
        legal_first_name=row["FirstName"],
        legal_last_name=row["LastName"],
        date_of_birth=__import__("datetime").date.fromisoformat(row["DOB"]),
        dob_quality="exact",
    )
    client = client_for(coordinator)
    _upload(client, org_a, export.to_bytes())
    imp = HmisImport.objects.get()
    imported = Identifier.objects.get(value="C1").participant
    proposal = ProposedDuplicate.objects.get(hmis_import=imp)
    assert (proposal.participant, proposal.candidate) == (imported, existing)
    assert imported.merged_into_id is None
    assert existing.merged_into_id is None
    page = client.get(reverse("interop:import_detail", args=[imp.pk]))
    assert reverse("people:duplicates", args=[imported.pk]) in page.content.decode()
    review = client.get(reverse("people:duplicates", args=[imported.pk]))
    assert review.status_code == 200
    assert existing.legal_last_name in review.content.decode()


def test_the_participant_page_shows_the_imported_history_read_audited(pinned, client_for, coordinator, org_a):
    from ancrage.core.permissions import Role
    from ancrage.people.tests.factories import member

    client = client_for(coordinator)
    _upload(client, org_a, generate(2, 2, today=pinned).to_bytes())
    participant = Identifier.objects.get(value="C2").participant
    manager = _speaks(member(org_a, Role.PROGRAM_MANAGER, username="pm_hist"), "en")
    page = client_for(manager).get(reverse("people:detail", args=[participant.pk]))
    text = page.content.decode()
    assert "History from another system (HMIS)" in text
    assert "Projet" in text
    assert AuditEntry.objects.filter(
        action="interop.history.viewed", participant=participant, is_read=True
    ).exists()


def test_the_detail_page_query_count_does_not_grow_with_problems(
    pinned, client_for, coordinator, org_a, django_assert_max_num_queries
):
    export = generate(40, today=pinned)
    for n in range(40):
        export.set("Client", n, "NameDataQuality", "77")
    client = client_for(coordinator)
    _upload(client, org_a, export.to_bytes())
    imp = HmisImport.objects.get()
    assert imp.problems.count() >= 40
    with django_assert_max_num_queries(25):
        client.get(reverse("interop:import_detail", args=[imp.pk]))


def test_the_api_starts_an_import_and_reads_its_report(pinned, client_for, coordinator, org_a):
    export = generate(3, today=pinned)
    export.set("Exit", 0, "Destination", "77")
    client = client_for(coordinator)
    body = {
        "organisation_id": org_a.pk,
        "source": "API",
        "file_name": "e.zip",
        "content_base64": base64.b64encode(export.to_bytes()).decode(),
    }
    created = client.post("/api/v1/hmis-imports", body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "done"
    assert data["counts"]["clients"]["created"] == 3
    status = client.get(f"/api/v1/hmis-imports/{data['id']}").json()
    assert status["percent"] == 100
    report = client.get(f"/api/v1/hmis-imports/{data['id']}/problems?severity=warning").json()
    assert any(r["code"] == "code_unknown" and r["row"] == 2 for r in report["items"])
    bad = client.post(
        "/api/v1/hmis-imports", {**body, "content_base64": "***"}, content_type="application/json"
    )
    assert bad.status_code == 422


def test_the_command_imports_a_zip(pinned, coordinator, org_a, tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(generate(3, today=pinned).to_bytes())
    out = io.StringIO()
    call_command(
        "hmis_import", str(path), organisation=org_a.pk, user=coordinator.username, source="CLI", stdout=out
    )
    assert "done" in out.getvalue()
    assert Identifier.objects.filter(issuer="CLI").count() == 3
