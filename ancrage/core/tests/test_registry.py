"""Audit action codes and alert kinds: each app declares its own at start-up, and a stray code fails loudly."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from ancrage.core import alerts, audit, registry

APPS = (
    "people",
    "assessments",
    "accounts",
    "access",
    "housing",
    "casework",
    "conferences",
    "partners",
    "interop",
)
SOURCE = Path(__file__).resolve().parents[2]


def test_each_app_declares_its_own_codes_and_core_only_through_its_own_module():
    owners = {code.split(".")[0] for code in registry.ACTIONS}
    # Core's own codes (an alert dismissed or withdrawn) are declared in core/audit_actions.py like any app's.
    assert owners == set(APPS) | {"core"}
    assert {code for code in registry.ACTIONS if code.startswith("core.")} == {
        "core.alert.dismissed",
        "core.alert.withdrawn",
    }
    assert len(registry.ACTIONS) >= 92
    assert set(registry.ALERT_KINDS) == {
        "access.match.stalled",
        "casework.visit.overdue",
        "casework.visit.ended_by_colleague",
        "casework.visit.safe",
        "casework.incident.recorded",
        "casework.lost_contact",
        "casework.assignment.new",
        "housing.rent.roll_to_approve",
        "housing.rent.plan_broken",
        "conferences.delivery.failed",
        "conferences.escalation",
        "partners.agreement.renewal_due",
        "partners.notice.failed",
    }
    # The names the rest of the code reads are the registry's tables, not copies.
    assert audit.ACTIONS is registry.ACTIONS
    assert alerts.KINDS is registry.ALERT_KINDS
    core_source = (SOURCE / "core" / "audit.py").read_text() + (SOURCE / "core" / "alerts.py").read_text()
    assert not re.search(r'"[a-z_]+\.[a-z_.]+":\s*_\(', core_source)


def test_sentences_are_still_translated():
    with translation.override("fr"):
        assert registry.action_sentence("people.participant.created") == "a créé le dossier"
        assert registry.action_sentence("no.such.code") == "no.such.code"


def test_every_code_the_source_writes_is_declared():
    written, raised = set(), set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        written |= set(re.findall(r'(?:action|what)=\s*"([a-z_]+\.[a-z_.]+)"', text))
        raised |= set(re.findall(r'kind=\s*"([a-z_]+\.[a-z_.]+)"', text))
    assert len(written) > 80
    assert written <= set(registry.ACTIONS)
    assert raised <= set(registry.ALERT_KINDS)


def test_a_code_is_registered_by_its_own_app_once():
    with pytest.raises(ImproperlyConfigured, match=r"must start with housing\."):
        registry.register_actions(
            "housing", {"casework.unit.created": "added a housing unit"}, {"casework.unit.created": None}
        )
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registry.register_actions(
            "housing", {"housing.unit.created": "built a housing unit"}, {"housing.unit.created": None}
        )
    with pytest.raises(ImproperlyConfigured, match="does not declare"):
        registry.register_alert_kinds("access", {}, {"access.match.stalled": {"days": "x.Y"}})
    # Registering the same declaration again (a second ready()) changes nothing.
    registry.register_actions(
        "housing",
        {"housing.unit.created": registry.ACTIONS["housing.unit.created"]},
        {"housing.unit.created": None},
    )
    assert len(registry.ACTIONS) >= 92


@pytest.mark.django_db
def test_an_undeclared_code_fails_loudly(case_manager_a):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit.record(actor=case_manager_a, action="casework.nothing.happened")
    with pytest.raises(ValueError, match="Unknown alert kind"):
        alerts.raise_alert(recipient_id=case_manager_a.pk, kind="casework.nothing")


def test_every_code_declares_the_kind_of_information_it_carries():
    from ancrage.core.permissions import ALL_CATEGORIES

    assert set(registry.ACTION_CATEGORIES) == set(registry.ACTIONS)
    assert set(registry.ACTION_CATEGORIES.values()) <= ALL_CATEGORIES | {None}
    assert registry.action_category("casework.plan.updated") == "case_notes"
    assert registry.action_category("access.by_name.profile_changed") == "health"
    assert registry.action_category("no.such.code") == registry.UNKNOWN_CATEGORY
    with pytest.raises(ImproperlyConfigured):
        registry.register_actions("housing", {"housing.unit.sold": "sold a unit"}, {})
