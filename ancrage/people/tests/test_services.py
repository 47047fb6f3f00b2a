"""Services of the registry: validation, nothing saved on error, exactly one audit entry with masked values."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ancrage.core import clock
from ancrage.core.audit import MASK
from ancrage.core.models import AuditEntry
from ancrage.core.permissions import Category
from ancrage.organisations.models import Organisation
from ancrage.people import selectors, services
from ancrage.people.models import (
    Alias,
    Consent,
    Document,
    DuplicateDecision,
    HouseholdMember,
    Identifier,
    Merge,
    Participant,
    SupportContact,
)
from ancrage.people.tests.factories import make_participant, share
from ancrage.people.tests.helpers import (
    exe_renamed_pdf,
    fast_password_hasher,  # noqa: F401
    pdf_file,
    png_file,
    text_file,
)

pytestmark = pytest.mark.django_db


def today():
    return clock.today()


def days(n):
    return today() + datetime.timedelta(days=n)


class Counts:
    """Row counts before an operation, to prove that a refused operation saved nothing."""

    MODELS = (Participant, Alias, Identifier, Consent, Document, AuditEntry, SupportContact, HouseholdMember)

    def __init__(self):
        self.before = self.now()

    def now(self):
        return {m.__name__: m.objects.count() for m in self.MODELS}

    def unchanged(self):
        return self.now() == self.before

    def delta(self):
        now = self.now()
        return {k: now[k] - self.before[k] for k in now if now[k] != self.before[k]}


def new_entries(counts):
    return list(AuditEntry.objects.order_by("id")[counts.before["AuditEntry"] :])


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


# --- participant_create ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field"),
    [
        pytest.param(
            {"date_of_birth": lambda: days(1), "dob_quality": "exact"}, "date_of_birth", id="born-tomorrow"
        ),
        pytest.param(
            {"date_of_birth": datetime.date(1890, 1, 1), "dob_quality": "exact"},
            "date_of_birth",
            id="too-old",
        ),
        pytest.param(
            {"date_of_birth": datetime.date(1980, 1, 1), "dob_quality": "refused"},
            "dob_quality",
            id="dob-refused",
        ),
        pytest.param(
            {"date_of_birth": datetime.date(1980, 1, 1), "dob_quality": "doesnt_know"},
            "dob_quality",
            id="dob-unknown",
        ),
        pytest.param(
            {"date_of_birth": datetime.date(1980, 1, 1)}, "dob_quality", id="dob-without-quality-default"
        ),
        pytest.param(
            {"date_of_birth": None, "dob_quality": "exact"}, "date_of_birth", id="exact-without-dob"
        ),
        pytest.param(
            {"date_of_birth": None, "dob_quality": "approximate"}, "date_of_birth", id="approx-without-dob"
        ),
        pytest.param({"legal_first_name": "  "}, "legal_first_name", id="blank-first-name"),
        pytest.param({"legal_last_name": ""}, "legal_last_name", id="blank-last-name"),
    ],
)
def test_participant_create_refuses_and_saves_nothing(values, field, case_manager_a, org_a):
    # Dates relative to today are computed when the test runs, not when it is collected (a run can cross midnight).
    values = {key: value() if callable(value) else value for key, value in values.items()}
    counts = Counts()
    base = {"legal_first_name": "Marie", "legal_last_name": "Côté"}
    with pytest.raises(ValidationError) as exc:
        services.participant_create(actor=case_manager_a, organisation=org_a, **(base | values))
    assert field in errors_of(exc)
    assert all(messages for messages in errors_of(exc).values())
    assert counts.unchanged()


@pytest.mark.parametrize("quality", ["doesnt_know", "refused", "not_collected"])
def test_participant_create_without_dob(quality, case_manager_a, org_a):
    p = services.participant_create(
        actor=case_manager_a,
        organisation=org_a,
        legal_first_name="Marie",
        legal_last_name="Côté",
        dob_quality=quality,
    )
    assert p.date_of_birth is None
    assert p.dob_quality == quality


def test_participant_create_today_is_a_valid_birth_date(case_manager_a, org_a):
    p = make_participant(case_manager_a, org_a, date_of_birth=today(), dob_quality="approximate")
    assert p.age() == 0


def test_participant_create_only_in_a_mission(case_manager_a, shared_org, partner_org):
    for org in (shared_org, partner_org):
        counts = Counts()
        with pytest.raises(ValidationError) as exc:
            make_participant(case_manager_a, org)
        assert "organisation" in errors_of(exc)
        assert counts.unchanged()


def test_participant_create_rejects_unknown_fields(case_manager_a, org_a):
    with pytest.raises(TypeError):
        services.participant_create(
            actor=case_manager_a, organisation=org_a, legal_first_name="A", legal_last_name="B", photo_url="x"
        )


@pytest.mark.smoke
def test_participant_create_writes_one_masked_audit_entry(case_manager_a, org_a):
    counts = Counts()
    p = services.participant_create(
        actor=case_manager_a,
        organisation=org_a,
        legal_first_name="Marie",
        legal_last_name="Côté",
        date_of_birth=datetime.date(1981, 7, 3),
        dob_quality="exact",
        phone="514-555-0199",
        email="marie@example.org",
        current_location="Refuge du Vieux-Port",
        indigenous_identity="metis",
        aliases=["Mimi"],
        identifiers=[("hifis", "H-7781")],
    )
    assert counts.delta() == {"Participant": 1, "Alias": 1, "Identifier": 1, "AuditEntry": 1}
    (entry,) = new_entries(counts)
    assert entry.action == "people.participant.created"
    assert entry.participant == p
    assert entry.actor == case_manager_a
    assert entry.organisation == org_a
    assert not entry.is_read
    changes = entry.data["changes"]
    for field in ("date_of_birth", "phone", "email", "current_location", "indigenous_identity"):
        assert changes[field] == ["", MASK], field
    assert changes["legal_last_name"] == [None, "Côté"]
    text = json.dumps(entry.data, ensure_ascii=False)
    for secret in ("1981", "514-555-0199", "marie@example.org", "Vieux-Port", "metis"):
        assert secret not in text
    assert p.community_id.startswith("TST-")
    assert "mimi" in p.search_text
    assert "h 7781" in p.search_text


def test_community_ids_are_unique(case_manager_a, org_a):
    ids = {make_participant(case_manager_a, org_a, legal_first_name=f"P{i}").community_id for i in range(20)}
    assert len(ids) == 20


@pytest.mark.smoke
def test_duplicate_identifier_is_refused_and_nothing_saved(case_manager_a, org_a, participant_a):
    services.identifier_add(actor=case_manager_a, participant=participant_a, kind="hifis", value="AB-1234")
    counts = Counts()
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        make_participant(
            case_manager_a,
            org_a,
            legal_first_name="Autre",
            identifiers=[("hifis", "ab-1234")],
            aliases=["Zed"],
        )
    assert "value" in errors_of(exc)
    assert "already belongs to another file" in " ".join(errors_of(exc)["value"])
    assert counts.unchanged()


def test_same_number_from_another_kind_is_fine(case_manager_a, org_a, participant_a):
    services.identifier_add(actor=case_manager_a, participant=participant_a, kind="hifis", value="123")
    other = make_participant(
        case_manager_a, org_a, legal_first_name="Autre", identifiers=[("shelter", "123")]
    )
    assert other.identifiers.get().kind == "shelter"


def test_identifier_add_duplicate_and_blank(case_manager_a, org_a, participant_a):
    other = make_participant(case_manager_a, org_a, legal_first_name="Autre")
    services.identifier_add(actor=case_manager_a, participant=participant_a, kind="hmis", value="X1")
    counts = Counts()
    for value in ("X1", "x1", "   "):
        with pytest.raises(ValidationError) as exc:
            services.identifier_add(actor=case_manager_a, participant=other, kind="hmis", value=value)
        assert "value" in errors_of(exc)
    assert counts.unchanged()


def test_identifier_add_audit_does_not_hold_the_number(case_manager_a, participant_a):
    counts = Counts()
    services.identifier_add(actor=case_manager_a, participant=participant_a, kind="hospital", value="HOP-99")
    (entry,) = new_entries(counts)
    assert entry.action == "people.identifier.added"
    assert "HOP-99" not in json.dumps(entry.data)
    assert "hop 99" in Participant.objects.get(pk=participant_a.pk).search_text


# --- participant_update -------------------------------------------------------------------------------


def test_participant_update_masks_sensitive_changes(case_manager_a, participant_a):
    counts = Counts()
    services.participant_update(
        actor=case_manager_a,
        participant=participant_a,
        phone="438-555-0101",
        preferred_name="Élo",
        date_of_birth=datetime.date(1975, 12, 4),
    )
    (entry,) = new_entries(counts)
    assert entry.action == "people.participant.updated"
    changes = entry.data["changes"]
    assert changes["phone"] == ["", MASK]
    assert changes["date_of_birth"] == [MASK, MASK]
    assert changes["preferred_name"] == ["", "Élo"]
    assert "438-555-0101" not in json.dumps(entry.data)
    assert "1975" not in json.dumps(entry.data)


def test_participant_update_without_change_writes_nothing(case_manager_a, participant_a):
    counts = Counts()
    services.participant_update(actor=case_manager_a, participant=participant_a, legal_last_name="Gagnon")
    assert counts.unchanged()


def test_participant_update_validates_against_saved_values(case_manager_a, participant_a):
    counts = Counts()
    with pytest.raises(ValidationError) as exc:
        services.participant_update(actor=case_manager_a, participant=participant_a, dob_quality="refused")
    assert "dob_quality" in errors_of(exc)
    with pytest.raises(ValidationError):
        services.participant_update(actor=case_manager_a, participant=participant_a, date_of_birth=days(3))
    assert counts.unchanged()
    participant_a.refresh_from_db()
    assert participant_a.dob_quality == "exact"


def test_participant_update_photo(case_manager_a, participant_a):
    services.participant_update(actor=case_manager_a, participant=participant_a, photo=png_file())
    participant_a.refresh_from_db()
    assert participant_a.photo.name.startswith("photos/")


# --- small records --------------------------------------------------------------------------------------


def test_alias_add(case_manager_a, participant_a):
    counts = Counts()
    services.alias_add(actor=case_manager_a, participant=participant_a, name="  Ti-Loup ")
    assert counts.delta() == {"Alias": 1, "AuditEntry": 1}
    assert new_entries(counts)[0].action == "people.alias.added"
    assert [p.pk for p in selectors.participant_search(case_manager_a, "ti-loup")] == [participant_a.pk]
    with pytest.raises(ValidationError):
        services.alias_add(actor=case_manager_a, participant=participant_a, name="  ")


def test_support_contact_add(case_manager_a, participant_a):
    counts = Counts()
    services.support_contact_add(
        actor=case_manager_a,
        participant=participant_a,
        name="Sœur",
        phone="514-555-0000",
        is_emergency_contact=True,
    )
    (entry,) = new_entries(counts)
    assert entry.action == "people.contact.added"
    assert entry.data == {"emergency": True}
    with pytest.raises(ValidationError):
        services.support_contact_add(
            actor=case_manager_a, participant=participant_a, name="X", email="pas-un-courriel"
        )
    assert SupportContact.objects.count() == 1


def test_household_member_add(case_manager_a, participant_a):
    counts = Counts()
    services.household_member_add(
        actor=case_manager_a, participant=participant_a, first_name="Léa", relationship="child"
    )
    assert new_entries(counts)[0].action == "people.household.added"
    with pytest.raises(ValidationError) as exc:
        services.household_member_add(
            actor=case_manager_a,
            participant=participant_a,
            first_name="Bébé",
            relationship="child",
            date_of_birth=days(10),
        )
    assert "date_of_birth" in errors_of(exc)
    with pytest.raises(ValidationError):
        services.household_member_add(
            actor=case_manager_a, participant=participant_a, first_name="X", relationship="cousin"
        )
    assert HouseholdMember.objects.count() == 1


# --- consents -----------------------------------------------------------------------------------------


def _consent(actor, participant, **overrides):
    values = {
        "actor": actor,
        "participant": participant,
        "organisations": list(Organisation.objects.exclude(pk=participant.organisation_id)[:1]),
        "categories": [Category.IDENTITY],
        "purpose": "Coordination",
        "starts_on": today(),
        "method": "written",
    }
    values.update(overrides)
    return services.consent_record(**values)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"method": "verbal"}, "witness_name", id="verbal-without-witness"),
        pytest.param({"method": "verbal", "witness_name": "   "}, "witness_name", id="verbal-blank-witness"),
        pytest.param({"organisations": []}, "organisations", id="no-organisation"),
        pytest.param({"categories": []}, "categories", id="no-category"),
        pytest.param({"categories": ["identity", "secrets"]}, "categories", id="unknown-category"),
        pytest.param({"expires_on": days(-1)}, "expires_on", id="expires-before-start"),
        pytest.param({"expires_on": days(0)}, "expires_on", id="expires-on-start"),
        pytest.param({"purpose": "  "}, "purpose", id="no-purpose"),
    ],
)
def test_consent_record_refuses_and_saves_nothing(
    overrides, field, case_manager_a, partner_org, participant_a
):
    counts = Counts()
    with pytest.raises(ValidationError) as exc:
        _consent(case_manager_a, participant_a, **overrides)
    assert field in errors_of(exc)
    assert counts.unchanged()


def test_verbal_consent_with_witness(case_manager_a, partner_org, participant_a):
    consent = _consent(case_manager_a, participant_a, method="verbal", witness_name=" Julie Roy ")
    assert consent.witness_name == "Julie Roy"


@pytest.mark.parametrize(
    ("months", "start", "expected"),
    [
        (12, datetime.date(2026, 3, 15), datetime.date(2027, 3, 15)),
        (12, datetime.date(2028, 2, 29), datetime.date(2029, 2, 28)),
        (6, datetime.date(2026, 8, 31), datetime.date(2027, 2, 28)),
        (24, datetime.date(2026, 1, 1), datetime.date(2028, 1, 1)),
    ],
)
def test_default_expiry_follows_the_setting(
    months, start, expected, settings, case_manager_a, partner_org, participant_a
):
    settings.ANCRAGE = {**settings.ANCRAGE, "CONSENT_DEFAULT_MONTHS": months}
    consent = _consent(case_manager_a, participant_a, starts_on=start)
    assert consent.expires_on == expected


def test_default_is_twelve_months(settings):
    assert settings.ANCRAGE["CONSENT_DEFAULT_MONTHS"] == 12
    assert services.default_expiry(datetime.date(2026, 5, 1)) == datetime.date(2027, 5, 1)


def test_consent_record_audit(case_manager_a, partner_org, shared_org, participant_a):
    counts = Counts()
    consent = _consent(
        case_manager_a,
        participant_a,
        organisations=[partner_org, shared_org],
        categories=[Category.HOUSING, Category.IDENTITY, Category.IDENTITY],
    )
    assert counts.delta() == {"Consent": 1, "AuditEntry": 1}
    (entry,) = new_entries(counts)
    assert entry.action == "people.consent.recorded"
    assert entry.participant == participant_a
    assert entry.object_id == str(consent.pk)
    assert entry.data["organisations"] == sorted([partner_org.pk, shared_org.pk])
    assert entry.data["categories"] == ["housing", "identity"]
    assert sorted(consent.category_codes) == ["housing", "identity"]


def test_consent_revoke_once_only(case_manager_a, partner_org, participant_a):
    consent = _consent(case_manager_a, participant_a)
    counts = Counts()
    services.consent_revoke(actor=case_manager_a, consent=consent, reason="  La personne le demande ")
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert consent.revoked_by == case_manager_a
    assert consent.revocation_reason == "La personne le demande"
    assert consent.status() == Consent.Status.REVOKED
    (entry,) = new_entries(counts)
    assert entry.action == "people.consent.revoked"
    first_revoked_at = consent.revoked_at
    with pytest.raises(ValidationError):
        services.consent_revoke(actor=case_manager_a, consent=consent)
    consent.refresh_from_db()
    assert consent.revoked_at == first_revoked_at
    assert len(new_entries(counts)) == 1


@pytest.mark.parametrize(
    ("start", "end", "status"),
    [
        (-10, 100, Consent.Status.CURRENT),
        (-10, 10, Consent.Status.EXPIRING),
        (5, 100, Consent.Status.NOT_STARTED),
        (-100, -1, Consent.Status.EXPIRED),
    ],
)
def test_consent_status(start, end, status, case_manager_a, partner_org, participant_a):
    consent = share(
        case_manager_a,
        participant_a,
        [partner_org],
        ["identity"],
        starts_on=days(start),
        expires_on=days(end),
    )
    assert consent.status() == status


# --- documents ------------------------------------------------------------------------------------------


def _files_on_disk(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    "upload",
    [pytest.param(exe_renamed_pdf, id="exe-renamed-pdf"), pytest.param(text_file, id="text-file")],
)
def test_document_upload_refuses_other_types(upload, settings, case_manager_a, participant_a):
    counts = Counts()
    with pytest.raises(ValidationError) as exc:
        services.document_upload(
            actor=case_manager_a,
            participant=participant_a,
            kind="release",
            upload=upload(),
            signed_on=today(),
        )
    assert "file" in errors_of(exc)
    assert counts.unchanged()
    assert _files_on_disk(settings) == []


def test_document_upload_refuses_a_file_over_the_limit(settings, case_manager_a, participant_a):
    settings.DOCUMENT_MAX_BYTES = 2048
    counts = Counts()
    with pytest.raises(ValidationError) as exc:
        services.document_upload(
            actor=case_manager_a,
            participant=participant_a,
            kind="release",
            upload=pdf_file(size=2049),
            signed_on=today(),
        )
    assert "file" in errors_of(exc)
    assert counts.unchanged()
    assert _files_on_disk(settings) == []
    # At the limit exactly, it goes through.
    services.document_upload(
        actor=case_manager_a,
        participant=participant_a,
        kind="release",
        upload=pdf_file(size=2048),
        signed_on=today(),
    )


@pytest.mark.parametrize(
    ("signed", "resign", "field"),
    [(1, None, "signed_on"), (0, 0, "resign_on"), (-10, -20, "resign_on")],
)
def test_document_upload_dates(signed, resign, field, case_manager_a, participant_a):
    counts = Counts()
    with pytest.raises(ValidationError) as exc:
        services.document_upload(
            actor=case_manager_a,
            participant=participant_a,
            kind="release",
            upload=pdf_file(),
            signed_on=days(signed),
            resign_on=days(resign) if resign is not None else None,
        )
    assert field in errors_of(exc)
    assert counts.unchanged()


def test_document_upload_refuses_another_participants_consent(
    case_manager_a, org_a, partner_org, participant_a
):
    other = make_participant(case_manager_a, org_a, legal_first_name="Autre")
    consent = share(case_manager_a, other, [partner_org], ["identity"])
    with pytest.raises(ValidationError) as exc:
        services.document_upload(
            actor=case_manager_a,
            participant=participant_a,
            kind="release",
            upload=pdf_file(),
            signed_on=today(),
            consent=consent,
        )
    assert "consent" in errors_of(exc)


@pytest.mark.smoke
def test_document_upload_stores_a_pdf_under_a_neutral_name(
    settings, case_manager_a, partner_org, participant_a
):
    consent = share(case_manager_a, participant_a, [partner_org], ["identity"])
    counts = Counts()
    doc = services.document_upload(
        actor=case_manager_a,
        participant=participant_a,
        kind="release",
        upload=pdf_file("Gagnon Éloïse - consentement.pdf"),
        signed_on=today(),
        resign_on=days(365),
        consent=consent,
    )
    assert counts.delta() == {"Document": 1, "AuditEntry": 1}
    assert doc.content_type == "application/pdf"
    assert doc.original_name == "Gagnon Éloïse - consentement.pdf"
    assert "Gagnon" not in doc.file.name
    assert doc.file.name.startswith("documents/")
    assert doc.file.name.endswith(".pdf")
    (entry,) = new_entries(counts)
    assert entry.action == "people.document.uploaded"
    assert entry.data == {"kind": "release", "size": doc.size, "type": "application/pdf"}
    assert "Gagnon" not in json.dumps(entry.data)


def test_document_upload_names_the_file_by_its_real_type(case_manager_a, participant_a):
    """A PNG called .html must not be stored as .html (a web server would serve it as a page)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ancrage.people.tests.helpers import png_bytes

    upload = SimpleUploadedFile("scan.html", png_bytes(), content_type="text/html")
    doc = services.document_upload(
        actor=case_manager_a, participant=participant_a, kind="other", upload=upload, signed_on=today()
    )
    assert doc.content_type == "image/png"
    assert doc.file.name.endswith(".png")


