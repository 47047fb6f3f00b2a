"""Pages and API of case conferencing: what each member sees, bad input, constant query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ancrage.conferences import services
from ancrage.conferences.models import Meeting
from ancrage.conferences.tests.conftest import flag, person

pytestmark = pytest.mark.django_db


def _people(meeting, ca_worker, actor, org, share_with, count, prefix="Pers"):
    people = []
    for n in range(count):
        p = person(actor, org, f"{prefix}{n}", "Agenda", share_with=share_with)
        flag(p)
        services.agenda_add(actor=ca_worker, meeting=meeting, participant=p)
        people.append(p)
    return people


def test_partner_sees_consent_needed_with_the_home_contact(
    client_for, meeting, ca_worker, case_manager_a, org_a, partner_rep, partner_org, hub_org
):
    [shared] = _people(meeting, ca_worker, case_manager_a, org_a, [partner_org, hub_org], 1, "Visible")
    [private] = _people(meeting, ca_worker, case_manager_a, org_a, [hub_org], 1, "Caché")
    html = client_for(partner_rep).get(reverse("conferences:meeting", args=[meeting.pk])).content.decode()
    assert shared.display_name in html
    assert private.display_name not in html
    assert "Consentement requis" in html
    assert org_a.name in html
    # The meeting screen of the hidden person shows nothing of them either.
    item = meeting.items.get(participant=private)
    screen = client_for(partner_rep).get(reverse("conferences:item", args=[meeting.pk, item.pk]))
    assert screen.status_code == 200
    assert private.display_name not in screen.content.decode()
    # Nor the API.
    data = client_for(partner_rep).get(f"/api/v1/conference-meetings/{meeting.pk}").json()
    hidden = next(line for line in data["agenda"] if line["consent_needed"])
    assert hidden["participant_id"] is None
    assert hidden["participant_name"] is None
    assert hidden["reason"] is None
    assert hidden["home_organisation"] == org_a.name


def test_a_table_one_does_not_sit_at_is_404(client_for, meeting, case_manager_b, org_b, table):
    from ancrage.people.tests.factories import member

    stranger = member(org_b, "team_lead")
    assert client_for(stranger).get(reverse("conferences:meeting", args=[meeting.pk])).status_code == 404
    assert client_for(stranger).get(reverse("conferences:table", args=[table.pk])).status_code == 404


def test_roles_refused_on_the_page_with_a_message(client_for, meeting, ca_worker):
    response = client_for(ca_worker).post(
        reverse("conferences:meeting_roles", args=[meeting.pk]),
        {"facilitator": ca_worker.pk, "timekeeper": ca_worker.pk, "note_taker": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "une personne, un rôle" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.facilitator_id is None


def test_bad_input_never_500(client_for, meeting, ca_worker, case_manager_b, org_b):
    other = person(case_manager_b, org_b, "Autre", "Organisme")
    flag(other)
    c = client_for(ca_worker)
    url = reverse("conferences:agenda_add", args=[meeting.pk])
    for value in (other.pk, "x\x00", "9" * 30, ""):
        response = c.post(url, {"participant": value}, follow=True)
        assert response.status_code == 200
    assert not meeting.items.exists()
    response = c.post(
        reverse("conferences:parking_add", args=[meeting.table_id]),
        {"title": "x" * 400, "owner": ca_worker.pk},
        follow=True,
    )
    assert response.status_code == 200
    api = c.post(
        "/api/v1/conference-actions/999999/status", {"status": "done"}, content_type="application/json"
    )
    assert api.status_code == 404


def test_api_action_status_is_checked(client_for, meeting, ca_worker, case_manager_a, org_a):
    [p] = _people(meeting, ca_worker, case_manager_a, org_a, [], 1)
    action = services.action_create(
        actor=ca_worker,
        meeting=meeting,
        item=meeting.items.get(),
        description="Appeler",
        responsible=case_manager_a,
        due_on=meeting.starts_at.date() + datetime.timedelta(days=3),
    )
    c = client_for(case_manager_a)
    bad = c.post(
        f"/api/v1/conference-actions/{action.pk}/status",
        {"status": "dropped"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "note" in bad.json()["errors"]
    good = c.post(
        f"/api/v1/conference-actions/{action.pk}/status",
        {"status": "done", "note": "Fait"},
        content_type="application/json",
    )
    assert good.status_code == 200
    assert good.json()["status"] == "done"
    assert good.json()["participant_id"] == p.pk


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def _add_actions(meeting, ca_worker, case_manager_a, people):
    for p in people:
        services.action_create(
            actor=ca_worker,
            meeting=meeting,
            item=meeting.items.get(participant=p),
            description="Action",
            responsible=case_manager_a,
            due_on=meeting.starts_at.date() + datetime.timedelta(days=3),
        )


def test_meeting_page_and_api_queries_do_not_grow_with_the_agenda(
    client_for, meeting, ca_worker, case_manager_a, org_a, partner_org, hub_org, partner_rep
):
    first = _people(meeting, ca_worker, case_manager_a, org_a, [partner_org, hub_org], 1, "Un")
    _add_actions(meeting, ca_worker, case_manager_a, first)
    item = meeting.items.first()
    urls = [
        reverse("conferences:meeting", args=[meeting.pk]),
        f"/api/v1/conference-meetings/{meeting.pk}",
        reverse("conferences:item", args=[meeting.pk, item.pk]),
    ]
    before = {
        (u.username, url): _queries(client_for(u), url) for u in (ca_worker, partner_rep) for url in urls
    }
    more = _people(meeting, ca_worker, case_manager_a, org_a, [partner_org, hub_org], 3, "Deux")
    more += _people(meeting, ca_worker, case_manager_a, org_a, [hub_org], 2, "Trois")
    _add_actions(meeting, ca_worker, case_manager_a, more)
    after = {
        (u.username, url): _queries(client_for(u), url) for u in (ca_worker, partner_rep) for url in urls
    }
    assert after == before


def test_table_list_queries_do_not_grow_with_the_tables(client_for, ca_worker, hub_org):
    def make(n):
        table = services.table_create(
            actor=ca_worker, organisation=hub_org, name=f"T{n}", start_time=datetime.time(9), place="Salle"
        )
        services.member_add(actor=ca_worker, table=table, user=ca_worker, organisation=hub_org)

    make(0)
    c = client_for(ca_worker)
    urls = [reverse("conferences:tables"), "/api/v1/conference-tables", reverse("conferences:actions")]
    before = [_queries(c, url) for url in urls]
    for n in range(1, 5):
        make(n)
    assert [_queries(c, url) for url in urls] == before
    assert Meeting.objects.count() == 0


def test_meeting_page_queries_are_few_and_do_not_grow_with_the_people_on_it(
    client_for,
    table,
    meeting,
    ca_worker,
    case_manager_a,
    org_a,
    partner_org,
    hub_org,
    partner_rep,
    django_assert_max_num_queries,
):
    """Issue 16: the meeting page reads the table's members once and who each person on it (the agenda, the
    actions carried from an earlier meeting and its own, the people who are stuck, the proposals) is
    covered for in one query: 3 and 12 people on the agenda ask the same queries, and few of them."""
    earlier = services.meeting_create(
        actor=ca_worker,
        table=table,
        starts_at=meeting.starts_at - datetime.timedelta(days=3),
        duration_minutes=120,
    )
    later = services.meeting_create(
        actor=ca_worker,
        table=table,
        starts_at=meeting.starts_at + datetime.timedelta(days=7),
        duration_minutes=120,
    )
    due = later.starts_at.date()

    def grow(count, prefix):
        for n in range(count):
            # Every third person is not shared with the partner: "consent needed" on their page.
            share_with = [hub_org] if n % 3 == 2 else [partner_org, hub_org]
            p = person(case_manager_a, org_a, f"{prefix}{n}", "Agenda", share_with=share_with)
            flag(p)
            item = services.agenda_add(actor=ca_worker, meeting=earlier, participant=p)
            services.action_create(
                actor=ca_worker,
                meeting=earlier,
                item=item,
                description="Reportée",
                responsible=ca_worker,
                due_on=due,
            )
            item = services.agenda_add(actor=ca_worker, meeting=later, participant=p)
            services.action_create(
                actor=ca_worker,
                meeting=later,
                item=item,
                description="Prévue",
                responsible=case_manager_a,
                due_on=due,
            )
            # Stuck, not on the agenda: a candidate; and one a member proposes.
            flag(person(case_manager_a, org_a, f"{prefix}{n}", "Bloqué", share_with=share_with))
            proposed = person(case_manager_a, org_a, f"{prefix}{n}", "Proposé", share_with=share_with)
            services.proposal_create(
                actor=case_manager_a, table=table, participant=proposed, reason="Rien ne fonctionne encore."
            )
        services.action_create(
            actor=ca_worker, meeting=earlier, description="Sans personne", responsible=ca_worker, due_on=due
        )

    url = reverse("conferences:meeting", args=[later.pk])
    grow(3, "Un")
    few = {}
    for user, ceiling in ((ca_worker, 15), (partner_rep, 11)):
        c = client_for(user)
        c.get(url)
        with django_assert_max_num_queries(ceiling) as captured:
            response = c.get(url)
        assert response.status_code == 200
        few[user.username] = len(captured.captured_queries)
    assert "Un0 Agenda" in response.content.decode()  # the partner's page, the person shared with them
    grow(9, "Deux")
    for user in (ca_worker, partner_rep):
        c = client_for(user)
        with django_assert_max_num_queries(few[user.username]):
            response = c.get(url)
        html = response.content.decode()
        assert html.count('class="card mb-2"') == 12  # every person on the agenda, visible or not
    # The partner's page: consent decides.
    assert "Deux7 Agenda" in html
    assert "Deux8 Agenda" not in html
    assert html.count("consent-needed") == 4
