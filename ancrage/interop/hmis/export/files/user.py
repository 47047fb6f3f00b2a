"""User.csv: the person who made the export, the one UserID every record names (see common.trailer)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def rows(scope) -> Iterator[dict[str, Any]]:
    user = scope.user
    yield {
        "UserID": str(user.pk),
        "UserFirstName": user.first_name or None,
        "UserLastName": user.last_name or None,
        "UserEmail": user.email or None,
        "DateCreated": user.date_joined,
        "DateUpdated": user.date_joined,
        "DateDeleted": None,
        "ExportID": scope.export_id,
    }
