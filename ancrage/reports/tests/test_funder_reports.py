"""The monthly funder reports (G5, G6, A7, C9): the month's figures (counts only, small ones hidden with the
figures that would give them back), kept once per month by the scheduled job with catch-up, regenerated with a
reason keeping the previous version, shown, downloaded (PDF, workbook) and read through the API in the reader's
language; another consortium's report is a 404."""

from __future__ import annotations

import datetime
import io
import json
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from ancrage.core import scheduling
from ancrage.core.models import AuditEntry, ScheduledRun
from ancrage.core.permissions import Role
from ancrage.people.tests.factories import ConsortiumFactory, OrganisationFactory, member
from ancrage.reports.funder import services
from ancrage.reports.funder.figures import COVERING, SMALL, month_figures
from ancrage.reports.funder.formatting import money
from ancrage.reports.models_funder import FunderReport
from ancrage.reports.tests import funder_world

pytestmark = pytest.mark.django_db

MTL = zoneinfo.ZoneInfo("America/Montreal")
FEB = funder_world.FEB


def mtl(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=MTL)


@pytest.fixture
def march():
    with time_machine.travel(mtl(2026, 3, 15, 23, 30), tick=False):
        yield


@pytest.fixture
def world(march, org_a, shared_org, case_manager_a):
    return funder_world.build(org_a, case_manager_a, shared_org=shared_org)


@pytest.fixture
def coordinator(org_a):
    return member(org_a, Role.DATA_COORDINATOR, username="donnees")


@pytest.fixture
def report(world, consortium):
    return services.funder_report_generate(consortium=consortium, month=FEB)[0]


def _row(figures, key):
    return next(r for r in figures["rows"] if r["key"] == key)


def test_the_months_figures_count_what_they_say_and_hide_small_counts(world, consortium):
    figures = month_figures(consortium.pk, FEB)
    assert figures["month"] == "2026-02-01"
    assert figures["last_day"] == "2026-02-28"
    icm = _row(figures, f"program-{world['icm'].pk}")
    act = _row(figures, f"program-{world['act'].pk}")
    community = _row(figures, "community")
    # Served in February: the seven of ICM (one left on the 20th) and the one of ACT.
    assert community["served"] == 8
    assert act["served"] == SMALL
    # ICM's seven would give ACT's one back from the community's eight: hidden too.
    assert icm["served"] == COVERING
    assert community["enrolled"] == 7
    assert icm["enrolled"] == COVERING
    # A ratio would give the hidden count back from the number of case managers.
    assert icm["case_managers"] == 1
    assert icm["caseload_ratio"] is None
    assert icm["ratio_target"] == 15
    assert act["new_enrollments"] == SMALL
    assert icm["new_enrollments"] == 0
    # Six people housed since January 2025, one evicted in June: one not retained is small, and the
    # retained count (which gives it back from the cohort) and the rate are hidden with it.
    assert icm["cohort_12"] == 6
    assert icm["not_retained_12"] == SMALL
    assert icm["retained_12"] == COVERING
    assert icm["rate_12"] is None
    assert icm["destinations"]["own_housing"] == SMALL
    assert icm["exits"] == SMALL
    assert icm["destinations"]["street"] == 0
    # February's expense and the approved roll's supplement; not March's expense nor the draft roll.
    assert icm["costs"] == {"expenses": "1234.56", "rent_supplements": "595.00", "total": "1829.56"}
    assert act["costs"]["total"] == "0.00"
    assert community["costs"]["total"] == "1829.56"
    assert set(figures["flow"]) >= {"inflow", "outflow", "actively_homeless", "housed", "goal_met"}
    # Figures only: no name, no id of a person.
    text = json.dumps(figures)
    assert "Personne" not in text
    assert "HYPERLINK" not in text
    for person in world["participants"]:
        assert f'"participant_id": {person.pk}' not in text


def test_counts_of_five_and_more_are_shown_with_their_rates(
    march, org_a, shared_org, case_manager_a, consortium
):
    built = funder_world.build(org_a, case_manager_a, shared_org=shared_org, people=13, act_people=5)
    figures = month_figures(consortium.pk, FEB)
    icm = _row(figures, f"program-{built['icm'].pk}")
    act = _row(figures, f"program-{built['act'].pk}")
    assert (icm["served"], act["served"], _row(figures, "community")["served"]) == (13, 5, 18)
    assert icm["enrolled"] == 12
    assert icm["caseload_ratio"] == "12.0"
    assert icm["case_managers"] == 1
    assert act["new_enrollments"] == 5
    assert act["case_managers"] == 0
    assert act["caseload_ratio"] is None
    assert icm["cohort_6"] == 12
    assert icm["cohort_12"] == 12
    # One not retained is still small: the 11 retained hide with it; the cohort stays.
    assert icm["not_retained_6"] == SMALL
    assert icm["retained_6"] == COVERING


