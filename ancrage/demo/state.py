"""What the demo builders' mixins share: their state, time and randomness helpers, and each other's methods."""

from __future__ import annotations

import contextlib
import datetime
import functools
import heapq
import inspect
import itertools
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from faker import Faker

from ancrage.access import services as access_services
from ancrage.accounts.models import User
from ancrage.assessments.models import InstrumentVersion
from ancrage.core import clock
from ancrage.organisations.models import Organisation

if TYPE_CHECKING:
    from ancrage.assessments.models import Administration
    from ancrage.casework.contacts.services import ContactToLog
    from ancrage.casework.models import Incident, ServiceProvider
    from ancrage.demo.builder import DemoBuilder
    from ancrage.demo.plan import Episode, Journey
    from ancrage.organisations.models import Program, Team

T = TypeVar("T")


def draw_weighted(rng: random.Random, pairs: Iterable[tuple[T, float]]) -> T:
    """One value of `(value, weight)` pairs, drawn from `rng` in proportion to its weight."""
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def before_now(now: datetime.datetime, day: datetime.date, minutes: int) -> datetime.datetime:
    """A moment `minutes` before `now`, but still on `day` (the story's last day, when its working hours are
    not over): a moment of the evening before would date an event of `day` the day before it happened."""
    earlier = now - datetime.timedelta(minutes=minutes)
    start = clock.start_of_day(day)
    if earlier >= start or now <= start:
        return earlier
    # Early in the morning: between midnight and now, as far back as `minutes` is in its range.
    return now - (now - start) * (minutes / (minutes + 60))


@functools.cache
def without_own_savepoint(service: Callable[..., T]) -> Callable[..., T]:
    """A service decorated with `@transaction.atomic`, without that decorator (which keeps the function it
    wraps as `__wrapped__`): called inside a transaction, its writes join it with no savepoint of their own.
    Any other callable is returned as it is."""
    wrapped = getattr(service, "__wrapped__", None)
    code = getattr(service, "__code__", None)
    if wrapped is None or code is None or code.co_qualname != "ContextDecorator.__call__.<locals>.inner":
        return service
    decorator = inspect.getclosurevars(service).nonlocals.get("self")
    if (
        isinstance(decorator, transaction.Atomic)
        and decorator.using in {None, DEFAULT_DB_ALIAS}
        and not getattr(decorator, "durable", False)
    ):
        return wrapped
    return service