# --- duplicates, merge and undo ---------------------------------------------------------------------------


def test_duplicate_decide(case_manager_a, program_manager_a, org_a, participant_a):
    other = make_participant(case_manager_a, org_a, legal_first_name="Eloise", legal_last_name="Gagnon")
    counts = Counts()
    row = services.duplicate_decide(
        actor=program_manager_a, first=other, second=participant_a, decision="not_same", reason="Autre date"
    )
    assert (row.first_id, row.second_id) == (participant_a.pk, other.pk)
    entries = new_entries(counts)
    assert [e.action for e in entries] == ["people.participant.not_duplicate"] * 2
    assert {e.participant_id for e in entries} == {participant_a.pk, other.pk}
    # Deciding again updates the same pair rather than adding one.
    services.duplicate_decide(actor=program_manager_a, first=participant_a, second=other, decision="linked")
    assert DuplicateDecision.objects.get().decision == "linked"
    with pytest.raises(ValidationError):
        services.duplicate_decide(actor=program_manager_a, first=other, second=other, decision="not_same")


@pytest.fixture
def two_files(case_manager_a, program_manager_a, org_a, partner_org, participant_a):
    """A kept file and a duplicate, each with one row of everything that hangs off a participant."""
    dup = make_participant(
        case_manager_a,
        org_a,
        legal_first_name="Eloise",
        legal_last_name="Gagnon",
        aliases=["Lili"],
        identifiers=[("shelter", "S-42")],
    )
    for p, tag in ((participant_a, "K"), (dup, "M")):
        services.alias_add(actor=case_manager_a, participant=p, name=f"Alias {tag}")
        services.identifier_add(actor=case_manager_a, participant=p, kind="hmis", value=f"HM-{tag}")
        services.support_contact_add(actor=case_manager_a, participant=p, name=f"Contact {tag}")
        services.household_member_add(
            actor=case_manager_a, participant=p, first_name=f"Enfant {tag}", relationship="child"
        )
        consent = share(case_manager_a, p, [partner_org], ["identity"])
        services.document_upload(
            actor=case_manager_a,
            participant=p,
            kind="release",
            upload=pdf_file(),
            signed_on=today(),
            consent=consent,
        )
    return participant_a, dup


