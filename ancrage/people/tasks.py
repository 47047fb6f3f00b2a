"""Background tasks of people."""

from __future__ import annotations

from django_tasks import task


@task()
def visibility_check() -> dict[str, int]:
    from ancrage.people.visibility import check

    return check()