class DemoState:
    """The demo builder's state (`DemoBuilder` and the mixins it is made of): the story's moment, its random
    streams, and the consortium's structure once it is made."""

    def __init__(self, seed: int, as_of: datetime.datetime, fake: dict[str, Faker]):
        self.seed = seed
        self.rng = random.Random(seed)
        self.fake = fake
        # The moment the story ends: nothing it tells happens after it (plans may look ahead of it).
        self.now = as_of
        self.today = clock.localdate(self.now)
        self.tz = timezone.get_current_timezone()
        self.orgs: dict[str, Organisation] = {}
        self.users: dict[str, User] = {}
        self.case_managers: dict[str, list[User]] = {}
        self.staff_by_org: dict[str, list[User]] = {}
        self._used_identifiers: set[tuple[str, str]] = set()
        self.pdf_cache: dict[str, bytes] = {}
        self.versions: dict[str, InstrumentVersion] = {}
        self.casework: dict[str, Any] = {}
        # Service calls kept for later (`AccessMixin.later_on`): (moment, order kept, service, its arguments).
        self._pending: list[tuple[datetime.datetime, int, Callable[..., object], dict[str, Any]]] = []
        # The story's one timeline (`on_timeline`): the list's living situations and status changes, the
        # matching rounds and each match's steps, run in the order of their moments.
        self.timeline: list[tuple[datetime.datetime, int, Callable[..., object], dict[str, Any]]] = []
        self._timeline_order = itertools.count()
        self._timeline_moment: datetime.datetime | None = None
        # (participant, day) of the journeys' moves into housing that a match with a unit makes instead.
        self.housed_by_match: set[tuple[int, datetime.date]] = set()
        # Each listed person's planned statuses and the days they begin (participant id: journey events).
        self.planned: dict[int, list[tuple[str, datetime.date]]] = {}

    # -- time helpers

    def at(self, day: datetime.date) -> datetime.datetime:
        """A moment on `day` during working hours, never in the future."""
        minutes = self.rng.randint(8 * 60 + 30, 18 * 60)
        # Drawn every time, so the random sequence does not depend on the hour the demo is built.
        earlier = self.rng.randint(2, 120)
        moment = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), tzinfo=self.tz)
        if moment > self.now:
            moment = before_now(self.now, day, earlier)
        return moment

    def day_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def later(self, moment: datetime.datetime, minutes: int) -> datetime.datetime:
        """`minutes` after `moment`, never after the end of the story."""
        return min(self.now, moment + datetime.timedelta(minutes=minutes))

    def run(self, moment: datetime.datetime, service: Callable[..., T], /, **kwargs: Any) -> T:
        """Run a service at `moment`: what it writes (its rows, its audit entry) is dated then, so no history
        is rewritten afterwards. A refusal names the service and the moment: a demo that breaks a rule is a bug.

        Inside the build's transaction, the service runs without the savepoint of its own atomic block
        (`without_own_savepoint`): nothing recovers from a refusal met here (the build fails, and its
        transaction leaves the database as it was), so that savepoint would only cost two statements a call.
        A service the demo may see refused and go on (`with_ratio_reason`, the furniture bank) is called
        directly, with its savepoint."""
        name = getattr(service, "__name__", repr(service))
        if moment > self.now:
            raise ValueError(f"{name} planned at {moment:%Y-%m-%d %H:%M}, after the demo's end")
        if transaction.get_connection().in_atomic_block:
            service = without_own_savepoint(service)
        try:
            with clock.at(moment):
                return service(**kwargs)
        except ValidationError as exc:
            raise ValidationError(f"{name} at {moment:%Y-%m-%d %H:%M}: {exc}") from exc

    # -- the one timeline

    def on_timeline(self, moment: datetime.datetime, action: Callable[..., object], /, **kwargs: Any) -> None:
        """Put `action(moment, **kwargs)` on the timeline: it runs after every event of an earlier moment (and
        after those of the same moment put there before it). An event may put later events on it."""
        if self._timeline_moment is not None and moment < self._timeline_moment:
            raise ValueError(
                f"{action.__name__} planned at {moment:%Y-%m-%d %H:%M}, before the timeline's moment"
            )
        heapq.heappush(self.timeline, (moment, next(self._timeline_order), action, kwargs))

    def service_on_timeline(
        self, moment: datetime.datetime, service: Callable[..., object], /, **kwargs: Any
    ) -> None:
        """Run a service at `moment` when the timeline reaches it."""
        self.on_timeline(moment, self._run_service, service=service, kwargs=kwargs)

    def _run_service(
        self, moment: datetime.datetime, *, service: Callable[..., object], kwargs: dict[str, Any]
    ) -> None:
        self.run(moment, service, **kwargs)

    def run_timeline(self) -> None:
        # A living situation's refresh of the person's chronic figures is written with those of the records
        # that follow it, in one go, before the next event of another kind: every other event sees the list
        # as it would be had each record refreshed its own entry.
        with access_services.chronic_refresh_deferred():
            while self.timeline:
                moment, _n, action, kwargs = heapq.heappop(self.timeline)
                if kwargs.get("service") is not access_services.living_situation_record:
                    access_services.chronic_refresh_flush()
                self._timeline_moment = moment
                action(moment, **kwargs)
        self._timeline_moment = None

    # -- randomness

    def stream(self, kind: str, key: object) -> random.Random:
        """A random stream of its own for one entity: drawing more for one person (or one day more of history)
        does not change anyone else's story."""
        return random.Random(f"{self.seed}:{kind}:{key}")

    def weighted(self, pairs: Iterable[tuple[T, float]]) -> T:
        return draw_weighted(self.rng, pairs)

    @contextlib.contextmanager
    def drawing(self, kind: str, key: object) -> Iterator[random.Random]:
        """Draw from one entity's own stream (and its own Faker sequence) inside the block."""
        previous = self.rng
        self.rng = self.stream(kind, key)
        for n, fake in enumerate(self.fake.values()):
            fake.seed_instance(f"{self.seed}:{kind}:{key}:{n}")
        try:
            yield self.rng
        finally:
            self.rng = previous

    # -- what one mixin calls of another (`PeopleMixin` draws the names that `AccessMixin` gives sources,
    # `MatchingMixin` sets the last contacts once the list's history is told): their types only, so each mixin
    # is checked against the others' signatures; the mixins define them

    _given_name: Callable[[str, bool], str]
    _family_name: Callable[[str], str]
    last_contacts: Callable[[], None]


