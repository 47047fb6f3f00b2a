"""Factories for the registry's tests."""

import datetime

import factory

from ancrage.accounts.models import Membership, User
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.organisations.models import Consortium, Organisation, Program, Team
from ancrage.people import services
from ancrage.people.models import Participant


class ConsortiumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consortium
        django_get_or_create = ["name"]

    name = "Consortium de test"
    short_name = "TST"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    consortium = factory.SubFactory(ConsortiumFactory)
    name = factory.Sequence(lambda n: f"Organisme {n}")
    short_name = factory.Sequence(lambda n: f"O{n}")
    kind = Organisation.Kind.MISSION


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Suivi intensif"
    name_en = "Intensive case management"
    kind = Program.Kind.ICM


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Équipe SIV"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Utilisateur{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def member(organisation: Organisation, role: str = Role.CASE_MANAGER, **user_kwargs) -> User:
    user = UserFactory(**user_kwargs)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def make_participant(actor: User, organisation: Organisation, **values) -> Participant:
    defaults = {
        "legal_first_name": "Jean",
        "legal_last_name": "Tremblay",
        "date_of_birth": datetime.date(1975, 4, 12),
        "dob_quality": "exact",
    }
    defaults.update(values)
    return services.participant_create(actor=actor, organisation=organisation, **defaults)


def share(actor: User, participant: Participant, organisations, categories, *, days: int = 365, **kwargs):
    start = kwargs.pop("starts_on", clock.today())
    return services.consent_record(
        actor=actor,
        participant=participant,
        organisations=list(organisations),
        categories=list(categories),
        purpose=kwargs.pop("purpose", "Coordination des services"),
        starts_on=start,
        expires_on=kwargs.pop("expires_on", start + datetime.timedelta(days=days)),
        method=kwargs.pop("method", "written"),
        **kwargs,
    )
