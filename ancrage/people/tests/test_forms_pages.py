"""Pages with bad input: every typed answer comes back, the error says what is wrong, nothing is saved."""

import datetime
import re

import pytest
from django.urls import reverse

from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category, Role
from ancrage.people.models import Consent, Document, Identifier, Participant
from ancrage.people.tests.factories import member, share
from ancrage.people.tests.helpers import exe_renamed_pdf, fast_password_hasher, pdf_file  # noqa: F401

pytestmark = pytest.mark.django_db


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def typed(org, **extra):
    data = {
        "organisation": org.pk,
        "legal_first_name": "Zoé",
        "legal_last_name": "Beauchemin",
        "preferred_name": "Zozo",
        "aliases": "La Zozo, Ti-Zo",
        "date_of_birth": "1988-06-21",
        "dob_quality": "approximate",
        "gender": "non_binary",
        "indigenous_identity": "metis",
        "communication_language": "en",
        "languages_spoken": "français, innu-aimun",
        "phone": "514-555-0142",
        "email": "zoe@example.org",
        "current_location": "Parc Émilie-Gamelin",
    }
    data.update(extra)
    return data


def assert_kept(html, data, skip=()):
    """Each typed text is back in its input, each chosen option still selected."""
    text_fields = [
        "legal_first_name",
        "legal_last_name",
        "preferred_name",
        "aliases",
        "languages_spoken",
        "phone",
        "email",
        "current_location",
    ]
    for name in text_fields:
        if name in skip:
            continue
        match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert match, name
        assert f'value="{data[name]}"' in match.group(0), (name, match.group(0))
    if "date_of_birth" not in skip:
        match = re.search(r'<input[^>]*name="date_of_birth"[^>]*>', html)
        assert f'value="{data["date_of_birth"]}"' in match.group(0)
    for name in ("dob_quality", "gender", "indigenous_identity", "communication_language"):
        select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)
        assert re.search(rf'<option value="{data[name]}"[^>]*selected', select), name


