"""manage.py bench: what users get over real HTTP (issue 16).

For each size (10,000 and 100,000 participants by default) the bench builds the scale data once into its own
PostgreSQL database (reused by a marker afterwards), measures a copy of it (dropped at the end: the built
database is left as it was found), serves the copy with gunicorn in production settings on loopback, signs
in a user of each role through the real login and two-factor pages, asks every daily page 120 times after a
warm-up, checks each answer, and prints p50/p95, the server's SQL time and queries, page/SQL, the growth from
the smallest to the largest size, the background parts, and a load step with locust; each figure beside its
goal. The pieces are in ancrage/demo/bench/.

`--run-only` keeps the earlier in-process measurements (Django's test client on DATABASE_URL, no HTTP): a
quicker way to profile one page and to check query counts at scale; `run_*_measurements` below."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from ancrage.access.models import MATCH_IN_PROGRESS, ByNameEntry, ByNameStatus, Match, MatchStatus, Opening
from ancrage.accounts.models import User
from ancrage.core import clock
from ancrage.core.permissions import Role
from ancrage.demo.bench.http import SignInError
from ancrage.demo.bench.server import BenchError
from ancrage.demo.scale import SCALE_CONSORTIUM, SCALE_MISSIONS
from ancrage.housing.models import Unit
from ancrage.organisations.models import Program
from ancrage.people.models import Alias, Consent, Participant
from ancrage.people.selectors import participants_visible_to

NO_RESULT = "zzqxwv"


@dataclass
class Scenario:
    key: str
    label: str
    who: str
    user: User
    urls: list[str]


@dataclass
class Result:
    key: str
    label: str
    who: str
    median_ms: float
    p95_ms: float
    queries_min: int
    queries_max: int
    statuses: set[int]
    requests: int
    urls: list[str]

    @property
    def queries(self) -> str:
        if self.queries_min == self.queries_max:
            return str(self.queries_min)
        return f"{self.queries_min}-{self.queries_max}"


def _commonest_last_name(qs) -> str:
    row = qs.values("legal_last_name").annotate(n=Count("id")).order_by("-n", "legal_last_name").first()
    return row["legal_last_name"] if row else "Tremblay"


def _rarest_alias(participants) -> str | None:
    row = (
        Alias.objects.filter(participant__in=participants)
        .values("name")
        .annotate(n=Count("id"))
        .order_by("n", "name")
        .first()
    )
    return row["name"] if row else None


def _scenarios_for(who: str, user: User, visible) -> list[Scenario]:
    common = _commonest_last_name(visible)
    rare = _rarest_alias(visible)
    ids = list(visible.order_by("pk").values_list("pk", flat=True)[:20])
    if not ids:
        raise CommandError(f"The {who} sees no participant: run seed_scale first.")
    scenarios = [
        Scenario("list", "participant list, page 1", who, user, ["/participants/"]),
        Scenario(
            "search_common",
            f"search common last name ({common})",
            who,
            user,
            ["/participants/?" + urlencode({"q": common})],
        ),
    ]
    if rare:
        scenarios.append(
            Scenario(
                "search_rare",
                f"search rare alias ({rare})",
                who,
                user,
                ["/participants/?" + urlencode({"q": rare})],
            )
        )
    scenarios += [
        Scenario(
            "search_none", "search, no result", who, user, ["/participants/?" + urlencode({"q": NO_RESULT})]
        ),
        Scenario("detail", "participant detail", who, user, [f"/participants/{pk}/" for pk in ids]),
        Scenario(
            "api_list",
            f"API list ?q={common}",
            who,
            user,
            ["/api/v1/participants?" + urlencode({"q": common})],
        ),
    ]
    return scenarios


def bench_users() -> tuple[User, User]:
    """A case manager of the first scale mission, and the first scale partner representative."""
    case_manager = (
        User.objects.filter(
            memberships__role=Role.CASE_MANAGER,
            memberships__organisation__short_name=SCALE_MISSIONS[0],
            memberships__organisation__consortium__name=SCALE_CONSORTIUM["name"],
        )
        .order_by("username")
        .first()
    )
    partner = (
        User.objects.filter(
            memberships__role=Role.PARTNER,
            memberships__organisation__consortium__name=SCALE_CONSORTIUM["name"],
        )
        .order_by("username")
        .first()
    )
    if case_manager is None or partner is None:
        raise CommandError("No scale consortium in this database: run seed_scale first.")
    return case_manager, partner


def _percentile_95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def run_measurements(requests: int = 200, warmup: int = 10) -> list[Result]:
    """Time each scenario in this process, on the current database, through the whole Django stack."""
    case_manager, partner = bench_users()
    scenarios = _scenarios_for("case manager", case_manager, participants_visible_to(case_manager))
    scenarios += _scenarios_for("partner rep", partner, participants_visible_to(partner))
    return _time_scenarios(scenarios, requests=requests, warmup=warmup)


def _time_scenarios(scenarios: list[Scenario], *, requests: int, warmup: int) -> list[Result]:
    hosts = list(settings.ALLOWED_HOSTS)
    if "testserver" not in hosts:
        hosts.append("testserver")
    results = []
    with override_settings(ALLOWED_HOSTS=hosts):
        clients: dict[int, Client] = {}
        for scenario in scenarios:
            client = clients.get(scenario.user.pk)
            if client is None:
                client = clients[scenario.user.pk] = Client()
                client.force_login(scenario.user)
            timings: list[float] = []
            queries: list[int] = []
            statuses: set[int] = set()
            for index in range(warmup + requests):
                url = scenario.urls[index % len(scenario.urls)]
                # The query log holds 9,000 entries at most; empty it so each request is counted.
                connection.queries_log.clear()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    elapsed = time.perf_counter() - started
                if index < warmup:
                    continue
                timings.append(elapsed * 1000)
                queries.append(len(captured.captured_queries))
                statuses.add(response.status_code)
            results.append(
                Result(
                    key=scenario.key,
                    label=scenario.label,
                    who=scenario.who,
                    median_ms=statistics.median(timings),
                    p95_ms=_percentile_95(timings),
                    queries_min=min(queries),
                    queries_max=max(queries),
                    statuses=statuses,
                    requests=requests,
                    urls=scenario.urls,
                )
            )
    return results


def run_casework_measurements(requests: int = 200, warmup: int = 10) -> list[Result]:
    """Case management at scale (issue 4, part 12): a case manager's caseload page, their home page and the
    caseload API, and their team lead's daily meeting screen, on two years of contacts."""
    from ancrage.casework.models import Contact, Enrollment
    from ancrage.demo.scale_casework import team_lead_username

    case_manager, _partner = bench_users()
    lead = User.objects.filter(username=team_lead_username(SCALE_MISSIONS[0])).first()
    if lead is None:
        raise CommandError("No casework in the scale consortium: run seed_scale first.")
    active = Enrollment.objects.filter(status=Enrollment.Status.ACTIVE)
    mine = active.filter(primary_worker=case_manager).count()
    team = lead.active_memberships[0].team
    in_team = active.filter(team=team).count()
    contacts = Contact.objects.filter(enrollment__in=active.filter(team=team)).count()
    scenarios = [
        Scenario(
            "caseload", f"my caseload ({mine} participants)", "case manager", case_manager, ["/casework/"]
        ),
        Scenario("home", "home page (my day, caseload card)", "case manager", case_manager, ["/"]),
        Scenario("api_caseload", "API caseload", "case manager", case_manager, ["/api/v1/caseload"]),
        Scenario(
            "meeting",
            f"team meeting ({in_team} participants, {contacts} contacts)",
            "team lead",
            lead,
            ["/casework/meeting/"],
        ),
        Scenario(
            "meeting_flag",
            "team meeting, not seen this week",
            "team lead",
            lead,
            ["/casework/meeting/?flag=not_seen"],
        ),
    ]
    return _time_scenarios(scenarios, requests=requests, warmup=warmup)


