"""The audit trail: what is written, how it is masked, the audit screen's filters and scope, who-saw reports."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ancrage.core import audit, clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.people import services
from ancrage.people.tests.factories import make_participant, member, share
from ancrage.people.tests.helpers import fast_password_hasher, pdf_file  # noqa: F401

pytestmark = pytest.mark.django_db


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def rows(response) -> list[AuditEntry]:
    return list(response.context["page"].object_list)


# --- writing -------------------------------------------------------------------------------------------


def test_changes_masks_sensitive_values():
    before = {"phone": "", "email": "a@b.c", "legal_last_name": "Roy", "date_of_birth": "1980-01-01"}
    after = {"phone": "514", "email": "", "legal_last_name": "Roy-Côté", "date_of_birth": "1980-01-01"}
    diff = audit.changes(before, after, frozenset({"phone", "email", "date_of_birth"}))
    assert diff == {
        "phone": ["", audit.MASK],
        "email": [audit.MASK, ""],
        "legal_last_name": ["Roy", "Roy-Côté"],
    }


def test_record_refuses_an_unknown_action(case_manager_a):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit.record(actor=case_manager_a, action="people.participant.deleted")


def test_every_action_has_a_sentence_in_english():
    from django.utils import translation

    with translation.override("en"):
        for code, label in audit.ACTIONS.items():
            entry = AuditEntry(action=code)
            assert entry.sentence == str(label)
            assert entry.sentence
            assert entry.sentence != code


def test_record_takes_the_actors_organisation(case_manager_a, org_a, participant_a):
    entry = audit.record_read(actor=case_manager_a, participant=participant_a)
    assert entry.organisation == org_a
    assert entry.is_read
    assert entry.object_type == "people.participant"
    assert entry.object_id == str(participant_a.pk)


# --- reads are logged ---------------------------------------------------------------------------------------


@pytest.mark.smoke
def test_opening_a_file_is_logged(client_for, case_manager_a, participant_a):
    before = AuditEntry.objects.filter(is_read=True).count()
    client_for(case_manager_a).get(reverse("people:detail", args=[participant_a.pk]))
    entry = AuditEntry.objects.filter(is_read=True).latest("id")
    assert AuditEntry.objects.filter(is_read=True).count() == before + 1
    assert entry.action == "people.participant.viewed"
    assert entry.actor == case_manager_a
    assert entry.participant == participant_a


def test_opening_a_document_is_logged(client_for, case_manager_a, participant_a):
    doc = services.document_upload(
        actor=case_manager_a,
        participant=participant_a,
        kind="release",
        upload=pdf_file(),
        signed_on=clock.today(),
    )
    response = client_for(case_manager_a).get(
        reverse("people:document_download", args=[participant_a.pk, doc.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.is_read, entry.object_id) == ("people.document.viewed", True, str(doc.pk))


def test_refused_reads_are_not_logged(client_for, case_manager_b, participant_a):
    before = AuditEntry.objects.count()
    assert (
        client_for(case_manager_b).get(reverse("people:detail", args=[participant_a.pk])).status_code == 404
    )
    assert AuditEntry.objects.count() == before


def test_api_read_is_logged(client_for, case_manager_a, participant_a):
    client_for(case_manager_a).get(f"/api/v1/participants/{participant_a.pk}")
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.participant_id) == ("people.participant.viewed", participant_a.pk)


# --- the audit screen ----------------------------------------------------------------------------------------


@pytest.fixture
def trail(case_manager_a, case_manager_b, org_a, org_b, participant_a):
    """Entries in two organisations, some of them dated in the past."""
    participant_b = make_participant(
        case_manager_b, org_b, legal_first_name="Bruno", legal_last_name="Bélanger"
    )
    audit.record_read(actor=case_manager_a, participant=participant_a)
    audit.record_read(actor=case_manager_b, participant=participant_b)
    old = audit.record_read(actor=case_manager_a, participant=participant_a)
    # Noon, local time, 40 days ago: "now minus 40 days" lands on another local date across a DST change.
    noon = datetime.datetime.combine(
        clock.today() - datetime.timedelta(days=40),
        datetime.time(12),
        tzinfo=timezone.get_current_timezone(),
    )
    AuditEntry.objects.filter(pk=old.pk).update(at=noon)
    return {"participant_b": participant_b, "old": old}


@pytest.mark.smoke
def test_program_manager_sees_their_organisations_entries_only(
    client_for, program_manager_a, trail, participant_a
):
    response = client_for(program_manager_a).get(reverse("audit_log"))
    assert response.status_code == 200
    entries = rows(response)
    assert entries
    assert {e.participant_id for e in entries if e.participant_id} == {participant_a.pk}
    assert trail["participant_b"].community_id not in response.content.decode()


def test_program_manager_sees_other_organisations_reading_their_files(
    client_for, program_manager_a, partner_rep, partner_org, case_manager_a, participant_a
):
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY])
    entry = audit.record_read(actor=partner_rep, participant=participant_a)
    assert entry in rows(client_for(program_manager_a).get(reverse("audit_log")))


def test_configuring_does_not_open_the_audit_trail(client_for, administrator, trail):
    """The administrator's role reads identity only and opens no file: the trail is the auditors'."""
    assert client_for(administrator).get(reverse("audit_log")).status_code == 403
    assert client_for(administrator).get(reverse("audit_export")).status_code == 403


def test_filter_by_participant(client_for, program_manager_a, case_manager_a, org_a, trail, participant_a):
    other = make_participant(case_manager_a, org_a, legal_first_name="Autre")
    response = client_for(program_manager_a).get(
        reverse("audit_log"), {"participant": f"  {participant_a.community_id.lower()} "}
    )
    entries = rows(response)
    assert entries
    assert {e.participant_id for e in entries} == {participant_a.pk}
    assert other.pk not in {e.participant_id for e in entries}


def test_filter_by_user(client_for, program_manager_a, case_manager_a, trail):
    member(program_manager_a.primary_membership.organisation, Role.PEER_SUPPORT, username="pair")
    entries = rows(client_for(program_manager_a).get(reverse("audit_log"), {"user": "GC_A"}))
    assert entries
    assert {e.actor_id for e in entries} == {case_manager_a.pk}


def test_filter_by_action(client_for, program_manager_a, trail):
    entries = rows(
        client_for(program_manager_a).get(reverse("audit_log"), {"action": "people.participant.created"})
    )
    assert entries
    assert {e.action for e in entries} == {"people.participant.created"}


def test_filter_by_dates(client_for, program_manager_a, trail):
    today = clock.today()
    c = client_for(program_manager_a)
    recent = rows(c.get(reverse("audit_log"), {"since": (today - datetime.timedelta(days=1)).isoformat()}))
    assert trail["old"] not in recent
    assert recent
    past_day = (today - datetime.timedelta(days=40)).isoformat()
    old = rows(c.get(reverse("audit_log"), {"since": past_day, "until": past_day}))
    assert old == [trail["old"]]
    until = rows(c.get(reverse("audit_log"), {"until": (today - datetime.timedelta(days=2)).isoformat()}))
    assert until == [trail["old"]]


def test_until_before_since_is_an_error(client_for, program_manager_a, trail):
    english(program_manager_a)
    today = clock.today()
    response = client_for(program_manager_a).get(
        reverse("audit_log"),
        {"since": today.isoformat(), "until": (today - datetime.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "The end date comes before the start date." in response.content.decode()
    # A filter that makes no sense shows nothing rather than the whole unfiltered trail.
    assert rows(response) == []


def test_a_bad_date_is_an_error_not_a_crash(client_for, program_manager_a):
    response = client_for(program_manager_a).get(reverse("audit_log"), {"since": "2026-13-45"})
    assert response.status_code == 200
    assert "since" in response.context["form"].errors


def test_audit_screen_shows_changes_masked(client_for, program_manager_a, case_manager_a, participant_a):
    services.participant_update(
        actor=case_manager_a, participant=participant_a, phone="514-555-0123", preferred_name="Élo"
    )
    page = client_for(program_manager_a).get(reverse("audit_log"), {"action": "people.participant.updated"})
    html = page.content.decode()
    assert "514-555-0123" not in html
    assert audit.MASK in html
    assert "Élo" in html


def test_audit_screen_paginates(client_for, program_manager_a, case_manager_a, participant_a):
    for _ in range(60):
        audit.record_read(actor=case_manager_a, participant=participant_a)
    response = client_for(program_manager_a).get(reverse("audit_log"))
    assert len(rows(response)) == 50
    assert response.context["page"].has_next()


# --- file history and who saw the file --------------------------------------------------------------------


def test_file_history_lists_what_was_done(client_for, program_manager_a, case_manager_a, participant_a):
    english(program_manager_a)
    response = client_for(program_manager_a).get(reverse("people:history", args=[participant_a.pk]))
    assert response.status_code == 200
    assert "created the participant&#x27;s file" in response.content.decode()


@pytest.fixture
def english_participant(case_manager_a, org_a):
    return make_participant(
        case_manager_a,
        org_a,
        legal_first_name="Mary",
        legal_last_name="Smith",
        communication_language="en",
    )


@pytest.mark.smoke
def test_who_saw_renders_in_the_participants_language(client_for, case_manager_a, english_participant):
    assert case_manager_a.language == "fr-ca"
    c = client_for(case_manager_a)
    c.get(reverse("people:detail", args=[english_participant.pk]))
    response = c.get(reverse("people:who_saw", args=[english_participant.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert '<div lang="en">' in html
    assert "Who saw my file" in html
    assert "Every time someone opened this file, it was recorded." in html
    assert "viewed the participant&#x27;s file" in html
    # The viewer's own pages stay in their language afterwards.
    home = c.get(reverse("home")).content.decode()
    assert '<html lang="fr-CA">' in home


def test_who_saw_in_french_for_a_french_participant(client_for, case_manager_a, participant_a):
    english(case_manager_a)
    html = client_for(case_manager_a).get(reverse("people:who_saw", args=[participant_a.pk])).content.decode()
    assert '<div lang="fr-CA">' in html
    assert '<html lang="fr-CA">' in html


def test_who_saw_lists_reads_only_and_logs_itself(
    client_for, case_manager_a, partner_rep, partner_org, participant_a
):
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY])
    client_for(partner_rep).get(reverse("people:detail", args=[participant_a.pk]))
    response = client_for(case_manager_a).get(reverse("people:who_saw", args=[participant_a.pk]))
    entries = response.context["entries"]
    assert entries
    assert all(e.is_read for e in entries)
    assert partner_rep.pk in {e.actor_id for e in entries}
    assert "Partenaire santé" in response.content.decode()
    assert AuditEntry.objects.latest("id").action == "people.audit.viewed"


def test_who_saw_is_not_for_partners(client_for, case_manager_a, partner_rep, partner_org, participant_a):
    share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY])
    assert client_for(partner_rep).get(reverse("people:who_saw", args=[participant_a.pk])).status_code == 404


def test_who_saw_includes_merged_files(client_for, case_manager_a, program_manager_a, org_a, participant_a):
    dup = make_participant(case_manager_a, org_a, legal_first_name="Eloise", legal_last_name="Gagnon")
    seen = audit.record_read(actor=program_manager_a, participant=dup)
    services.participant_merge(actor=program_manager_a, kept=participant_a, merged=dup)
    response = client_for(case_manager_a).get(reverse("people:who_saw", args=[participant_a.pk]))
    assert seen in response.context["entries"]


def test_html_lang_is_a_valid_tag(client_for, case_manager_a, english_participant):
    html = (
        client_for(case_manager_a)
        .get(reverse("people:who_saw", args=[english_participant.pk]))
        .content.decode()
    )
    assert re.search(r'<html lang="(en|fr-CA)">', html)
