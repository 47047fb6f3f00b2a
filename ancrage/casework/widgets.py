"""Date and time widgets the casework forms share."""

from __future__ import annotations

import datetime

from django import forms

from ancrage.core import clock


def _now_local() -> datetime.datetime:
    return clock.localtime().replace(second=0, microsecond=0)


class _Date(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
