"""The recovery plan as a PDF, in the participant's language."""

from __future__ import annotations

import base64
import datetime
import re
import zlib

import pytest
from django.urls import reverse

from ancrage.casework.plans import services as svc
from ancrage.casework.plans.pdf import _printable, plan_pdf_bytes
from ancrage.casework.plans.selectors import plan_for_user
from ancrage.core.models import AuditEntry

from .plans_helpers import enroll

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The text drawn in a PDF made by reportlab with a standard font: every content stream, inflated when
    compressed (ASCII85 then Flate), decoded from WinAnsi (cp1252) with PDF string escapes undone."""
    assert content.startswith(b"%PDF-")
    chunks = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\n?endstream", content, re.S):
        raw = raw.strip()
        if raw.endswith(b"~>"):  # reportlab's compressed streams: ASCII85, then Flate
            raw = zlib.decompress(base64.a85decode(raw[:-2]))
        chunks.append(raw)
    data = b"\n".join(chunks)
    strings = re.findall(rb"\(((?:\\.|[^\\)])*)\)", data)
    out = []
    for s in strings:
        s = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), s)
        s = re.sub(rb"\\(.)", rb"\1", s)
        out.append(s.decode("cp1252"))
    return " ".join(out)


@pytest.fixture
def plan(case_manager_a, participant_a):
    enrollment = enroll(case_manager_a, participant_a, on=datetime.date(2026, 3, 2))
    plan = svc.plan_create(actor=case_manager_a, enrollment=enrollment)
    goal = svc.goal_add(
        actor=case_manager_a,
        plan=plan,
        words="Être chez moi, avoir mon cœur en paix",
        stage="preparation",
        starts_on=datetime.date(2026, 3, 5),
        review_on=datetime.date(2026, 9, 5),
    )
    svc.step_add(
        actor=case_manager_a,
        goal=goal,
        description="Appeler l'organisme « Le Phare »",
        who="both",
        target_on=datetime.date(2026, 4, 1),
    )
    plan.refresh_from_db()
    svc.plan_update(
        actor=case_manager_a, plan=plan, revision=plan.revision, crisis_strategies="Marcher; appeler Josée"
    )
    return plan


def _pdf(user, participant, language: str) -> str:
    participant.communication_language = language
    participant.save(update_fields=["communication_language"])
    view = plan_for_user(user, participant.pk, read_action=None)
    return pdf_text(plan_pdf_bytes(view, compress=True, today=datetime.date(2026, 11, 2)))


def test_pdf_in_french_for_a_french_speaking_participant(case_manager_a, participant_a, plan):
    text = _pdf(case_manager_a, participant_a, "fr")
    # The participant's words, accents and « » kept (Helvetica's WinAnsi covers French).
    assert "Être chez moi, avoir mon cœur en paix" in text
    assert "« Le Phare »" in text
    assert "Marcher; appeler Jos" in text
    # Dates in French, whatever the language of the person printing.
    assert "mars 2026" in text
    assert "novembre 2026" in text
    assert "March 2" not in text
    assert participant_a.community_id in text


def test_pdf_in_english_for_an_english_speaking_participant(case_manager_a, participant_a, plan):
    case_manager_a.language = "fr"
    text_en = _pdf(case_manager_a, participant_a, "en")
    assert "Recovery plan" in text_en
    assert "March 2, 2026" in text_en
    assert "Nov. 2, 2026" in text_en
    assert "mars" not in text_en
    text_fr = _pdf(case_manager_a, participant_a, "fr")
    assert text_fr != text_en


def test_pdf_uncompressed_is_the_same_text(case_manager_a, participant_a, plan):
    view = plan_for_user(case_manager_a, participant_a.pk, read_action=None)
    raw = plan_pdf_bytes(view, compress=False, today=datetime.date(2026, 11, 2))
    assert b"FlateDecode" not in raw
    assert pdf_text(raw) == pdf_text(plan_pdf_bytes(view, compress=True, today=datetime.date(2026, 11, 2)))


def test_characters_outside_the_font_are_marked_not_dropped():
    assert _printable("Bonjour\u202f!") == "Bonjour\u00a0!"
    assert _printable("Un chat 🐈") == "Un chat ?"
    assert _printable("« œuvre »") == "« œuvre »"


def test_pdf_page_is_audited_and_named_by_community_id(client_for, case_manager_a, participant_a, plan):
    response = client_for(case_manager_a).get(reverse("casework:plan_pdf", args=[participant_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert participant_a.community_id in disposition
    assert participant_a.legal_last_name not in disposition
    assert "Gagnon" not in disposition
    assert response.content.startswith(b"%PDF-")
    assert AuditEntry.objects.filter(
        action="casework.plan.printed", participant=participant_a, object_id=str(plan.pk)
    ).exists()


def test_pdf_without_a_plan_is_404(client_for, case_manager_a, participant_a):
    enroll(case_manager_a, participant_a)
    assert (
        client_for(case_manager_a).get(reverse("casework:plan_pdf", args=[participant_a.pk])).status_code
        == 404
    )


def test_pdf_with_many_goals_spans_pages(case_manager_a, participant_a, plan):
    for n in range(12):
        goal = svc.goal_add(actor=case_manager_a, plan=plan, words=f"But numéro {n} " * 8, stage="action")
        for s in range(4):
            svc.step_add(actor=case_manager_a, goal=goal, description=f"Étape {s} " * 10, who="participant")
    view = plan_for_user(case_manager_a, participant_a.pk, read_action=None)
    content = plan_pdf_bytes(view)
    assert len(re.findall(rb"/Type /Page\b(?!s)", content)) >= 3
