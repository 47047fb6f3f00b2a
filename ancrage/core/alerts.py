"""In-app alerts: raising one for a person, resolving it, and its sentence in the reader's language."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext

from ancrage.core import clock
from ancrage.core.models import Alert
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


def resolve(*, kind: str, obj: models.Model) -> int:
    """Close the open alerts of this kind about `obj` (the thing they asked for was done)."""
    return Alert.objects.filter(
        kind=kind, object_type=obj._meta.label_lower, object_id=str(obj.pk), resolved_at__isnull=True
    ).update(resolved_at=clock.now())


def describe(alert: Alert) -> str:
    label = KINDS.get(alert.kind)
    if label is None:
        return alert.kind
    params = dict(alert.params)
    for name, path in PARAM_CHOICES.get(alert.kind, {}).items():
        if name in params:
            params[name] = _choice_label(path, params[name])
    try:
        return gettext(str(label)) % params
    except (KeyError, TypeError):
        return gettext(str(label))


def open_alerts_for(user):
    return Alert.objects.filter(recipient=user, resolved_at__isnull=True).select_related("participant")