def test_a_month_is_generated_once_and_kept(report, consortium):
    again, created = services.funder_report_generate(consortium=consortium, month=datetime.date(2026, 2, 14))
    assert not created
    assert again.pk == report.pk
    assert FunderReport.objects.count() == 1
    assert report.generated_by is None
    assert report.version == 1
    assert AuditEntry.objects.filter(action="reports.funder_report.generated").count() == 1


@pytest.mark.parametrize(
    "month", [datetime.date(2026, 3, 1), datetime.date(9999, 12, 1), datetime.date(1, 1, 1)]
)
def test_a_month_not_ended_or_out_of_range_is_refused(march, consortium, month):
    with pytest.raises(ValidationError) as caught:
        services.funder_report_generate(consortium=consortium, month=month)
    assert "month" in caught.value.message_dict


def test_the_monthly_job_runs_on_the_first_and_catches_up_missed_months(
    org_a, shared_org, case_manager_a, consortium
):
    with time_machine.travel(mtl(2026, 1, 1, 4, 31), tick=False):
        run = scheduling.enqueue_due("reports.monthly")
        assert run.due_at == mtl(2026, 1, 1, 4, 30)
    assert list(FunderReport.objects.values_list("month", flat=True)) == [datetime.date(2025, 12, 1)]
    # The machine was off for February and March: the April run writes the three months missing, once.
    with time_machine.travel(mtl(2026, 4, 10, 9, 0), tick=False):
        run = scheduling.enqueue_due("reports.monthly")
        assert run.result == {"generated": 3}
        assert scheduling.enqueue_due("reports.monthly") is None
        assert services.generate_due_reports(datetime.date(2026, 4, 10)) == 0
    run.refresh_from_db()
    assert run.status == ScheduledRun.Status.SUCCEEDED
    assert sorted(FunderReport.objects.values_list("month", flat=True)) == [
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
        datetime.date(2026, 3, 1),
    ]


def test_regenerating_keeps_the_previous_version_with_the_reason(report, program_manager_a):
    new = services.funder_report_regenerate(
        actor=program_manager_a, report=report, reason="Dépenses\x00 saisies en retard"
    )
    report.refresh_from_db()
    assert not report.is_current
    assert report.superseded_at is not None
    assert new.is_current
    assert new.version == 2
    assert new.reason == "Dépenses saisies en retard"
    assert new.generated_by == program_manager_a
    entry = AuditEntry.objects.get(action="reports.funder_report.regenerated")
    assert entry.data["replaces"] == report.pk
    assert entry.actor == program_manager_a
    # The replaced version cannot be regenerated again; a reason is needed and bounded.
    with pytest.raises(ValidationError):
        services.funder_report_regenerate(actor=program_manager_a, report=report, reason="Encore")
    for reason in ("", "   ", "x" * 10_000):
        with pytest.raises(ValidationError) as caught:
            services.funder_report_regenerate(actor=program_manager_a, report=new, reason=reason)
        assert "reason" in caught.value.message_dict
    assert FunderReport.objects.count() == 2


def test_money_is_written_as_each_language_writes_it():
    with translation.override("fr"):
        assert money(Decimal("14000")) == "14\u00a0000,00\u00a0$"
        assert money("-1234.5") == "-1\u00a0234,50\u00a0$"
    with translation.override("en"):
        assert money(Decimal("14000")) == "$14,000.00"
        assert money(None) == ""


@pytest.fixture
def other_report(march):
    other = ConsortiumFactory(name="Autre consortium", short_name="AUT")
    org = OrganisationFactory(consortium=other)
    return services.funder_report_generate(consortium=other, month=FEB)[0], member(org, Role.DATA_COORDINATOR)


def test_the_pages_show_the_kept_figures_in_the_readers_language(report, coordinator, client_for):
    client = client_for(coordinator)
    listing = client.get(reverse("reports:funder_list")).content.decode()
    assert "février 2026" in listing
    page = client.get(reverse("reports:funder_detail", args=[report.pk])).content.decode()
    assert "1\u00a0829,56\u00a0$" in page
    assert "moins de 5" in page
    assert "Personne0" not in page
    assert "HYPERLINK" not in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page_en = client.get(reverse("reports:funder_detail", args=[report.pk])).content.decode()
    assert "$1,829.56" in page_en
    assert "fewer than 5" in page_en
    assert "February 2026" in page_en
    home = client.get(reverse("reports:home")).content.decode()
    assert reverse("reports:funder_list") in home


