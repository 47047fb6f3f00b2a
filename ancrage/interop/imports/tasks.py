"""Background work of HMIS imports: the load, queued by the upload page, the API and the command."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import(hmis_import_id: int) -> str:
    """Run an import from the stage it is at (a rerun after a crash picks up there)."""
    from ancrage.interop.imports.services import import_run

    return str(import_run(hmis_import_id).status)


def queue(hmis_import) -> None:
    """Queue an import's load for a worker (the tests' and the demo's backend runs it at once)."""
    run_import.enqueue(hmis_import.pk)
