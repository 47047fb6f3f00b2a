"""What the HTTP bench asks of whom: run inside Django on the run's copy of the scale data (manage.py bench
--prepare), it gives the bench users a password and a TOTP device there (the copy is dropped afterwards:
the built database never holds them), finds the figures the pages need (a common name, a meeting…), and
writes the plan as JSON for the bench, which has no database of its own."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count

from ancrage.accounts.models import Membership, User
from ancrage.core import clock
from ancrage.core.permissions import Role


@dataclass
class BenchUser:
    who: str
    username: str
    password: str
    totp_key: str


@dataclass
class Page:
    """One page: asked `paths` in turn (one or several URLs), answered `status` with `marker` in it; its
    `weight` in the load step's mix."""

    key: str
    label: str
    who: str
    paths: list[str]
    marker: str
    weight: int = 1
    status: int = 200


@dataclass
class Plan:
    participants: int
    users: list[BenchUser] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    background: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Plan:
        return cls(
            participants=data["participants"],
            users=[BenchUser(**u) for u in data["users"]],
            pages=[Page(**p) for p in data["pages"]],
            background=data.get("background", []),
        )


def give_credentials(user: User, who: str) -> BenchUser:
    """A password and a confirmed TOTP device for `user`, in this (copied) database."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    password = secrets.token_urlsafe(18)
    user.set_password(password)
    user.is_active = True
    user.language = settings.LANGUAGE_CODE  # the markers of a few pages are their French titles
    user.save(update_fields=["password", "is_active", "language"])
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return BenchUser(who=who, username=user.username, password=password, totp_key=device.key)


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise LookupError(f"No user {username} in this database: is it the scale data (seed_scale)?")
    return user


def _commonest_last_name(qs) -> str:
    row = qs.values("legal_last_name").annotate(n=Count("id")).order_by("-n", "legal_last_name").first()
    return row["legal_last_name"] if row else "Tremblay"


def _conference_meeting(worker: User, partner: User):
    """A table of the coordinated access worker with a partner and case managers, a meeting in two days and
    six people on its agenda (people flagged as stuck, as the daily job leaves them)."""
    from ancrage.access.models import ByNameEntry, ByNameStatus
    from ancrage.conferences import services as conference_services

    hub = worker.active_memberships[0].organisation
    active = ByNameEntry.objects.filter(status=ByNameStatus.ACTIVE)
    ByNameEntry.objects.filter(
        pk__in=active.order_by("pk").values("pk")[: max(active.count() // 10, 6)]
    ).update(
        needs_conference=True,
        needs_conference_reason="no_eligible_program",
        needs_conference_since=clock.today(),
    )
    table = conference_services.table_create(
        actor=worker, organisation=hub, name="Bench", start_time=datetime.time(9), place="Salle"
    )
    members = [worker, partner]
    members += list(
        User.objects.filter(
            memberships__organisation__consortium=hub.consortium,
            memberships__role__in=[Role.TEAM_LEAD, Role.CASE_MANAGER],
            is_active=True,
        )
        .exclude(pk__in=[u.pk for u in members])
        .distinct()
        .order_by("username")[:28]
    )
    for user in members:
        membership = Membership.objects.filter(user=user, is_active=True).order_by("pk").first()
        assert membership is not None
        conference_services.member_add(
            actor=worker, table=table, user=user, organisation=membership.organisation
        )
    meeting = conference_services.meeting_create(
        actor=worker,
        table=table,
        starts_at=clock.start_of_day(clock.today() + datetime.timedelta(days=2)).replace(hour=9),
    )
    flagged = ByNameEntry.objects.filter(needs_conference=True, status=ByNameStatus.ACTIVE).select_related(
        "participant"
    )[:6]
    for entry in flagged:
        conference_services.agenda_add(actor=worker, meeting=meeting, participant=entry.participant)
    return meeting


def build_plan() -> Plan:
    """The users of each role of issue 16's table and every daily page, the housing, conference and reports
    pages included, with the string each answer must hold."""
    from ancrage.casework.models import Enrollment
    from ancrage.demo.scale import SCALE_MISSIONS, scale_structure
    from ancrage.demo.scale_casework import team_lead_username
    from ancrage.people.models import Participant
    from ancrage.people.selectors import participants_visible_to

    # Accounts added to the scale data since a database was built (get_or_create: found when there).
    scale_structure()
    mission = SCALE_MISSIONS[0].lower()
    users = {
        "coordinated access": _user("scale.acces"),
        "partner": _user("scale.partenaire.ps1"),
        "case manager": _user(f"scale.gc.{mission}.1"),
        "team lead": _user(team_lead_username(SCALE_MISSIONS[0])),
        "housing specialist": _user("scale.logement"),
    }
    plan = Plan(participants=Participant.objects.count())
    plan.users = [give_credentials(user, who) for who, user in users.items()]
    common = {
        who: _commonest_last_name(participants_visible_to(users[who]))
        for who in ("coordinated access", "partner")
    }
    mine = list(
        Enrollment.objects.filter(primary_worker=users["case manager"], status=Enrollment.Status.ACTIVE)
        .order_by("pk")
        .values_list("participant_id", flat=True)[:20]
    )
    meeting = _conference_meeting(users["coordinated access"], users["partner"])
    item = meeting.items.order_by("pk").first()

    def page(key, label, who, paths, marker, weight=1):
        plan.pages.append(
            Page(key, label, who, paths if isinstance(paths, list) else [paths], marker, weight)
        )

    ca, pa, cm, tl, hs = "coordinated access", "partner", "case manager", "team lead", "housing specialist"
    rank = "/access/?" + urlencode({"status": "active", "sort": "rank"})
    chronic = "/access/?" + urlencode({"status": "active", "chronic": "yes"})
    page("by_name_rank", "by-name list by rank", ca, rank, 'id="filters"', 8)
    page("by_name_chronic", "by-name list, active and chronic", ca, chronic, 'id="filters"', 4)
    page("api_by_name", "API by-name list", ca, "/api/v1/by-name-list", '"items"', 3)
    page(
        "search_ca",
        f"search {common[ca]}",
        ca,
        "/participants/?" + urlencode({"q": common[ca]}),
        common[ca],
        5,
    )
    page("list_partner", "participant list, page 1", pa, "/participants/", 'id="results"', 4)
    page(
        "search_partner",
        f"search {common[pa]}",
        pa,
        "/participants/?" + urlencode({"q": common[pa]}),
        common[pa],
        5,
    )
    page("list_cm", "participant list, page 1", cm, "/participants/", 'id="results"', 4)
    page("home_cm", "home", cm, "/", 'id="caseload-title"', 6)
    page("caseload", "my caseload", cm, "/casework/", 'id="list-title"', 6)
    page("api_caseload", "API caseload", cm, "/api/v1/caseload", '"rows"', 3)
    page(
        "detail_cm",
        "participant file",
        cm,
        [f"/participants/{pk}/" for pk in mine] or ["/participants/"],
        'id="casework-panel-title"',
        6,
    )
    page("visits", "visits", cm, "/casework/visits/", 'id="mine-heading"', 2)
    page("meeting", "team meeting", tl, "/casework/meeting/", 'id="summary-title"', 4)
    page("caseloads", "team caseloads", tl, "/casework/caseloads/", 'id="weights-title"', 2)
    page("reports", "reports", tl, "/reports/", "<title>Rapports", 2)
    page("availability", "availability list", hs, "/housing/availability/", 'id="availability-filters"', 3)
    page("units", "units", hs, "/housing/units/", 'id="id_status"', 2)
    page("landlords", "landlords' book", hs, "/housing/landlords/", 'id="book-filters"', 2)
    page("tenancies", "tenancies", hs, "/housing/tenancies/", "data-label=", 2)
    page("rent", "rent roll", hs, "/housing/rent/", 'id="months-title"', 1)
    page("outcomes", "housing outcomes", hs, "/housing/outcomes/", 'id="outcomes-chart"', 1)
    page("api_units", "API units available", hs, "/api/v1/units?available=true", '"items"', 1)
    page("conf_tables", "conference tables", ca, "/conferences/", "<title>Conférences de cas", 1)
    page(
        "conf_meeting",
        "conference meeting and agenda",
        ca,
        f"/conferences/meetings/{meeting.pk}/",
        'id="agenda-title"',
        2,
    )
    if item is not None:
        page(
            "conf_screen",
            "conference screen, one person",
            ca,
            f"/conferences/meetings/{meeting.pk}/items/{item.pk}/",
            'id="conference-screen"',
            1,
        )
    page(
        "conf_meeting_partner",
        "conference meeting (consent)",
        pa,
        f"/conferences/meetings/{meeting.pk}/",
        'id="agenda-title"',
        1,
    )
    page("conf_actions", "conference action items", ca, "/conferences/actions/", "<title>Actions", 1)
    return plan
