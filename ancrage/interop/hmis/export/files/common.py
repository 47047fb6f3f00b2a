"""What every record file ends with, and the identifiers the files share."""

from __future__ import annotations

import datetime
from typing import Any


def trailer(
    scope, created: datetime.datetime | datetime.date, updated: datetime.datetime | datetime.date | None
):
    """DateCreated, DateUpdated, UserID, DateDeleted, ExportID. Judgement: UserID names the person who made
    the export (listed in User.csv), not the staff who wrote each record: the consortium's staff are not
    exported to another system, and every UserID still points at a row of User.csv."""
    return {
        "DateCreated": created,
        "DateUpdated": updated or created,
        "UserID": user_id(scope),
        "DateDeleted": None,
        "ExportID": scope.export_id,
    }


def user_id(scope) -> str:
    return str(scope.user.pk)


def chunked(queryset, size: int = 2000) -> Any:
    """A queryset read in chunks (a server-side cursor on PostgreSQL): memory holds one chunk."""
    return queryset.iterator(chunk_size=size)
