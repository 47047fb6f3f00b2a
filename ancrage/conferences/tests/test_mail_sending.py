"""One sending of a meeting's emails reads its actions once and each organisation's agenda once: every email
is the one rendered alone for its member."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from ancrage.conferences import mail, services
from ancrage.conferences.models import AgendaItem, Delivery
from ancrage.conferences.tests.conftest import flag, person
from ancrage.core import clock

pytestmark = pytest.mark.django_db


def _counted(monkeypatch, name: str) -> list:
    calls: list = []
    real = getattr(mail, name)

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(mail, name, counting)
    return calls


@pytest.mark.parametrize("kind", [Delivery.Kind.AGENDA, Delivery.Kind.ACTIONS])
def test_each_email_of_a_sending_is_the_one_rendered_alone(
    meeting, ca_worker, case_manager_a, org_a, members, mailoutbox, monkeypatch, kind
):
    for user in (m.user for m in members.values()):
        type(user).objects.filter(pk=user.pk).update(email=f"{user.username}@example.org")
    with time_machine.travel(meeting.starts_at - datetime.timedelta(days=2), tick=False):
        for name in ("Zéphyrin", "Anouk"):
            participant = person(case_manager_a, org_a, name, "Personne")
            flag(participant)
            item = services.agenda_add(actor=ca_worker, meeting=meeting, participant=participant)
            services.action_create(
                actor=ca_worker,
                meeting=meeting,
                item=item,
                description=f"Appeler {name}",
                responsible=case_manager_a,
                due_on=clock.today() + datetime.timedelta(days=10),
            )
        mail.agenda_send(actor=ca_worker, meeting=meeting)
        if kind == Delivery.Kind.ACTIONS:
            Delivery.objects.filter(meeting=meeting).update(kind=Delivery.Kind.ACTIONS)
        deliveries = Delivery.objects.filter(meeting=meeting).select_related(
            "meeting__table__organisation", "member__user", "member__organisation"
        )
        items = list(
            AgendaItem.objects.filter(meeting=meeting).select_related(
                "participant__organisation", "organisation"
            )
        )
        alone = {}
        for delivery in deliveries:
            with translation.override(delivery.member.user.language or settings.LANGUAGE_CODE):
                message = mail._render(delivery, items)
            alone[delivery.member.user.email] = (message.subject, message.body, message.attachments)
        carried = _counted(monkeypatch, "carried_actions")
        agendas = _counted(monkeypatch, "agenda_for_organisations")
        assert mail.deliveries_send(meeting_id=meeting.pk) == len(members)
    assert len(mailoutbox) == len(members)
    for message in mailoutbox:
        assert (message.subject, message.body, message.attachments) == alone[message.to[0]]
    organisations = {m.organisation_id for m in members.values()}
    assert len(organisations) < len(members)  # two members of the hub: its agenda is read once
    assert len(agendas) == len(organisations)
    assert len(carried) == (1 if kind == Delivery.Kind.AGENDA else 0)
    assert any("Zéphyrin" in m.body for m in mailoutbox)