class CaseworkState:
    """The casework builder's state (`CaseworkDemo` and its mixins): the builder it follows, the episodes it
    tells, and one timeline of events sorted by day."""

    def __init__(self, builder: DemoBuilder, journeys: list[Journey]):
        self.b = builder
        self.journeys = journeys
        self.rng = random.Random(builder.seed * 31 + 4)
        self.now = builder.now
        self.today = builder.today
        self.tz = builder.tz
        self.users = builder.users
        self.orgs = builder.orgs
        self.episodes: list[Episode] = []
        self.programs: dict[tuple[str, str], Program] = {}
        self.teams: dict[int, Team] = {}
        self.providers: dict[str, list[ServiceProvider]] = defaultdict(list)
        self.workers: dict[int, list[User]] = {}
        self.leads: dict[str, User] = {}
        # (day, order of scheduling, (action, arguments)): everything runs in the order it happened.
        self.events: list[tuple[datetime.date, int, tuple[Callable[..., object], tuple[Any, ...]]]] = []
        self._seq = itertools.count()
        self.counts: dict[str, int] = defaultdict(int)
        # The recent contacts kept to be logged together (`FieldMixin.log_contacts`).
        self.contacts_to_log: list[ContactToLog] = []

    # -- time and randomness

    def weighted(self, pairs: Iterable[tuple[T, float]]) -> T:
        return draw_weighted(self.rng, pairs)

    def at(self, day: datetime.date, start: int = 8 * 60 + 30, end: int = 17 * 60 + 30) -> datetime.datetime:
        """A moment on `day` between `start` and `end` minutes after midnight, never in the future."""
        minutes = self.rng.randint(start, end)
        earlier = self.rng.randint(20, 180)
        moment = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), tzinfo=self.tz)
        if moment > self.now:
            moment = before_now(self.now, day, earlier)
        return moment

    def day(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def call(self, moment: datetime.datetime, service: Callable[..., T], /, **kwargs: Any) -> T:
        """Run a service at `moment` (never after the end of the story): what it writes is dated then."""
        return self.b.run(min(moment, self.now), service, **kwargs)

    def schedule(self, day: datetime.date, action: Callable[..., object], *args: Any) -> None:
        heapq.heappush(self.events, (day, next(self._seq), (action, args)))

    # -- what one mixin calls of another: their types only, so each mixin is checked against the others'
    # signatures; the mixins define them

    still_active: Callable[[Episode], bool]
    recent_contacts: Callable[[Episode, datetime.date], None]
    log_contacts: Callable[[], None]
    enroll: Callable[[Episode], None]
    reassign: Callable[[Episode, User], None]
    tenancy_risk: Callable[[Episode, bool, datetime.date], None]
    plan_assessments: Callable[[Episode], None]
    administer: Callable[[Episode, str, datetime.date, str], Administration | None]
    plan_referrals: Callable[[Episode], None]
    plan_partner_referrals: Callable[[], None]
    risk: Callable[[Episode, datetime.date, Any, bool], None]

    # (episode, day, kind, moment=None): a default argument a Callable type cannot say.
    incident: Callable[..., Incident | None]
    lost_contact_past: Callable[[Episode, datetime.date], None]
    exit: Callable[[Episode], None]