def test_pdf_and_workbook_are_in_the_readers_language(report, coordinator, client_for):
    from openpyxl import load_workbook

    client = client_for(coordinator)
    pdf = client.get(reverse("reports:funder_pdf", args=[report.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert "rapport" in pdf["Content-Disposition"].lower()
    xlsx = client.get(reverse("reports:funder_export", args=[report.pk]))
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ("Section", "Groupe", "Indicateur", "Valeur")
    costs = [r for r in rows if r[2] == "Total compté"]
    assert Decimal(str(costs[0][3])) == Decimal("1829.56")
    assert any(r[3] == "moins de 5" for r in rows)
    csv = client.get(reverse("reports:funder_export", args=[report.pk]) + "?format=csv").content.decode(
        "utf-8-sig"
    )
    assert csv.startswith("Section;Groupe;Indicateur;Valeur")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    rows_en = list(
        load_workbook(
            io.BytesIO(client.get(reverse("reports:funder_export", args=[report.pk])).content)
        ).active.iter_rows(values_only=True)
    )
    assert rows_en[0] == ("Section", "Group", "Figure", "Value")
    assert any(r[3] == "fewer than 5" for r in rows_en)


def test_another_consortiums_report_is_a_404(report, other_report, coordinator, client_for):
    theirs, their_coordinator = other_report
    client = client_for(coordinator)
    for name in ("reports:funder_detail", "reports:funder_pdf", "reports:funder_export"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.get(f"/api/v1/funder-reports/{theirs.pk}").status_code == 404
    listing = client.get("/api/v1/funder-reports").json()
    assert [item["id"] for item in listing["items"]] == [report.pk]
    assert (
        client_for(their_coordinator).get(reverse("reports:funder_detail", args=[report.pk])).status_code
        == 404
    )


def test_a_program_manager_regenerates_from_the_page(report, program_manager_a, coordinator, client_for):
    url = reverse("reports:funder_regenerate", args=[report.pk])
    assert client_for(coordinator).post(url, {"reason": "Non"}).status_code == 403
    client = client_for(program_manager_a)
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400
    assert "Ce champ est obligatoire" in empty.content.decode()
    long = client.post(url, {"reason": "x" * 10_000})
    assert long.status_code == 400
    response = client.post(url, {"reason": "Dépenses de février corrigées"})
    new = FunderReport.objects.get(superseded_at__isnull=True)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:funder_detail", args=[new.pk])
    # A second save of the same form answers about the replaced version, and changes nothing.
    again = client.post(url, {"reason": "Dépenses de février corrigées"})
    assert again.status_code == 400
    assert "déjà été remplacée" in again.content.decode()
    assert FunderReport.objects.count() == 2
    old_page = client.get(reverse("reports:funder_detail", args=[report.pk])).content.decode()
    assert "remplacée" in old_page


def test_the_api_gives_the_frozen_figures(report, world, coordinator, client_for):
    client = client_for(coordinator)
    body = client.get(f"/api/v1/funder-reports/{report.pk}").json()
    assert body["month"] == "2026-02-01"
    assert body["small_count_threshold"] == 5
    icm = next(r for r in body["rows"] if r["program_id"] == world["icm"].pk)
    assert icm["counts"]["cohort_12"] == 6
    assert icm["counts"]["served"] is None
    assert Decimal(icm["total_cost"]) == Decimal("1829.56")
    assert client.get("/api/v1/funder-reports/99999999").status_code == 404
    assert client.get("/api/v1/funder-reports/abc").status_code == 422


def test_query_counts_do_not_grow_with_the_people_and_programs(
    march,
    org_a,
    org_b,
    shared_org,
    case_manager_a,
    case_manager_b,
    consortium,
    coordinator,
    client_for,
    django_assert_max_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    funder_world.build(org_a, case_manager_a, shared_org=shared_org, people=3)
    client = client_for(coordinator)

    def measure():
        with CaptureQueriesContext(connection) as figures_queries:
            month_figures(consortium.pk, FEB)
        with CaptureQueriesContext(connection) as cost_queries:
            client.get(reverse("reports:funder_costs"))
        return len(figures_queries.captured_queries), len(cost_queries.captured_queries)

    few = measure()
    funder_world.build(org_b, case_manager_b, people=15, prefix="Autre")
    with django_assert_max_num_queries(few[0]):
        month_figures(consortium.pk, FEB)
    with django_assert_max_num_queries(few[1]):
        client.get(reverse("reports:funder_costs"))
    services.funder_report_generate(consortium=consortium, month=FEB)
    services.funder_report_generate(consortium=consortium, month=datetime.date(2026, 1, 1))
    with CaptureQueriesContext(connection) as two:
        client.get(reverse("reports:funder_list"))
    for month in range(1, 12):
        services.funder_report_generate(consortium=consortium, month=datetime.date(2025, month, 1))
    with django_assert_max_num_queries(len(two.captured_queries)):
        client.get(reverse("reports:funder_list"))
