"""The by-name list as the hub uses it (issue 11, part 7): it opens on active people by rank, finds people
by name with the registry's nickname rule and by birth date, shows the acuity level beside the score, and
exports rank, score, band and policy version in a file French Excel opens; the audit screen shows the
export's and the policy's details to program managers."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ancrage.access import services
from ancrage.access.models import ByNameStatus
from ancrage.access.tests.factories import TEST_POLICY, make_entry
from ancrage.core import clock
from ancrage.core.models import AuditEntry

pytestmark = pytest.mark.django_db

LIST = reverse("access:by_name_list")
EXPORT = reverse("access:by_name_export")


def _names(response) -> list[str]:
    assert response.status_code == 200
    return [e.participant.legal_first_name for e in response.context["page"]]


def _entry(actor, org, first, *, acuity=None, band="", days_ago=10, **values):
    entry = make_entry(
        actor,
        org,
        legal_first_name=first,
        entered_on=clock.today() - datetime.timedelta(days=days_ago),
        **values,
    )
    if acuity is not None:
        entry.acuity_score, entry.acuity_max, entry.acuity_band = acuity, 25, band
        entry.save(update_fields=["acuity_score", "acuity_max", "acuity_band"])
    return entry


@pytest.fixture
def hub(case_manager_a, org_a):
    """Housed Anne entered first; Robert (acuity 20, ACT) and Marie (acuity 8) are active; a policy ranks them."""
    anne = _entry(case_manager_a, org_a, "Anne", days_ago=300)
    services.by_name_status_change(
        actor=case_manager_a, entry=anne, status=ByNameStatus.HOUSED, reason="Logée"
    )
    robert = _entry(
        case_manager_a,
        org_a,
        "Robert",
        acuity=20,
        band="act",
        legal_last_name="Tremblay",
        date_of_birth=datetime.date(1970, 3, 4),
    )
    marie = _entry(
        case_manager_a,
        org_a,
        "Marie",
        acuity=8,
        band="rapid_rehousing",
        days_ago=100,
        legal_last_name="Robitaille",
        date_of_birth=datetime.date(1988, 11, 2),
    )
    policy = services.policy_draft_create(actor=case_manager_a, text=TEST_POLICY)
    services.policy_activate(actor=case_manager_a, policy=policy, reason="Adoptée par le comité")
    return {"anne": anne, "robert": robert, "marie": marie, "policy": policy}


def _english(user):
    user.language = "en"
    user.save(update_fields=["language"])


def test_the_list_opens_on_active_people_by_rank(client_for, case_manager_a, hub):
    response = client_for(case_manager_a).get(LIST)
    assert _names(response) == ["Robert", "Marie"]  # Anne, housed and unranked, is not on page 1
    assert [e.priority_rank for e in response.context["page"]] == [1, 2]
    html = response.content.decode()
    assert '<option value="active" selected>' in html
    assert 'aria-sort="ascending"' in html
    # "All" is still one choice away.
    assert _names(client_for(case_manager_a).get(LIST, {"status": ""})) == ["Robert", "Marie", "Anne"]


def test_search_by_name_follows_the_registry_nickname_rule(client_for, case_manager_a, hub):
    c = client_for(case_manager_a)
    assert _names(c.get(LIST, {"search": "Bob"})) == ["Robert"]  # a nickname finds the name
    assert _names(c.get(LIST, {"search": "bob tremblay"})) == ["Robert"]
    assert _names(c.get(LIST, {"search": "Trem"})) == ["Robert"]  # the start of a name is enough
    assert _names(c.get(LIST, {"search": "Éloïse"})) == []
    # "rob" is a nickname of Robert, not a piece of "Robitaille" found by the nickname rule: both are found
    # since "rob" starts Robitaille as typed.
    assert sorted(_names(c.get(LIST, {"search": "rob"}))) == ["Marie", "Robert"]
    # A nickname is matched as a whole name: "bert" (of Robert) does not find "Robitaille" or "Albert…".
    assert _names(c.get(LIST, {"search": "bobby"})) == ["Robert"]


def test_search_by_birth_date_and_a_bad_date_said_in_words(client_for, case_manager_a, hub):
    c = client_for(case_manager_a)
    assert _names(c.get(LIST, {"born": "1988-11-02"})) == ["Marie"]
    response = c.get(LIST, {"born": "1988-13-45"})
    assert _names(response) == ["Robert", "Marie"]
    html = response.content.decode()
    assert (
        "La date de naissance n’est pas une date" in html or "La date de naissance n'est pas une date" in html
    )
    assert 'aria-invalid="true"' in html


def test_the_acuity_level_is_beside_the_score(client_for, case_manager_a, hub):
    _english(case_manager_a)
    html = client_for(case_manager_a).get(LIST).content.decode()
    assert "Acuity 20 / 25" in html
    assert "High acuity" in html
    assert "Low acuity" in html  # rapid rehousing is low acuity (A3)


def test_the_list_costs_the_same_queries_with_a_search(
    client_for, case_manager_a, org_a, hub, django_assert_max_num_queries
):
    c = client_for(case_manager_a)
    c.get(LIST, {"search": "bob", "born": "1970-03-04"})
    with django_assert_max_num_queries(20):
        assert c.get(LIST, {"search": "bob", "born": "1970-03-04"}).status_code == 200


def test_export_is_a_workbook_with_rank_score_band_and_policy_version(client_for, case_manager_a, hub):
    _english(case_manager_a)
    response = client_for(case_manager_a).get(EXPORT)
    assert response["Content-Disposition"].startswith('attachment; filename="by-name-list-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("Rank", "Priority score", "Priority policy version")
    first = dict(zip(header, rows[1], strict=True))
    assert first["Rank"] == 1
    assert first["Name"].startswith("Robert")
    assert first["Priority policy version"] == hub["policy"].version
    assert first["Priority score"] == pytest.approx(37)  # 20 / 25 × 40, and 5 for being 50 or more
    assert first["Acuity score"] == 20
    assert first["Acuity level"] == "High acuity"
    assert first["Triage recommendation"] == "Housing First with assertive community treatment (ACT)"
    assert len(rows) == 3  # active people only, as the list opens


def test_a_french_csv_opens_in_french_excel_with_a_french_name(client_for, case_manager_a, hub):
    response = client_for(case_manager_a).get(EXPORT, {"format": "csv", "status": ""})
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="liste-par-nom-')
    assert disposition.endswith('.csv"')
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffRang;Score de priorité;")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert len(rows) == 4
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Niveau d'acuité"] == "Acuité élevée"
    assert first["Score de priorité"] == "37"


def test_program_managers_see_the_export_and_the_policy_activation_with_their_details(
    client_for, case_manager_a, program_manager_a, hub
):
    client_for(case_manager_a).get(EXPORT, {"format": "csv", "search": "bob"})
    _english(program_manager_a)
    response = client_for(program_manager_a).get(reverse("audit_log"))
    assert response.status_code == 200
    entries = {e.action: e for e in response.context["page"]}
    exported = entries["access.by_name_list.exported"]
    details = dict(exported.detail_rows)
    assert details["Format"] == "CSV"
    assert details["Rows"] == "1"
    assert "Name: bob" in details["Filters"]
    assert details["Priority policy version"] == str(hub["policy"].version)
    activated = dict(entries["access.policy.activated"].detail_rows)
    assert activated["Version"] == str(hub["policy"].version)
    assert activated["Reason"] == "Adoptée par le comité"
    html = response.content.decode()
    assert "Adoptée par le comité" in html
    assert "Format : CSV" in html
    assert AuditEntry.objects.filter(action="access.by_name_list.exported").count() == 1


def test_outsider_gets_no_list_no_search_and_no_export(client_for, outsider, hub):
    assert client_for(outsider).get(LIST, {"search": "bob"}).status_code == 403
    assert client_for(outsider).get(EXPORT, {"format": "csv"}).status_code == 403


def test_another_organisation_finds_nobody_of_ours(client_for, case_manager_b, hub):
    assert _names(client_for(case_manager_b).get(LIST, {"search": "bob", "status": ""})) == []


def test_program_managers_of_the_consortium_see_the_hubs_export_and_policy_activation(
    client_for, case_manager_a, org_b, hub
):
    """The hub exports and activates in its own organisation; a program manager elsewhere in the consortium
    still sees both entries, but not a draft, which stays in its organisation."""
    from ancrage.core.permissions import Role
    from ancrage.people.tests.factories import member

    client_for(case_manager_a).get(EXPORT)
    manager_b = member(org_b, Role.PROGRAM_MANAGER, username="pm_b")
    actions = {e.action for e in client_for(manager_b).get(reverse("audit_log")).context["page"]}
    assert {"access.by_name_list.exported", "access.policy.activated"} <= actions
    assert "access.policy.drafted" not in actions


def test_the_rank_page_explains_how_each_factor_is_scaled(client_for, case_manager_a, hub):
    _english(case_manager_a)
    url = reverse("access:rank_explanation", args=[hub["robert"].participant_id])
    html = client_for(case_manager_a).get(url).content.decode()
    assert "In proportion: 20 ÷ 25 = 0.8 (never more than 1); 0.8 × weight 40 = 32 points." in html
    assert "All or nothing: 1 if it applies, 0 if not; 0 × weight 20 = 0 points." in html  # not chronic
    assert "All or nothing: 1 if it applies, 0 if not; 1 × weight 5 = 5 points." in html  # 50 or more
    assert 'id="how-scaled"' in html
    assert '<span class="acuity-level">High acuity</span> (20 of 25)' in html
