"""Codes each app declares at start-up (audit actions, alert kinds) and the sentences they read as.

Core holds the tables and never lists another app's codes: each app registers its own in its
AppConfig.ready(), so a feature adds its codes without editing core.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

# code -> sentence (lazy, translated when shown). Filled at start-up; read by audit, alerts and the forms.
ACTIONS: dict[str, Any] = {}
# code -> the kind of information (a permissions.Category value) the entry's values carry, or None when
# the entry concerns no participant: the audit screen shows values only to who may read that kind now.
ACTION_CATEGORIES: dict[str, str | None] = {}
# Codes of entries about no participant that concern the whole consortium (a priority policy put in
# force, an export of the by-name list the consortium shares): the audit screen lists them to readers of
# every organisation of the consortium, not only of the organisation they were written in.
CONSORTIUM_ACTIONS: set[str] = set()
# An entry whose code no app declares any more: its values are shown to nobody.
UNKNOWN_CATEGORY = "unknown"
ALERT_KINDS: dict[str, Any] = {}
# Alert parameters stored as a choice's code, shown as its label: kind -> parameter -> dotted path of choices.
ALERT_PARAM_CHOICES: dict[str, dict[str, str]] = {}


def _register(table: dict[str, Any], what: str, app_label: str, codes: dict[str, Any]) -> None:
    for code, sentence in codes.items():
        # The prefix tells whose code it is, so two apps never claim the same one.
        if not code.startswith(f"{app_label}."):
            raise ImproperlyConfigured(
                f"The {what} {code!r} registered by {app_label} must start with {app_label}."
            )
        if table.get(code, sentence) is not sentence:
            raise ImproperlyConfigured(f"The {what} {code!r} is registered twice with different sentences.")
        table[code] = sentence


def register_actions(app_label: str, actions: dict[str, Any], categories: dict[str, str | None]) -> None:
    """Declare an app's audit action codes, how each reads (“created the participant's file”) and the kind
    of information its values carry (every code says it: forgetting one fails at start-up)."""
    if set(categories) != set(actions):
        missing = sorted(set(actions) ^ set(categories))
        raise ImproperlyConfigured(
            f"{app_label}: every audit action declares the kind of information it carries, and only those: {missing}"
        )
    _register(ACTIONS, "audit action", app_label, actions)
    ACTION_CATEGORIES.update(categories)


def register_consortium_actions(app_label: str, codes: set[str] | frozenset[str]) -> None:
    """Declare which of an app's codes the whole consortium's auditors see (see CONSORTIUM_ACTIONS)."""
    unknown = sorted(code for code in codes if code not in ACTIONS or not code.startswith(f"{app_label}."))
    if unknown:
        raise ImproperlyConfigured(f"{app_label}: declare these audit actions before sharing them: {unknown}")
    CONSORTIUM_ACTIONS.update(codes)


def action_category(code: str) -> str | None:
    """The kind of information an entry of this code carries; UNKNOWN_CATEGORY when no app declares it."""
    return ACTION_CATEGORIES.get(code, UNKNOWN_CATEGORY)


def register_alert_kinds(
    app_label: str, kinds: dict[str, Any], param_choices: dict[str, dict[str, str]] | None = None
) -> None:
    """Declare an app's alert kinds, their sentences with %(name)s parameters, and which parameters are
    choice codes to show as labels."""
    _register(ALERT_KINDS, "alert kind", app_label, kinds)
    for kind, params in (param_choices or {}).items():
        if kind not in kinds:
            raise ImproperlyConfigured(
                f"Parameter choices given for {kind!r}, which {app_label} does not declare."
            )
        ALERT_PARAM_CHOICES[kind] = params


def action_sentence(code: str) -> str:
    """The sentence of an action code in the current language; the code itself when it is not declared
    (an entry written by an older version keeps showing)."""
    label = ACTIONS.get(code)
    return gettext(str(label)) if label else code