@pytest.mark.smoke
def test_service_error_keeps_every_typed_answer(client_for, case_manager_a, org_a):
    english(case_manager_a)
    data = typed(org_a, date_of_birth=(clock.today() + datetime.timedelta(days=2)).isoformat())
    before = (Participant.objects.count(), AuditEntry.objects.count())
    response = client_for(case_manager_a).post(reverse("people:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert_kept(html, data)
    assert "A date of birth cannot be in the future." in html
    assert response.context["form"].errors["date_of_birth"]
    assert (Participant.objects.count(), AuditEntry.objects.count()) == before


def test_quality_without_date_keeps_answers(client_for, case_manager_a, org_a):
    english(case_manager_a)
    data = typed(org_a, date_of_birth="", dob_quality="exact")
    response = client_for(case_manager_a).post(reverse("people:create"), data)
    assert response.status_code == 200
    assert "date_of_birth" in response.context["form"].errors
    assert_kept(response.content.decode(), data, skip=("date_of_birth",))
    assert not Participant.objects.filter(legal_last_name="Beauchemin").exists()


def test_form_error_keeps_every_typed_answer(client_for, case_manager_a, org_a):
    data = typed(org_a, email="pas-une-adresse")
    response = client_for(case_manager_a).post(reverse("people:create"), data)
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert_kept(response.content.decode(), data)
    assert not Participant.objects.filter(legal_last_name="Beauchemin").exists()


def test_missing_name_keeps_the_other_answers(client_for, case_manager_a, org_a):
    data = typed(org_a, legal_last_name="")
    response = client_for(case_manager_a).post(reverse("people:create"), data)
    assert "legal_last_name" in response.context["form"].errors
    assert_kept(response.content.decode(), data, skip=("legal_last_name",))
    assert not Participant.objects.filter(preferred_name="Zozo").exists()


def test_probable_match_is_shown_before_saving_then_confirmed(
    client_for, case_manager_a, org_a, participant_a
):
    english(case_manager_a)
    c = client_for(case_manager_a)
    data = typed(
        org_a,
        legal_first_name="Eloise",
        legal_last_name="Gagnon",
        date_of_birth="1975-04-12",
        dob_quality="exact",
    )
    before = Participant.objects.count()
    response = c.post(reverse("people:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert participant_a.community_id in html
    assert "Same date of birth" in html
    assert 'name="confirm_new"' in html
    assert_kept(html, data)
    assert Participant.objects.count() == before
    response = c.post(reverse("people:create"), data | {"confirm_new": "1"})
    assert response.status_code == 302
    created = Participant.objects.latest("id")
    assert response["Location"] == reverse("people:detail", args=[created.pk])
    assert created.preferred_name == "Zozo"
    assert sorted(created.aliases.values_list("name", flat=True)) == ["La Zozo", "Ti-Zo"]
    assert created.communication_language == "en"


def test_create_with_an_organisation_not_offered_is_refused(client_for, case_manager_a, org_b):
    response = client_for(case_manager_a).post(reverse("people:create"), typed(org_b))
    assert response.status_code == 200
    assert "organisation" in response.context["org_form"].errors
    assert not Participant.objects.filter(legal_last_name="Beauchemin").exists()


def test_create_needs_a_community_organisation(client_for, shared_org):
    user = member(shared_org, Role.COORDINATED_ACCESS)
    response = client_for(user).get(reverse("people:create"))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:list")


def test_edit_error_keeps_answers_and_changes_nothing(client_for, case_manager_a, org_a, participant_a):
    data = typed(org_a, legal_first_name="Éloïse", legal_last_name="Gagnon-Roy", dob_quality="refused")
    data.pop("aliases")
    response = client_for(case_manager_a).post(reverse("people:edit", args=[participant_a.pk]), data)
    assert response.status_code == 200
    assert "dob_quality" in response.context["form"].errors
    assert_kept(response.content.decode(), data, skip=("aliases",))
    participant_a.refresh_from_db()
    assert participant_a.legal_last_name == "Gagnon"
    assert participant_a.phone == ""
    assert not AuditEntry.objects.filter(action="people.participant.updated").exists()


def test_edit_saves(client_for, case_manager_a, org_a, participant_a):
    data = typed(org_a, legal_first_name="Éloïse", legal_last_name="Gagnon-Roy")
    data.pop("aliases")
    response = client_for(case_manager_a).post(reverse("people:edit", args=[participant_a.pk]), data)
    assert response.status_code == 302
    participant_a.refresh_from_db()
    assert participant_a.legal_last_name == "Gagnon-Roy"
    assert "gagnon roy" in participant_a.search_text


def test_consent_form_error_keeps_answers(client_for, case_manager_a, partner_org, participant_a):
    english(case_manager_a)
    data = {
        "organisations": [partner_org.pk],
        "categories": [Category.IDENTITY, Category.HEALTH],
        "purpose": "Suivi en santé mentale",
        "starts_on": clock.today().isoformat(),
        "method": "verbal",
        "witness_name": "",
    }
    response = client_for(case_manager_a).post(
        reverse("people:consent_create", args=[participant_a.pk]), data
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "A verbal consent needs the name of its witness." in html
    assert "Suivi en santé mentale" in html
    assert re.search(r'<input[^>]*value="health"[^>]*checked', html)
    assert re.search(rf'<input[^>]*value="{partner_org.pk}"[^>]*checked', html)
    assert not Consent.objects.exists()
    response = client_for(case_manager_a).post(
        reverse("people:consent_create", args=[participant_a.pk]), data | {"witness_name": "Julie Roy"}
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.witness_name == "Julie Roy"
    assert sorted(consent.category_codes) == ["health", "identity"]


def test_consent_form_offers_only_the_participants_consortium(client_for, case_manager_a, participant_a):
    from ancrage.people.tests.factories import ConsortiumFactory, OrganisationFactory

    elsewhere = OrganisationFactory(consortium=ConsortiumFactory(name="Ailleurs"), name="Ailleurs Inc")
    response = client_for(case_manager_a).get(reverse("people:consent_create", args=[participant_a.pk]))
    assert "Ailleurs Inc" not in response.content.decode()
    response = client_for(case_manager_a).post(
        reverse("people:consent_create", args=[participant_a.pk]),
        {
            "organisations": [elsewhere.pk],
            "categories": ["identity"],
            "purpose": "x",
            "starts_on": clock.today().isoformat(),
            "method": "written",
        },
    )
    assert response.status_code == 200
    assert not Consent.objects.exists()


def test_revoke_consent_from_the_page(client_for, case_manager_a, partner_org, participant_a):
    consent = share(case_manager_a, participant_a, [partner_org], [Category.IDENTITY])
    c = client_for(case_manager_a)
    url = reverse("people:consent_revoke", args=[participant_a.pk, consent.pk])
    assert c.get(url).status_code == 200
    assert c.post(url, {"reason": "Fin du suivi"}).status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    # A second revocation says so rather than failing.
    assert c.post(url, {"reason": "Encore"}).status_code == 302
    consent.refresh_from_db()
    assert consent.revocation_reason == "Fin du suivi"


def test_document_form_refuses_a_disguised_executable(client_for, case_manager_a, participant_a):
    english(case_manager_a)
    response = client_for(case_manager_a).post(
        reverse("people:document_upload", args=[participant_a.pk]),
        {
            "kind": "service_agreement",
            "file": exe_renamed_pdf(),
            "signed_on": clock.today().isoformat(),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only PDF, JPEG and PNG files can be uploaded." in html
    assert re.search(r'<option value="service_agreement"[^>]*selected', html)
    assert not Document.objects.exists()


def test_document_form_refuses_a_file_over_the_limit(settings, client_for, case_manager_a, participant_a):
    settings.DOCUMENT_MAX_BYTES = 1024
    response = client_for(case_manager_a).post(
        reverse("people:document_upload", args=[participant_a.pk]),
        {"kind": "release", "file": pdf_file(size=5000), "signed_on": clock.today().isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Document.objects.exists()


def test_document_form_uploads(client_for, case_manager_a, participant_a):
    response = client_for(case_manager_a).post(
        reverse("people:document_upload", args=[participant_a.pk]),
        {"kind": "release", "file": pdf_file(), "signed_on": clock.today().isoformat()},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Document.objects.get().participant == participant_a


def test_duplicate_identifier_on_the_page(client_for, case_manager_a, org_a, participant_a):
    from ancrage.people import services
    from ancrage.people.tests.factories import make_participant

    english(case_manager_a)
    other = make_participant(case_manager_a, org_a, legal_first_name="Autre")
    services.identifier_add(actor=case_manager_a, participant=other, kind="hifis", value="H-1")
    response = client_for(case_manager_a).post(
        reverse("people:add_related", args=[participant_a.pk, "identifier"]),
        {"kind": "hifis", "value": "h-1", "issuer": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This identifier already belongs to another file." in html
    assert 'value="h-1"' in html
    assert Identifier.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("alias", {"name": "Ti-Loup"}),
        ("identifier", {"kind": "shelter", "value": "S-9", "issuer": "Refuge"}),
        ("contact", {"name": "Sœur", "relationship": "sœur", "phone": "514", "is_emergency_contact": "on"}),
        ("household", {"first_name": "Léa", "relationship": "child"}),
    ],
)
def test_small_forms_save(kind, data, client_for, case_manager_a, participant_a):
    response = client_for(case_manager_a).post(
        reverse("people:add_related", args=[participant_a.pk, kind]), data
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else None


def test_list_search_and_organisation_filter(client_for, case_manager_a, org_a, participant_a):
    from ancrage.people.tests.factories import make_participant

    make_participant(
        case_manager_a, org_a, legal_first_name="Marc", legal_last_name="Dubois", aliases=["Le Grand"]
    )
    c = client_for(case_manager_a)
    assert "Dubois" in c.get(reverse("people:list"), {"q": "le grand"}).content.decode()
    html = c.get(reverse("people:list"), {"q": "eloise"}).content.decode()
    assert "Gagnon" in html
    assert "Dubois" not in html
    assert c.get(reverse("people:list"), {"organisation": "abc"}).status_code == 200
    assert c.get(reverse("people:list"), {"page": "9999"}).status_code == 200