RELATED = ("aliases", "identifiers", "support_contacts", "household_members", "consents", "documents")


def _rows(p):
    return {rel: set(getattr(p, rel).values_list("pk", flat=True)) for rel in RELATED}


@pytest.mark.smoke
def test_merge_moves_every_related_row_and_undo_restores_exactly(two_files, program_manager_a):
    kept, dup = two_files
    kept_rows, dup_rows = _rows(kept), _rows(dup)
    counts = Counts()
    result = services.participant_merge(
        actor=program_manager_a, kept=kept, merged=dup, reason="Même personne"
    )
    dup.refresh_from_db()
    kept.refresh_from_db()
    assert dup.merged_into_id == kept.pk
    assert _rows(dup) == {rel: set() for rel in RELATED}
    assert _rows(kept) == {rel: kept_rows[rel] | dup_rows[rel] for rel in RELATED}
    assert result.moved_count == sum(len(v) for v in dup_rows.values())
    assert "lili" in kept.search_text
    assert "s 42" in kept.search_text
    entries = new_entries(counts)
    assert [e.action for e in entries] == ["people.participant.merged"] * 2
    assert {e.participant_id for e in entries} == {kept.pk, dup.pk}
    assert DuplicateDecision.objects.get().decision == "merged"

    services.participant_merge_undo(actor=program_manager_a, merge=result.merge)
    dup.refresh_from_db()
    kept.refresh_from_db()
    assert dup.merged_into_id is None
    assert _rows(kept) == kept_rows
    assert _rows(dup) == dup_rows
    assert "lili" not in kept.search_text
    assert "lili" in dup.search_text
    assert not DuplicateDecision.objects.exists()
    merge = Merge.objects.get()
    assert merge.undone_by == program_manager_a
    assert [e.action for e in new_entries(counts)][-2:] == ["people.participant.merge_undone"] * 2
    with pytest.raises(ValidationError):
        services.participant_merge_undo(actor=program_manager_a, merge=merge)


