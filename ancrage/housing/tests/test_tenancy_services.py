"""Choice, tenancies, inspections, evictions and rehousing (C3, C4, C8): services and their bad inputs."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ancrage.core import clock
from ancrage.core.models import AuditEntry
from ancrage.housing import services_tenancies as ts
from ancrage.housing.models import HousingOption, HousingSearch, InspectionPhoto, Tenancy, Unit
from ancrage.housing.selectors_tenancies import choice_figures
from ancrage.housing.tests.tenancy_helpers import accepted_option, landlord_building, lease_values, make_unit
from ancrage.people.tests.factories import make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def building(shared_org):
    return landlord_building(shared_org)


@pytest.fixture
def units(housing_specialist, shared_org, building):
    return [
        make_unit(housing_specialist, shared_org, building, address=f"{n} rue des Érables") for n in (1, 2, 3)
    ]


def _errors(exc) -> dict:
    return exc.value.message_dict


def test_offer_rank_view_accept_choose_and_lease(housing_specialist, participant_a, units):
    search, options, option = accepted_option(housing_specialist, participant_a, units)
    ts.option_rank(actor=housing_specialist, option=options[0], rank=1, reasons="Près de ma sœur")
    moment = clock.now() + datetime.timedelta(days=1)
    ts.option_step(actor=housing_specialist, option=options[1], step="viewing_planned", at=moment)
    tenancy = ts.tenancy_create(
        actor=housing_specialist, participant=participant_a, unit=units[0], option=option, **lease_values()
    )
    option.refresh_from_db()
    search.refresh_from_db()
    units[0].refresh_from_db()
    assert option.chosen
    assert search.outcome == HousingSearch.Outcome.HOUSED
    assert units[0].status == Unit.Status.OCCUPIED
    assert tenancy.search == search
    assert tenancy.share_of_income == Decimal("0.320")
    assert AuditEntry.objects.filter(action="housing.tenancy.created", participant=participant_a).exists()
    assert HousingOption.objects.get(pk=options[0].pk).reasons == "Près de ma sœur"


def test_fewer_options_than_the_minimum_asks_for_a_reason(housing_specialist, participant_a, units):
    _search, _options, option = accepted_option(housing_specialist, participant_a, units[:1])
    with pytest.raises(ValidationError) as exc:
        ts.tenancy_create(
            actor=housing_specialist,
            participant=participant_a,
            unit=units[0],
            option=option,
            **lease_values(),
        )
    assert "few_options_reason" in _errors(exc)
    tenancy = ts.tenancy_create(
        actor=housing_specialist,
        participant=participant_a,
        unit=units[0],
        option=option,
        few_options_reason="Un seul logement adapté au fauteuil",
        **lease_values(),
    )
    assert tenancy.few_options_reason == "Un seul logement adapté au fauteuil"
    figures = choice_figures(start=clock.today(), end=clock.today())
    assert [(f.participant_id, f.options_offered, f.chosen) for f in figures] == [(participant_a.pk, 1, True)]


def test_a_unit_not_available_cannot_be_offered(housing_specialist, participant_a, units):
    from ancrage.housing import services as unit_services

    unit_services.unit_hold(actor=housing_specialist, unit=units[0], reason="Travaux")
    search = ts.search_start(actor=housing_specialist, participant=participant_a, started_on=clock.today())
    with pytest.raises(ValidationError) as exc:
        ts.option_offer(actor=housing_specialist, search=search, unit=units[0])
    assert "unit" in _errors(exc)
    ts.option_offer(actor=housing_specialist, search=search, unit=units[1])
    with pytest.raises(ValidationError):
        ts.option_offer(actor=housing_specialist, search=search, unit=units[1])


def test_a_unit_is_not_accepted_for_two_people(
    housing_specialist, case_manager_a, org_a, participant_a, units
):
    other = make_participant(case_manager_a, org_a, legal_first_name="Marc", legal_last_name="Roy")
    accepted_option(housing_specialist, participant_a, units)
    search = ts.search_start(actor=housing_specialist, participant=other, started_on=clock.today())
    with pytest.raises(ValidationError):
        ts.option_offer(actor=housing_specialist, search=search, unit=units[0])
    second = ts.option_offer(actor=housing_specialist, search=search, unit=units[1])
    ts.option_step(actor=housing_specialist, option=second, step="accepted")


def test_rank_is_bounded(housing_specialist, participant_a, units):
    _search, options, _option = accepted_option(housing_specialist, participant_a, units)
    with pytest.raises(ValidationError) as exc:
        ts.option_rank(actor=housing_specialist, option=options[0], rank=4)
    assert "rank" in _errors(exc)


def test_declining_needs_a_reason_and_choosing_needs_the_landlords_yes(
    housing_specialist, participant_a, units
):
    _search, options, _option = accepted_option(housing_specialist, participant_a, units)
    with pytest.raises(ValidationError):
        ts.option_step(actor=housing_specialist, option=options[1], step="declined")
    with pytest.raises(ValidationError):
        ts.option_step(actor=housing_specialist, option=options[1], step="chosen")
    ts.option_step(actor=housing_specialist, option=options[1], step="declined", reason="Trop loin")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        # A lease ending the day before it starts (the day is read when the test runs, not at import).
        ({"lease_end": "day before start"}, "lease_end"),
        ({"lease_start": datetime.date(1, 1, 1)}, "lease_start"),
        ({"lease_start": datetime.date(9999, 12, 31), "lease_end": None}, "lease_start"),
        ({"monthly_rent": Decimal("-1")}, "monthly_rent"),
        ({"deposit": Decimal("-5")}, "deposit"),
        ({"participant_share": Decimal("1000.00")}, "participant_share"),
        ({"lease_kind": "head_lease"}, "head_lease_holder"),
        ({"lease_kind": "nope"}, "lease_kind"),
        ({"supplement_source": ""}, "supplement_source"),
        ({"supplement_source": "x\x00y"}, "supplement_source"),
    ],
)
def test_bad_leases_are_refused_in_words(housing_specialist, participant_a, units, overrides, field):
    if overrides.get("lease_end") == "day before start":
        overrides = {"lease_end": lease_values()["lease_start"] - datetime.timedelta(days=1)}
    with pytest.raises(ValidationError) as exc:
        ts.tenancy_create(
            actor=housing_specialist,
            participant=participant_a,
            unit=units[0],
            few_options_reason="x",
            **lease_values(**overrides),
        )
    assert field in _errors(exc)
    assert not Tenancy.objects.exists()
    units[0].refresh_from_db()
    assert units[0].status == Unit.Status.AVAILABLE


def test_a_unit_outside_the_book_cannot_be_leased(housing_specialist, shared_org, participant_a):
    loose = make_unit(housing_specialist, shared_org, None)
    with pytest.raises(ValidationError) as exc:
        ts.tenancy_create(actor=housing_specialist, participant=participant_a, unit=loose, **lease_values())
    assert "unit" in _errors(exc)


def test_overlapping_tenancies_are_refused_except_the_day_of_the_move(
    housing_specialist, case_manager_a, org_a, participant_a, units
):
    start = clock.today() - datetime.timedelta(days=100)
    first = ts.tenancy_create(
        actor=housing_specialist,
        participant=participant_a,
        unit=units[0],
        **lease_values(lease_start=start, lease_end=None),
    )
    with pytest.raises(ValidationError) as exc:
        ts.tenancy_create(
            actor=housing_specialist, participant=participant_a, unit=units[1], **lease_values()
        )
    assert "lease_start" in _errors(exc)
    # Another person in the same unit: refused too.
    other = make_participant(case_manager_a, org_a, legal_first_name="Marc", legal_last_name="Roy")
    with pytest.raises(ValidationError) as exc:
        ts.tenancy_create(actor=housing_specialist, participant=other, unit=units[0], **lease_values())
    assert "unit" in _errors(exc)
    # Ended the day the next one starts: the move is allowed, and the new tenancy follows the old one.
    ts.tenancy_end(actor=housing_specialist, tenancy=first, ended_on=clock.today(), reason="moved_by_choice")
    second = ts.tenancy_create(
        actor=housing_specialist, participant=participant_a, unit=units[1], **lease_values()
    )
    assert second.previous == first
    units[0].refresh_from_db()
    assert units[0].status == Unit.Status.AVAILABLE


def test_renewal_updates_the_terms_and_keeps_the_history(housing_specialist, participant_a, units):
    tenancy = ts.tenancy_create(
        actor=housing_specialist, participant=participant_a, unit=units[0], **lease_values()
    )
    new_end = clock.today() + datetime.timedelta(days=730)
    with pytest.raises(ValidationError) as exc:
        ts.tenancy_renew(
            actor=housing_specialist,
            tenancy=tenancy,
            renewed_on=clock.today(),
            new_end=new_end,
            new_rent=Decimal("950"),
            new_share=Decimal("960"),
        )
    assert "new_share" in _errors(exc)
    renewal = ts.tenancy_renew(
        actor=housing_specialist,
        tenancy=tenancy,
        renewed_on=clock.today(),
        new_end=new_end,
        new_rent=Decimal("950"),
        new_share=Decimal("330"),
    )
    tenancy.refresh_from_db()
    assert tenancy.monthly_rent == Decimal("950.00")
    assert tenancy.lease_end == new_end
    assert renewal.previous_rent == Decimal("900.00")


def test_end_twice_or_before_the_start_is_refused(housing_specialist, participant_a, units):
    tenancy = ts.tenancy_create(
        actor=housing_specialist, participant=participant_a, unit=units[0], **lease_values()
    )
    with pytest.raises(ValidationError) as exc:
        ts.tenancy_end(
            actor=housing_specialist,
            tenancy=tenancy,
            ended_on=clock.today() - datetime.timedelta(days=1),
            reason="moved_by_choice",
        )
    assert "ended_on" in _errors(exc)
    ts.tenancy_end(
        actor=housing_specialist, tenancy=tenancy, ended_on=clock.today(), reason="moved_by_choice"
    )
    with pytest.raises(ValidationError):
        ts.tenancy_end(actor=housing_specialist, tenancy=tenancy, ended_on=clock.today(), reason="other")


def test_eviction_opens_a_rehousing_search_and_the_next_lease_follows(
    housing_specialist, participant_a, units
):
    start = clock.today() - datetime.timedelta(days=200)
    tenancy = ts.tenancy_create(
        actor=housing_specialist,
        participant=participant_a,
        unit=units[0],
        **lease_values(lease_start=start, lease_end=None),
    )
    with pytest.raises(ValidationError) as exc:
        ts.eviction_record(actor=housing_specialist, tenancy=tenancy, left_on=clock.today(), causes=[])
    assert "causes" in _errors(exc)
    eviction = ts.eviction_record(
        actor=housing_specialist,
        tenancy=tenancy,
        left_on=clock.today() - datetime.timedelta(days=10),
        notice_received_on=clock.today() - datetime.timedelta(days=40),
        causes=["arrears", "guests"],
        what_led="Des invités qui restaient",
        learning_plan="Je dis non aux invités la semaine",
        plan_agreed_on=clock.today(),
    )
    tenancy.refresh_from_db()
    assert tenancy.end_reason == Tenancy.EndReason.EVICTION
    search = HousingSearch.objects.get(participant=participant_a, ended_on__isnull=True)
    assert search.after_tenancy == tenancy
    stay = ts.temporary_stay_record(
        actor=housing_specialist,
        participant=participant_a,
        kind="motel",
        place="Motel Ville-Marie",
        stay_from=clock.today() - datetime.timedelta(days=10),
        eviction=eviction,
    )
    assert stay.expense is None
    with pytest.raises(ValidationError):
        ts.temporary_stay_record(
            actor=housing_specialist,
            participant=participant_a,
            kind="motel",
            stay_from=clock.today(),
            stay_to=clock.today() - datetime.timedelta(days=1),
        )
    option = ts.option_offer(actor=housing_specialist, search=search, unit=units[1])
    ts.option_step(actor=housing_specialist, option=option, step="accepted")
    second = ts.tenancy_create(
        actor=housing_specialist,
        participant=participant_a,
        unit=units[1],
        option=option,
        few_options_reason="Urgence",
        **lease_values(),
    )
    assert second.previous == tenancy


def _png(size=(8, 8)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def inspection(housing_specialist, participant_a, units):
    tenancy = ts.tenancy_create(
        actor=housing_specialist, participant=participant_a, unit=units[0], **lease_values()
    )
    return ts.inspection_record(
        actor=housing_specialist,
        unit=units[0],
        tenancy=tenancy,
        kind="move_in",
        inspected_on=clock.today(),
        condition="good",
    )


def test_a_real_png_is_kept_under_a_path_no_one_can_guess(housing_specialist, inspection):
    photo = ts.photo_add(
        actor=housing_specialist,
        inspection=inspection,
        upload=SimpleUploadedFile("cuisine.png", _png(), content_type="image/png"),
    )
    assert photo.content_type == "image/png"
    assert photo.image.name.startswith("inspections/")
    assert "cuisine" not in photo.image.name
    assert (photo.width, photo.height) == (8, 8)


@pytest.mark.parametrize(
    "content",
    [
        b"Ceci n'est pas une image",
        _png()[:60],
    ],
    ids=["text-renamed-jpg", "truncated"],
)
def test_not_an_image_is_refused(housing_specialist, inspection, content):
    upload = SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        ts.photo_add(actor=housing_specialist, inspection=inspection, upload=upload)
    assert "image" in _errors(exc)
    assert not InspectionPhoto.objects.exists()


def test_a_decompression_bomb_is_refused(housing_specialist, inspection, settings):
    settings.ANCRAGE = {**settings.ANCRAGE, "INSPECTION_PHOTO_MAX_PIXELS": 10_000}
    upload = SimpleUploadedFile("bombe.png", _png((400, 400)), content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        ts.photo_add(actor=housing_specialist, inspection=inspection, upload=upload)
    assert "pixels" in str(exc.value)


def test_a_gif_is_not_an_allowed_format(housing_specialist, inspection):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="GIF")
    upload = SimpleUploadedFile("x.gif", buffer.getvalue(), content_type="image/gif")
    with pytest.raises(ValidationError):
        ts.photo_add(actor=housing_specialist, inspection=inspection, upload=upload)


def test_a_lease_belongs_to_the_program_following_the_participant_that_day(
    housing_specialist, case_manager_a, participant_a, units
):
    """C7, C9: a lease recorded without a program is the program of the enrollment active on its first day (case
    management says which), so its budgets and outcomes count it there; an ended enrollment does not."""
    from ancrage.casework.models import Enrollment
    from ancrage.casework.tests.plans_helpers import enroll

    enrollment = enroll(case_manager_a, participant_a, on=clock.today() - datetime.timedelta(days=60))
    tenancy = ts.tenancy_create(
        actor=housing_specialist,
        participant=participant_a,
        unit=units[0],
        few_options_reason="x",
        **lease_values(),
    )
    assert tenancy.program_id == enrollment.program_id
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status="exited", exited_on=clock.today() - datetime.timedelta(days=1)
    )
    ts.tenancy_end(
        actor=housing_specialist, tenancy=tenancy, ended_on=clock.today(), reason="moved_by_choice"
    )
    later = ts.tenancy_create(
        actor=housing_specialist,
        participant=participant_a,
        unit=units[1],
        few_options_reason="x",
        **lease_values(lease_start=clock.today() + datetime.timedelta(days=1), lease_end=None),
    )
    assert later.program_id is None