def run_housing_measurements(requests: int = 200, warmup: int = 10) -> list[Result]:
    """The landlords' book at scale (issue 13): the availability list (page 1, and filtered by a borough, a
    size and a rent) over 20,000 units, and the book of landlords with its check-ins due."""
    specialist = User.objects.filter(username="scale.logement").first()
    if specialist is None:
        raise CommandError("No housing specialist in the scale consortium: run seed_scale first.")
    from ancrage.housing.models import Area

    borough = Area.objects.filter(kind=Area.Kind.BOROUGH, neighbourhoods__units__isnull=False).first()
    units = Unit.objects.count()
    filtered = urlencode({"area": borough.pk if borough else "", "bedrooms": 1, "max_rent": 1100})
    scenarios = [
        Scenario(
            "availability",
            f"availability list, page 1 ({units} units)",
            "housing specialist",
            specialist,
            ["/housing/availability/"],
        ),
        Scenario(
            "availability_filtered",
            "availability list, a borough, 1+ bedroom, rent up to 1100",
            "housing specialist",
            specialist,
            [f"/housing/availability/?{filtered}"],
        ),
        Scenario(
            "api_availability",
            "API units available",
            "housing specialist",
            specialist,
            ["/api/v1/units?available=true"],
        ),
        Scenario(
            "landlords_due",
            "landlords' book, check-ins due",
            "housing specialist",
            specialist,
            ["/housing/landlords/?overdue=on"],
        ),
    ]
    return _time_scenarios(scenarios, requests=requests, warmup=warmup)


