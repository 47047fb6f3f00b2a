"""`participants_create_many` and `participants_update_many`: the same participants, identifiers and audit
entries as `participant_create` + `identifier_add` and `participant_update`, written in bulk."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction

from ancrage.core.models import AuditEntry
from ancrage.core.text import normalise
from ancrage.people import services
from ancrage.people.models import Alias, Identifier, Participant

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 15, 16, 0, tzinfo=datetime.UTC)
VALUES = {
    "legal_first_name": "  Éloïse-Marie ",
    "legal_last_name": "O'Brien",
    "date_of_birth": datetime.date(1980, 2, 29),
    "dob_quality": "exact",
    "gender": "woman",
    "indigenous_identity": "first_nations",
}
IGNORED = {"id", "community_id", "created_at", "updated_at"}


@pytest.fixture
def pinned():
    with time_machine.travel(NOON, tick=False):
        yield


def _fields(participant: Participant) -> dict:
    values = Participant.objects.filter(pk=participant.pk).values().get()
    return {k: v for k, v in values.items() if k not in IGNORED}


def _entries(participant: Participant) -> list[tuple]:
    def plain(data):
        changes = {k: v for k, v in data.get("changes", {}).items() if k not in {"id", "community_id"}}
        return {**data, "changes": changes} if "changes" in data else data

    return sorted(
        (e.action, e.actor_id, e.organisation_id, e.object_type, str(plain(e.data)))
        for e in AuditEntry.objects.filter(participant=participant)
    )


def test_a_participant_made_in_bulk_is_the_one_the_single_services_make(pinned, case_manager_a, org_a):
    single = services.participant_create(actor=case_manager_a, organisation=org_a, **VALUES)
    services.identifier_add(actor=case_manager_a, participant=single, kind="hmis", value=" C1 ", issuer="SGI")
    [many] = services.participants_create_many(
        actor=case_manager_a,
        organisation=org_a,
        rows=[services.NewParticipant(VALUES, " C2 ")],
        kind="hmis",
        issuer="SGI",
    )
    assert isinstance(many, Participant)
    expected = _fields(single)
    expected["search_text"] = (
        expected["search_text"]
        .replace("c1", "c2")
        .replace(normalise(single.community_id), normalise(many.community_id))
    )
    assert _fields(many) == expected
    assert many.search_text == _fields(many)["search_text"]
    assert many.community_id.startswith(single.community_id.split("-")[0] + "-")
    assert len(many.community_id) == len(single.community_id)
    assert Identifier.objects.filter(participant=many).values("kind", "value", "issuer").get() == {
        "kind": "hmis",
        "value": "C2",
        "issuer": "SGI",
    }
    assert _entries(many) == _entries(single)
    snapshot = AuditEntry.objects.get(participant=many, action="people.participant.created").data["changes"]
    assert snapshot["community_id"] == [None, many.community_id]
    assert snapshot["date_of_birth"][0] == ""
    assert "1980" not in str(snapshot["date_of_birth"])
    added = AuditEntry.objects.get(participant=many, action="people.identifier.added")
    assert added.object_id == str(Identifier.objects.get(participant=many).pk)


def test_refusals_are_those_of_the_single_services_and_write_nothing(pinned, case_manager_a, org_a):
    services.participants_create_many(
        actor=case_manager_a,
        organisation=org_a,
        rows=[services.NewParticipant(VALUES, "taken")],
        kind="hmis",
        issuer="SGI",
    )
    rows = [
        services.NewParticipant(VALUES | {"date_of_birth": datetime.date(9999, 1, 1)}, "A"),
        services.NewParticipant(VALUES | {"legal_last_name": "   "}, "B"),
        services.NewParticipant(VALUES, "TAKEN"),
        services.NewParticipant(VALUES, "   "),
        services.NewParticipant(VALUES, "twice"),
        services.NewParticipant(VALUES, "Twice"),
        services.NewParticipant(VALUES | {"legal_first_name": "x" * 100}, "ok"),
    ]
    before = Participant.objects.count()
    results = services.participants_create_many(
        actor=case_manager_a, organisation=org_a, rows=rows, kind="hmis", issuer="SGI"
    )
    for row, result in zip(rows[:4], results[:4], strict=True):
        single = None
        try:
            with transaction.atomic():
                created = services.participant_create(actor=case_manager_a, organisation=org_a, **row.values)
                services.identifier_add(
                    actor=case_manager_a, participant=created, kind="hmis", value=row.identifier, issuer="SGI"
                )
        except ValidationError as exc:
            single = exc
        assert isinstance(result, ValidationError)
        assert single is not None
        assert result.message_dict == single.message_dict
    assert isinstance(results[4], Participant)
    assert isinstance(results[5], ValidationError)
    assert isinstance(results[6], Participant)
    assert Participant.objects.count() == before + 2
    assert sorted(Identifier.objects.filter(issuer="SGI").values_list("value", flat=True)) == [
        "ok",
        "taken",
        "twice",
    ]


def test_a_home_organisation_that_cannot_hold_files_is_refused(pinned, case_manager_a, partner_org):
    with pytest.raises(ValidationError):
        services.participants_create_many(
            actor=case_manager_a,
            organisation=partner_org,
            rows=[services.NewParticipant(VALUES, "C9")],
            kind="hmis",
            issuer="SGI",
        )
    with pytest.raises(TypeError):
        services.participants_create_many(
            actor=case_manager_a,
            organisation=partner_org,
            rows=[services.NewParticipant({"portal_user": None}, "C9")],
            kind="hmis",
            issuer="SGI",
        )
    assert not Identifier.objects.filter(value="C9").exists()


def test_an_update_in_bulk_is_the_one_participant_update_makes(pinned, case_manager_a, org_a):
    one = services.participant_create(actor=case_manager_a, organisation=org_a, **VALUES)
    two = services.participant_create(actor=case_manager_a, organisation=org_a, **VALUES)
    for p in (one, two):
        Alias.objects.create(participant=p, name="Lolo")
        services.identifier_add(
            actor=case_manager_a, participant=p, kind="hmis", value=f"N{p.pk}", issuer="S"
        )
    change = {"legal_last_name": "Tremblay", "date_of_birth": datetime.date(1981, 3, 1)}
    services.participant_update(actor=case_manager_a, participant=one, **change)
    bad = {"date_of_birth": datetime.date(9999, 1, 1)}
    results = services.participants_update_many(actor=case_manager_a, changes=[(two, change), (two, bad)])
    assert isinstance(results[0], Participant)
    assert isinstance(results[1], ValidationError)
    expected = _fields(one)
    expected["search_text"] = (
        expected["search_text"]
        .replace(f"n{one.pk}", f"n{two.pk}")
        .replace(normalise(one.community_id), normalise(two.community_id))
    )
    assert _fields(two) == expected
    assert "lolo" in expected["search_text"]
    assert _entries(two) == _entries(one)


def test_identifiers_held_are_read_once_and_kept_by_the_caller(pinned, case_manager_a, org_a):
    services.participants_create_many(
        actor=case_manager_a,
        organisation=org_a,
        rows=[services.NewParticipant(VALUES, "Held")],
        kind="hmis",
        issuer="SGI",
    )
    taken = services.held_identifiers("hmis", "SGI")
    assert taken == {"held"}
    assert services.held_identifiers("hmis", "SGI", among={"x", "held"}) == {"held"}
    assert services.held_identifiers("hmis", "Other") == set()
    first = services.participants_create_many(
        actor=case_manager_a,
        organisation=org_a,
        rows=[services.NewParticipant(VALUES, "HELD"), services.NewParticipant(VALUES, "Ab")],
        kind="hmis",
        issuer="SGI",
        taken=taken,
    )
    assert isinstance(first[0], ValidationError)
    assert isinstance(first[1], Participant)
    assert taken == {"held", "ab"}  # what the call wrote is added for the next one
    # A later call with the same set refuses a case variant of what the earlier call wrote.
    [second] = services.participants_create_many(
        actor=case_manager_a,
        organisation=org_a,
        rows=[services.NewParticipant(VALUES, "aB")],
        kind="hmis",
        issuer="SGI",
        taken=taken,
    )
    assert isinstance(second, ValidationError)
    assert Identifier.objects.filter(issuer="SGI").count() == 2


def test_community_codes_are_six_base_31_digits_of_one_draw(monkeypatch):
    alphabet = services._ID_ALPHABET
    draws = iter([0, 31**6 - 1, 1 + 2 * 31 + 30 * 31**5])

    def randbelow(n: int) -> int:
        assert n == 31**6  # one draw among every code
        return next(draws)

    monkeypatch.setattr(services.secrets, "randbelow", randbelow)
    assert services._random_code() == alphabet[0] * 6
    assert services._random_code() == alphabet[30] * 6
    assert services._random_code() == alphabet[1] + alphabet[2] + alphabet[0] * 3 + alphabet[30]