def test_merge_refusals(two_files, program_manager_a, case_manager_a, org_a):
    kept, dup = two_files
    with pytest.raises(ValidationError):
        services.participant_merge(actor=program_manager_a, kept=kept, merged=kept)
    services.participant_merge(actor=program_manager_a, kept=kept, merged=dup)
    third = make_participant(case_manager_a, org_a, legal_first_name="Troisième")
    with pytest.raises(ValidationError):
        services.participant_merge(actor=program_manager_a, kept=kept, merged=dup)
    with pytest.raises(ValidationError):
        services.participant_merge(actor=program_manager_a, kept=dup, merged=third)


def test_merged_files_history_shows_from_the_kept_file(two_files, program_manager_a, case_manager_a):
    kept, dup = two_files
    dup_history = set(AuditEntry.objects.filter(participant=dup).values_list("pk", flat=True))
    assert dup_history
    services.participant_merge(actor=program_manager_a, kept=kept, merged=dup)
    access = selectors.participant_get_for_user(case_manager_a, kept.pk, log_read=False)
    history = set(selectors.file_history(access).values_list("pk", flat=True))
    assert dup_history <= history
    assert set(AuditEntry.objects.filter(participant=kept).values_list("pk", flat=True)) <= history


def test_history_page_of_kept_file_lists_merged_files_entries(two_files, program_manager_a, client_for):
    from django.urls import reverse

    kept, dup = two_files
    services.participant_merge(actor=program_manager_a, kept=kept, merged=dup)
    response = client_for(program_manager_a).get(reverse("people:history", args=[kept.pk]))
    assert response.status_code == 200
    page = response.context["page"]
    assert dup.pk in {e.participant_id for e in page.paginator.object_list}