@dataclass
class Timing:
    key: str
    label: str
    seconds: float
    detail: str


def _keep_active(people: int) -> int:
    """Leave the first `people` by-name entries active and the others inactive; returns how many are active."""
    active = ByNameEntry.objects.filter(status=ByNameStatus.ACTIVE)
    cutoff = active.order_by("pk").values_list("pk", flat=True)[people - 1 : people].first()
    if cutoff is not None:
        active.filter(pk__gt=cutoff).update(status=ByNameStatus.INACTIVE)
    return ByNameEntry.objects.filter(status=ByNameStatus.ACTIVE).count()


def _open_openings(count: int, actor: User) -> list[Opening]:
    """`count` open openings: slots in the Housing First programs and, for 40 %, available housing units."""
    programs = list(
        Program.objects.filter(is_active=True, kind__in=Program.HOUSING_FIRST_KINDS).order_by("pk")
    )
    if not programs:
        raise CommandError("No Housing First program in this database: run seed_scale first.")
    taken = Opening.objects.exclude(unit__isnull=True).values("unit_id")
    units = list(
        Unit.objects.filter(status=Unit.Status.AVAILABLE)
        .exclude(pk__in=taken)
        .order_by("pk")[: count * 2 // 5]
    )
    today = clock.today()
    rows = [Opening(unit=u, opened_on=today, opened_by=actor, note="bench") for u in units]
    rows += [
        Opening(program=programs[n % len(programs)], opened_on=today, opened_by=actor, note="bench")
        for n in range(count - len(rows))
    ]
    return Opening.objects.bulk_create(rows)


def _analyze() -> None:
    """Fresh planner statistics and no dead rows after bulk changes, as autovacuum gives a live database."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM cannot run in a transaction (the bench's own test runs in one): ANALYZE then.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def run_access_measurements(
    *, list_people: int = 20_000, openings: int = 500, requests: int = 200, warmup: int = 10
) -> tuple[list[Result], list[Timing]]:
    """Coordinated access at scale: every rank recomputed for all active people; then, with `list_people`
    active, the by-name list filtered and sorted by rank, and one matching run over `openings` openings.
    Writes to the database (ranks, statuses, openings, matches): run it on a bench database."""
    from ancrage.access import selectors as access_selectors
    from ancrage.access import services as access_services

    worker = User.objects.filter(username="scale.acces").first()
    if worker is None:
        raise CommandError("No scale consortium in this database: run seed_scale first.")
    timings = []
    everyone = ByNameEntry.objects.filter(status=ByNameStatus.ACTIVE).count()
    started = time.perf_counter()
    ranked = access_services.ranks_recompute()
    timings.append(
        Timing(
            "ranks",
            f"recompute every rank ({everyone} active)",
            time.perf_counter() - started,
            f"{ranked} ranked",
        )
    )
    active = _keep_active(list_people)
    if active != everyone:
        access_services.ranks_recompute()
    _analyze()
    url = "/access/?" + urlencode({"status": "active", "chronic": "yes", "sort": "rank"})
    scenario = Scenario(
        "by_name_list",
        f"by-name list ({active} active), chronic, by rank",
        "coordinated access",
        worker,
        [url],
    )
    results = _time_scenarios([scenario], requests=requests, warmup=warmup)

    Match.objects.filter(status__in=MATCH_IN_PROGRESS).update(status=MatchStatus.WITHDRAWN)
    Opening.objects.filter(status__in=[Opening.Status.OPEN, Opening.Status.MATCHING]).update(
        status=Opening.Status.CANCELLED
    )
    created = _open_openings(openings, worker)
    started = time.perf_counter()
    _openings, plan = access_selectors.matching_plan()
    timings.append(
        Timing(
            "matching_plan",
            f"matching plan ({len(created)} openings, {active} active)",
            time.perf_counter() - started,
            f"{len(plan.proposals)} proposals",
        )
    )
    started = time.perf_counter()
    matches = access_services.matching_run(actor=worker)
    timings.append(
        Timing(
            "matching_run",
            f"matching run ({len(created)} openings, {active} active)",
            time.perf_counter() - started,
            f"{len(matches)} proposals",
        )
    )
    return results, timings


def run_conference_measurements(
    *, requests: int = 200, warmup: int = 10
) -> tuple[list[Result], list[Timing]]:
    """Case conferencing at scale (issue 14): a table of 30 members over the whole list (the people flagged as
    stuck among every active person): building the agenda, its page for the facilitator and for a partner, the
    meeting screen, the API, and the agenda emailed to the 30 members. Writes to the bench database."""
    import datetime

    from ancrage.accounts.models import Membership
    from ancrage.conferences import mail
    from ancrage.conferences import services as conference_services
    from ancrage.organisations.models import Organisation

    worker = User.objects.filter(username="scale.acces").first()
    _case_manager, partner = bench_users()
    if worker is None:
        raise CommandError("No scale consortium in this database: run seed_scale first.")
    hub = worker.active_memberships[0].organisation
    orgs = list(
        Organisation.objects.filter(consortium=hub.consortium, is_active=True).order_by("kind", "short_name")
    )
    active = ByNameEntry.objects.filter(status=ByNameStatus.ACTIVE).count()
    # Ten percent of the list is stuck, as the daily job leaves them.
    ByNameEntry.objects.filter(
        pk__in=ByNameEntry.objects.filter(status=ByNameStatus.ACTIVE)
        .order_by("pk")
        .values("pk")[: active // 10]
    ).update(
        needs_conference=True,
        needs_conference_reason="no_eligible_program",
        needs_conference_since=clock.today(),
    )
    table = conference_services.table_create(
        actor=worker,
        organisation=hub,
        name=f"Bench {clock.now():%H%M%S}",
        start_time=datetime.time(9),
        place="Salle",
    )
    members = [worker, partner]
    candidates = (
        User.objects.filter(
            memberships__organisation__in=orgs,
            memberships__role__in=[Role.TEAM_LEAD, Role.CASE_MANAGER, Role.PROGRAM_MANAGER, Role.PARTNER],
            is_active=True,
        )
        .exclude(pk__in=[u.pk for u in members])
        .distinct()
        .order_by("username")
    )
    for user in candidates:
        if len(members) >= 30:
            break
        members.append(user)
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
    flagged = list(
        ByNameEntry.objects.filter(needs_conference=True, status=ByNameStatus.ACTIVE).select_related(
            "participant"
        )[:6]
    )
    timings = []
    started = time.perf_counter()
    for entry in flagged:
        conference_services.agenda_add(actor=worker, meeting=meeting, participant=entry.participant)
    timings.append(
        Timing(
            "agenda_build",
            f"agenda of {len(flagged)} people ({active} active)",
            time.perf_counter() - started,
            "",
        )
    )
    started = time.perf_counter()
    mail.agenda_send(actor=worker, meeting=meeting)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        sent = mail.deliveries_send(meeting_id=meeting.pk)
    timings.append(
        Timing(
            "agenda_email",
            f"agenda emailed to {len(members)} members",
            time.perf_counter() - started,
            f"{sent} sent",
        )
    )
    item = meeting.items.first()
    if item is None:
        raise CommandError("No person flagged for case conferencing in the scale consortium.")
    scenarios = [
        Scenario(
            "conf_meeting",
            f"meeting and agenda, {len(members)} members, {active} on the list",
            "coordinated access",
            worker,
            [f"/conferences/meetings/{meeting.pk}/"],
        ),
        Scenario(
            "conf_meeting_partner",
            "meeting and agenda (partner: consent needed)",
            "partner",
            partner,
            [f"/conferences/meetings/{meeting.pk}/"],
        ),
        Scenario(
            "conf_screen",
            "meeting screen, one person",
            "coordinated access",
            worker,
            [f"/conferences/meetings/{meeting.pk}/items/{item.pk}/"],
        ),
        Scenario(
            "conf_api",
            "API meeting and agenda",
            "coordinated access",
            worker,
            [f"/api/v1/conference-meetings/{meeting.pk}"],
        ),
    ]
    return _time_scenarios(scenarios, requests=requests, warmup=warmup), timings


def format_timings(timings: list[Timing]) -> str:
    header = ("operation", "seconds", "result")
    rows = [(t.label, f"{t.seconds:.2f}", t.detail) for t in timings]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for n, row in enumerate([header, *rows]):
        lines.append(
            "  ".join(
                str(cell).rjust(widths[i]) if i == 1 else str(cell).ljust(widths[i])
                for i, cell in enumerate(row)
            ).rstrip()
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_table(results: list[Result]) -> str:
    header = ("scenario", "user", "median ms", "p95 ms", "queries", "status")
    rows = [
        (
            r.label,
            r.who,
            f"{r.median_ms:.1f}",
            f"{r.p95_ms:.1f}",
            r.queries,
            ",".join(str(s) for s in sorted(r.statuses)),
        )
        for r in results
    ]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for n, row in enumerate([header, *rows]):
        cells = [
            str(cell).ljust(widths[i]) if i < 2 else str(cell).rjust(widths[i]) for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Measure the application over real HTTP (gunicorn, production settings) on generated scale data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-url", help="PostgreSQL URL naming the bench's databases (…/ancrage_bench)."
        )
        parser.add_argument(
            "--sizes", default="10000,100000", help="Participants of each size measured, comma-separated."
        )
        parser.add_argument("--requests", type=int, default=120, help="Measured requests per page.")
        parser.add_argument("--warmup", type=int, default=10, help="Unmeasured requests first.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers.")
        parser.add_argument(
            "--load-users", default="50,200", help="Signed-in staff of each load step (empty: no load step)."
        )
        parser.add_argument("--load-seconds", type=int, default=60, help="Length of each load step.")
        parser.add_argument("--dump", help="Write each page's last answer in this folder (SIZE/KEY.html).")
        parser.add_argument("--no-background", action="store_true", help="Skip the background parts.")
        parser.add_argument("--prepare", help=argparse.SUPPRESS)
        parser.add_argument("--rent-roll-json", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--tenancies", type=int, default=5000, help="Active tenancies for the rent roll.")
        # The earlier in-process measurements (Django's test client), on DATABASE_URL.
        parser.add_argument(
            "--run-only", action="store_true", help="In-process measurements on DATABASE_URL."
        )
        parser.add_argument(
            "--profile",
            help="(--run-only) profile this path with pyinstrument instead (e.g. /casework/meeting/).",
        )
        parser.add_argument(
            "--profile-user", default="scale.chef.m01", help="(--profile) the user asking it."
        )
        parser.add_argument("--list-people", type=int, default=20_000, help="(--run-only) active people.")
        parser.add_argument(
            "--openings", type=int, default=500, help="(--run-only) openings in the matching run."
        )

    def handle(self, *args, **options):
        if options["requests"] < 1 or options["warmup"] < 0:
            raise CommandError("--requests must be at least 1 and --warmup at least 0.")
        if options["prepare"]:
            self.prepare(options["prepare"])
            return
        if options["rent_roll_json"]:
            self.rent_roll_json(options["tenancies"])
            return
        if options["run_only"] and options["profile"]:
            self.profile(options["profile"], options["profile_user"], options["requests"], options["warmup"])
            return
        if options["run_only"]:
            self.measure(options)
            return
        url = options["database_url"]
        if not url:
            raise CommandError("--database-url is required (or --run-only).")
        try:
            sizes = sorted({int(s) for s in options["sizes"].split(",") if s.strip()})
            load_users = [int(s) for s in options["load_users"].split(",") if s.strip()]
        except ValueError as error:
            raise CommandError("--sizes and --load-users are comma-separated numbers.") from error
        if not sizes or min(sizes) < 1:
            raise CommandError("--sizes needs at least one positive size.")
        try:
            self.run_http(url, sizes, load_users, options)
        except (BenchError, SignInError) as error:
            raise CommandError(str(error)) from error

    def run_http(self, url: str, sizes: list[int], load_users: list[int], options) -> None:
        from ancrage.demo.bench import background, server
        from ancrage.demo.bench.load import run_load
        from ancrage.demo.bench.plan import Plan
        from ancrage.demo.bench.report import failures, format_pages, format_rows
        from ancrage.demo.bench.runner import measure_pages, sign_in_all

        server.check_name(server.database_name(url))
        began = time.perf_counter()
        pages: dict[int, list] = {}
        rows = []
        for size in sizes:
            self.stdout.write(f"== {size:,} participants ==")
            built = server.ensure_built(url, size, say=self.stdout.write)
            with server.copy_of(url, built) as run_url:
                with tempfile.TemporaryDirectory(prefix="ancrage-bench-") as folder:
                    plan_file = os.path.join(folder, "plan.json")
                    env = {**os.environ, "DATABASE_URL": run_url, "ANCRAGE_TESTING": "1"}
                    server.manage("bench", "--prepare", plan_file, env=env)
                    with open(plan_file, encoding="utf-8") as handle:
                        plan = Plan.from_json(json.load(handle))
                with server.gunicorn(run_url, workers=options["workers"]) as base_url:
                    clients = sign_in_all(plan, base_url)
                    self.stdout.write(
                        f"Signed in {len(clients)} users over HTTP ({base_url}, {options['workers']} workers); "
                        f"{len(plan.pages)} pages × {options['requests']} after {options['warmup']} warm-up."
                    )
                    pages[size] = measure_pages(
                        plan,
                        clients,
                        requests=options["requests"],
                        warmup=options["warmup"],
                        say=self.stdout.write,
                        dump=self._dump_folder(options["dump"], size),
                    )
                    if size == sizes[-1]:
                        sessions = {who: [client.cookies] for who, client in clients.items()}
                        mix = [
                            {
                                "key": p.key,
                                "who": p.who,
                                "paths": p.paths,
                                "marker": p.marker,
                                "status": p.status,
                                "weight": p.weight,
                            }
                            for p in plan.pages
                        ]
                        for users in load_users:
                            self.stdout.write(f"Load: {users} staff for {options['load_seconds']} s…")
                            result = run_load(
                                base_url, sessions, mix, users=users, seconds=options["load_seconds"]
                            )
                            rows += result.rows()
                if not options["no_background"]:
                    rows += background.run_parts(run_url, plan.participants)
        self.stdout.write("")
        self.stdout.write(
            f"Pages over HTTP (gunicorn, production settings, {options['workers']} sync workers, loopback; "
            f"n = {options['requests']} after warm-up; SQL and queries from the server's Server-Timing):"
        )
        self.stdout.write(format_pages(pages))
        if rows:
            self.stdout.write("")
            self.stdout.write(format_rows(rows))
        self.stdout.write(f"\nWhole bench: {time.perf_counter() - began:.0f} s.")
        problems = failures(pages)
        if problems:
            raise CommandError("Some answers were not the page expected:\n" + "\n".join(problems[:30]))

    @staticmethod
    def _dump_folder(folder: str | None, size: int) -> Path | None:
        if not folder:
            return None
        path = Path(folder) / str(size)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def prepare(self, path: str) -> None:
        """On the run's copy: credentials for the bench users and the plan, as JSON in `path`."""
        from ancrage.demo.bench.plan import build_plan

        plan = build_plan()
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(plan.as_json(), handle)

    def rent_roll_json(self, tenancies: int) -> None:
        from ancrage.demo.bench_rent import measure_roll_generation, seed_tenancies
        from ancrage.organisations.models import Consortium

        scale = Consortium.objects.get(name=SCALE_CONSORTIUM["name"])
        count = seed_tenancies(tenancies, scale)
        rent = measure_roll_generation(scale, runs=5)
        self.stdout.write(json.dumps({"tenancies": count, **rent}))

    def profile(self, path: str, username: str, requests: int, warmup: int) -> None:
        """Where the time of one page goes: pyinstrument over `requests` answers (in this process, Django's
        test client, on DATABASE_URL: it writes read entries there)."""
        from pyinstrument import Profiler

        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username}.")
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(ALLOWED_HOSTS=hosts):
            client = Client()
            client.force_login(user)
            for _ in range(warmup):
                client.get(path)
            profiler = Profiler(interval=0.0005)
            with CaptureQueriesContext(connection) as captured:
                profiler.start()
                for _ in range(requests):
                    response = client.get(path)
                profiler.stop()
        sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000 / requests
        self.stdout.write(
            f"{path} as {username}: status {response.status_code}, "
            f"{len(captured.captured_queries) / requests:.0f} queries and {sql_ms:.1f} ms of SQL a page"
        )
        self.stdout.write(profiler.output_text(unicode=True, color=False, show_all=False))

    def measure(self, options) -> None:
        participants = Participant.objects.count()
        consents = Consent.objects.count()
        self.stdout.write(
            f"Measuring on {connection.vendor} ({connection.settings_dict['NAME']}): "
            f"{participants} participants, {consents} consents; "
            f"{options['requests']} requests per scenario after {options['warmup']} warm-up requests."
        )
        results = run_measurements(requests=options["requests"], warmup=options["warmup"])
        self.stdout.write(format_table(results))
        from ancrage.casework.models import Contact

        self.stdout.write("")
        self.stdout.write(f"Case management ({Contact.objects.count()} contacts):")
        casework = run_casework_measurements(requests=options["requests"], warmup=options["warmup"])
        self.stdout.write(format_table(casework))
        results += casework
        self.stdout.write("")
        self.stdout.write(f"Housing ({Unit.objects.count()} units):")
        housing = run_housing_measurements(requests=options["requests"], warmup=options["warmup"])
        self.stdout.write(format_table(housing))
        results += housing
        self.stdout.write("")
        self.stdout.write(
            "Coordinated access (changes ranks, statuses, openings and matches in this database):"
        )
        access, timings = run_access_measurements(
            list_people=options["list_people"],
            openings=options["openings"],
            requests=options["requests"],
            warmup=options["warmup"],
        )
        self.stdout.write(format_table(access))
        self.stdout.write(format_timings(timings))
        results += access
        # The rent payment service (C5): a month's roll from 5,000 active tenancies, written set-based.
        from ancrage.demo.bench_rent import measure_roll_generation, seed_tenancies
        from ancrage.organisations.models import Consortium

        scale = Consortium.objects.get(name=SCALE_CONSORTIUM["name"])
        tenancies = seed_tenancies(options["tenancies"], scale)
        rent = measure_roll_generation(scale, runs=5)
        self.stdout.write(
            f"\nRent roll of a month from {tenancies} active tenancies ({rent['charges']} charges, "
            f"{rent['runs']} runs rolled back): median {rent['median_s'] * 1000:.0f} ms, "
            f"p95 {rent['p95_s'] * 1000:.0f} ms"
        )
        self.stdout.write("")
        self.stdout.write(
            "Case conferencing (a table of 30 members; writes a table, a meeting and its emails):"
        )
        conferences, conference_timings = run_conference_measurements(
            requests=options["requests"], warmup=options["warmup"]
        )
        self.stdout.write(format_table(conferences))
        self.stdout.write(format_timings(conference_timings))
        results += conferences
        failures = [r for r in results if r.statuses != {200}]
        if failures:
            raise CommandError("Some requests did not answer 200: " + ", ".join(r.label for r in failures))
