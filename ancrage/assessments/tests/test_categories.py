"""An instrument's category decides who may see and give it: health, or coordinated access for triage (A3)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ancrage.access.models import ByNameEntry
from ancrage.access.tests.factories import make_entry
from ancrage.assessments import selectors, services
from ancrage.assessments.models import Administration, InstrumentVersion
from ancrage.assessments.tests.factories import load_shipped_instruments, start_administration
from ancrage.assessments.tests.test_definition import INSTRUMENTS
from ancrage.core.permissions import Category, Role
from ancrage.people.tests.factories import member, share

pytestmark = pytest.mark.django_db

FIRST_SECTION = {
    "section": "0",
    "months_homeless": "14",
    "episodes": "3",
    "slept_last_night": "outside",
    "evicted": "yes",
}


def url(name, administration):
    return reverse(name, kwargs={"pk": administration.participant_id, "administration_pk": administration.pk})


@pytest.fixture
def access_worker(org_a):
    worker = member(org_a, Role.COORDINATED_ACCESS, username="ac_a")
    worker.language = "en"
    worker.save(update_fields=["language"])
    return worker


def _latest(key: str) -> InstrumentVersion:
    return InstrumentVersion.objects.filter(instrument__key=key).order_by("-created_at", "-pk").first()


def test_coordinated_access_worker_gives_the_triage_and_the_by_name_list_gets_its_score(
    client_for, access_worker, org_a, case_manager_a
):
    load_shipped_instruments()
    entry = make_entry(access_worker, org_a)
    p = entry.participant
    c = client_for(access_worker)

    assert c.get(reverse("assessments:list", args=[p.pk])).status_code == 200
    response = c.get(reverse("assessments:start", args=[p.pk]))
    offered = {v.instrument.key for v in response.context["versions"]}
    assert offered == {"acuity_screener"}
    # A health instrument cannot be started by posting its version anyway.
    health = _latest("baseline_functioning")
    response = c.post(reverse("assessments:start", args=[p.pk]), {"version": health.pk})
    assert response.status_code == 200
    assert not Administration.objects.filter(participant=p).exists()

    screener = _latest("acuity_screener")
    response = c.post(reverse("assessments:start", args=[p.pk]), {"version": screener.pk})
    assert response.status_code == 302
    administration = Administration.objects.get(participant=p)
    assert response["Location"] == url("assessments:administer", administration)
    assert c.get(url("assessments:administer", administration)).status_code == 200
    c.post(url("assessments:administer", administration), {**FIRST_SECTION, "action": "next"})
    last = len(administration.version.parsed.sections) - 1
    response = c.post(
        url("assessments:administer", administration), {"section": str(last), "action": "complete"}
    )
    assert response["Location"] == url("assessments:result", administration)
    administration.refresh_from_db()
    assert administration.status == Administration.Status.COMPLETED
    assert c.get(url("assessments:result", administration)).status_code == 200

    entry = ByNameEntry.objects.get(pk=entry.pk)
    assert entry.acuity_score == administration.score["total"]
    assert entry.acuity_band == administration.score["band"]
    assert entry.acuity_administration_id == administration.pk

    # A health instrument given to the same person by their case manager stays out of reach: 404, not listed.
    baseline = start_administration(case_manager_a, p, "baseline_functioning")
    for name in ("assessments:administer", "assessments:result", "assessments:close"):
        assert c.get(url(name, baseline)).status_code == 404
    listed = c.get(reverse("assessments:list", args=[p.pk])).context["rows"]
    assert [row["a"].pk for row in listed] == [administration.pk]
    # The case manager, who reads both categories, sees both.
    listed = client_for(case_manager_a).get(reverse("assessments:list", args=[p.pk])).context["rows"]
    assert {row["a"].pk for row in listed} == {administration.pk, baseline.pk}


def test_partner_with_health_consent_sees_only_health_instruments(
    client_for, case_manager_a, participant_a, partner_org
):
    screener = start_administration(case_manager_a, participant_a, "acuity_screener")
    baseline = start_administration(case_manager_a, participant_a, "baseline_functioning")
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HEALTH])
    c = client_for(member(partner_org, Role.CASE_MANAGER))
    rows = c.get(reverse("assessments:list", args=[participant_a.pk])).context["rows"]
    assert [row["a"].pk for row in rows] == [baseline.pk]
    assert c.get(url("assessments:administer", screener)).status_code == 404
    offered = c.get(reverse("assessments:start", args=[participant_a.pk])).context["versions"]
    assert {v.instrument.key for v in offered} == {"baseline_functioning", "progress_scale"}


def test_partner_with_coordinated_access_consent_sees_only_the_triage(
    client_for, case_manager_a, participant_a, partner_org
):
    screener = start_administration(case_manager_a, participant_a, "acuity_screener")
    baseline = start_administration(case_manager_a, participant_a, "baseline_functioning")
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.COORDINATED_ACCESS])
    partner_worker = member(partner_org, Role.CASE_MANAGER)
    c = client_for(partner_worker)
    response = c.get(reverse("assessments:list", args=[participant_a.pk]))
    assert response.status_code == 200
    assert [row["a"].pk for row in response.context["rows"]] == [screener.pk]
    assert c.get(url("assessments:administer", screener)).status_code == 200
    assert c.get(url("assessments:administer", baseline)).status_code == 404
    assert c.get(url("assessments:result", baseline)).status_code == 404
    offered = c.get(reverse("assessments:start", args=[participant_a.pk])).context["versions"]
    assert {v.instrument.key for v in offered} == {"acuity_screener"}


def test_partner_with_neither_category_gets_404(client_for, case_manager_a, participant_a, partner_org):
    screener = start_administration(case_manager_a, participant_a, "acuity_screener")
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY, Category.HOUSING])
    c = client_for(member(partner_org, Role.CASE_MANAGER))
    assert c.get(reverse("assessments:list", args=[participant_a.pk])).status_code == 404
    assert c.get(reverse("assessments:start", args=[participant_a.pk])).status_code == 404
    assert c.get(url("assessments:result", screener)).status_code == 404


def test_a_used_screener_of_the_old_version_does_not_stop_loading_the_new_one(
    case_manager_a, participant_a, org_a
):
    """Databases may hold acuity_screener 1.0 (no category) already used: loading the shipped files still works."""
    text = (INSTRUMENTS / "acuity_screener.yaml").read_text(encoding="utf-8")
    old_text = text.replace('version: "1.2"\n', 'version: "1.0"\n').replace(
        "category: coordinated_access\n", ""
    )
    old = services.instrument_version_load(actor=None, text=old_text)
    old.definition.pop("category")  # as stored before definitions had a category
    old.save(update_fields=["definition"])
    used = services.administration_start(actor=case_manager_a, participant=participant_a, version=old)
    call_command("load_instruments", verbosity=0, stdout=io.StringIO())
    new = _latest("acuity_screener")
    assert (new.version, new.category) == ("1.2", "coordinated_access")
    assert old.category == "health"
    worker = member(org_a, Role.COORDINATED_ACCESS)
    assert selectors.latest_instrument_versions({Category.COORDINATED_ACCESS}) == [new]
    # The old sitting stays what it was: health information.
    assert not selectors.administrations_for_participant(worker, participant_a.pk).filter(pk=used.pk).exists()
    assert (
        selectors.administrations_for_participant(case_manager_a, participant_a.pk)
        .filter(pk=used.pk)
        .exists()
    )
