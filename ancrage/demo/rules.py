"""The rules a demo plan must keep before anything is written: what the services would refuse, checked on data."""

from __future__ import annotations

import datetime
import itertools

from ancrage.demo.plan import PersonPlan

# Which status may follow which on the by-name list (deceased and moved away end a journey).
NEXT_STATUS = {
    "active": {"housed", "inactive", "institution", "moved_away", "deceased"},
    "housed": {"active"},
    "inactive": {"active"},
    "institution": {"active"},
}


def people_violations(people: list[PersonPlan], today: datetime.date) -> list[str]:
    """What in the people's plan breaks a rule: an empty list when it is valid. `today` is the date of the
    demo's moment (`as_of`): nothing planned as done may come after it."""
    problems: list[str] = []
    for plan in people:
        who = f"person {plan.key} ({plan.first} {plan.last})"
        opened = today - datetime.timedelta(days=plan.created_ago)
        if not 0 <= plan.created_ago <= 730:
            problems.append(f"{who}: file opened {plan.created_ago} days ago, outside the two years")
        if plan.dob is not None and plan.dob > opened:
            problems.append(f"{who}: born after the file was opened")
        problems += _consent_violations(who, plan, today)
        if plan.journey is not None:
            problems += _journey_violations(who, plan, today)
    return problems


def _consent_violations(who: str, plan: PersonPlan, today: datetime.date) -> list[str]:
    problems = []
    if not plan.consents:
        problems.append(f"{who}: no consent")
    for consent in plan.consents:
        if consent.expires_on is not None and consent.expires_on <= consent.starts_on:
            problems.append(f"{who}: a consent expires before it starts")
        if consent.revoke_on is not None:
            if consent.revoke_on > today:
                problems.append(f"{who}: a consent is revoked after the demo's day")
            if consent.revoke_on < consent.starts_on:
                problems.append(f"{who}: a consent is revoked before it starts")
            if not consent.reason:
                problems.append(f"{who}: a revocation without its reason")
    return problems


def _journey_violations(who: str, plan: PersonPlan, today: datetime.date) -> list[str]:
    problems = []
    journey = plan.journey
    assert journey is not None
    events = journey.events
    if events[0] != ("active", journey.entered):
        problems.append(f"{who}: the journey does not start active on the day of entry")
    if journey.entered > today:
        problems.append(f"{who}: enters the list after the demo's day")
    for (before, on_before), (after, on_after) in itertools.pairwise(events):
        if on_after <= on_before:
            problems.append(f"{who}: status {after} on {on_after} does not follow {before} on {on_before}")
        if after not in NEXT_STATUS.get(before, set()):
            problems.append(f"{who}: {before} cannot become {after}")
    if events[-1][1] > today:
        problems.append(f"{who}: a status change after the demo's day")
    if [(c.status, c.on) for c in journey.changes] != events[1:]:
        problems.append(f"{who}: the changes to apply differ from the journey")
    periods = sorted(journey.periods, key=lambda p: p.starts_on)
    for period in periods:
        if period.starts_on > today or period.recorded_on > today:
            problems.append(f"{who}: a living situation starts or is recorded after the demo's day")
        if period.ends_on is not None and period.ends_on < period.starts_on:
            problems.append(f"{who}: a living situation ends before it starts")
        if period.recorded_on < period.starts_on:
            problems.append(f"{who}: a living situation recorded before it began")
    for first, second in itertools.pairwise(periods):
        if first.ends_on is None or first.ends_on >= second.starts_on:
            problems.append(f"{who}: living situations overlap ({first.starts_on} and {second.starts_on})")
    return problems
