"""In-app alerts: raising one for a person, resolving, dismissing or withdrawing it, and its sentence in the
reader's language."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models, transaction
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext

from ancrage.core import audit, clock
from ancrage.core.models import Alert
from ancrage.core.money import format_money
from ancrage.core.registry import ALERT_KINDS, ALERT_PARAM_CHOICES

# Each app declares its kinds (its alert_kinds.py, registered in its AppConfig.ready()).
KINDS = ALERT_KINDS
PARAM_CHOICES = ALERT_PARAM_CHOICES


def _choice_label(path: str, value: Any) -> str:
    from django.utils.module_loading import import_string

    owner, _sep, attr = path.rpartition(".")
    choices = getattr(import_string(owner), attr)
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def raise_alert(
    *,
    recipient_id: int,
    kind: str,
    obj: models.Model | None = None,
    participant=None,
    params=None,
    url: str = "",
) -> Alert:
    if kind not in KINDS:
        raise ValueError(f"Unknown alert kind {kind!r}: declare it in its app's alert_kinds.py")
    return Alert.objects.create(
        recipient_id=recipient_id,
        kind=kind,
        participant=participant,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        params=params or {},
        url=url,
    )


def _open_about(kind: str, obj: models.Model):
    return Alert.objects.filter(
        kind=kind, object_type=obj._meta.label_lower, object_id=str(obj.pk), resolved_at__isnull=True
    )


def is_open(*, kind: str, obj: models.Model, recipient_id: int) -> bool:
    return _open_about(kind, obj).filter(recipient_id=recipient_id).exists()


def resolve(*, kind: str, obj: models.Model) -> int:
    """Close the open alerts of this kind about `obj` (the thing they asked for was done)."""
    return _open_about(kind, obj).update(resolved_at=clock.now(), outcome=Alert.Outcome.DONE)


def withdraw(*, actor, kind: str, obj: models.Model, keep_recipient_id: int | None = None) -> int:
    """Withdraw the open alerts of this kind about `obj` whose cause was undone (a reassignment reversed):
    they leave their recipients' lists, each with an audit entry. `keep_recipient_id`'s alert stays (its
    cause holds again). Call it inside the service's transaction."""
    alerts = list(
        _open_about(kind, obj).exclude(recipient_id=keep_recipient_id).select_related("participant")
    )
    now = clock.now()
    for alert in alerts:
        alert.resolved_at = now
        alert.outcome = Alert.Outcome.WITHDRAWN
        alert.closed_by = actor if getattr(actor, "pk", None) else None
        alert.save(update_fields=["resolved_at", "outcome", "closed_by"])
        audit.record(
            actor=actor,
            action="core.alert.withdrawn",
            obj=alert,
            participant=alert.participant,
            data={"kind": alert.kind, "recipient": alert.recipient_id},
        )
    return len(alerts)


def alert_for_recipient(user, pk: int) -> Alert:
    """One of `user`'s own open alerts; anyone else's (or a closed one) is a 404."""
    alert = open_alerts_for(user).filter(pk=pk).first()
    if alert is None:
        raise Http404
    return alert


@transaction.atomic
def alert_dismiss(*, actor, alert: Alert) -> Alert:
    """The recipient dismisses an alert they have read and need not act on (audited)."""
    alert = Alert.objects.select_for_update(of=("self",)).select_related("participant").get(pk=alert.pk)
    if alert.recipient_id != actor.pk or alert.resolved_at is not None:
        raise Http404
    alert.resolved_at = clock.now()
    alert.outcome = Alert.Outcome.DISMISSED
    alert.closed_by = actor
    alert.save(update_fields=["resolved_at", "outcome", "closed_by"])
    audit.record(
        actor=actor,
        action="core.alert.dismissed",
        obj=alert,
        participant=alert.participant,
        data={"kind": alert.kind},
    )
    return alert


def _moments(params: dict) -> None:
    """A parameter `<name>_at` holding an ISO date and time gives `<name>`, written in the reader's language
    and time zone when the alert is shown (not in the recipient's language when it was raised)."""
    for name, value in list(params.items()):
        if not (name.endswith("_at") and isinstance(value, str)):
            continue
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            continue
        params[name[: -len("_at")]] = date_format(clock.localtime(moment), "SHORT_DATETIME_FORMAT")


def _amounts(params: dict) -> None:
    """A parameter `amount` or `<name>_amount` holding a number of dollars is written as the reader's language
    writes money when the alert is shown."""
    for name, value in list(params.items()):
        if name == "amount" or name.endswith("_amount"):
            params[name] = format_money(value)


def describe(alert: Alert) -> str:
    label = KINDS.get(alert.kind)
    if label is None:
        return alert.kind
    params = dict(alert.params)
    _moments(params)
    _amounts(params)
    for name, path in PARAM_CHOICES.get(alert.kind, {}).items():
        if name in params:
            params[name] = _choice_label(path, params[name])
    try:
        return gettext(str(label)) % params
    except (KeyError, TypeError):
        return gettext(str(label))


def open_alerts_for(user):
    return Alert.objects.filter(recipient=user, resolved_at__isnull=True).select_related("participant")
