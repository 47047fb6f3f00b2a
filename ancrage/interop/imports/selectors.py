"""Reads of HMIS imports: an import is its organisation's; only those who may import in that organisation see
it (another organisation's import is a 404). The imported history is read under the participant's consent."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ancrage.interop.models import HmisImport, ImportedEnrollment, ImportProblem, ProposedDuplicate


def imports_for_user(user) -> QuerySet[HmisImport]:
    if not user.is_authenticated or not user.has_ancrage_perm("interop.import_hmis"):
        return HmisImport.objects.none()
    return HmisImport.objects.filter(organisation_id__in=user.organisation_ids).select_related(
        "organisation", "uploaded_by"
    )


def import_get_for_user(user, pk: int) -> HmisImport:
    try:
        return imports_for_user(user).get(pk=pk)
    except HmisImport.DoesNotExist:
        raise Http404 from None


def problems_of(hmis_import: HmisImport, *, file: str = "", severity: str = "") -> QuerySet[ImportProblem]:
    rows = hmis_import.problems.all()
    if file:
        rows = rows.filter(file=file)
    if severity:
        rows = rows.filter(severity=severity)
    return rows.order_by("id")


def summary_by_file(hmis_import: HmisImport) -> list[dict]:
    """Per file: rows found, errors and warnings (one query)."""
    counts: dict[str, dict] = {
        row["file"]: dict(row)
        for row in hmis_import.problems.values("file").annotate(
            errors=Count("id", filter=Q(severity="error")), warnings=Count("id", filter=Q(severity="warning"))
        )
    }
    files = []
    for name, info in sorted(hmis_import.files.items()):
        key = f"{name}.csv"
        found = counts.pop(key, {})
        files.append(
            {
                "file": key,
                "lines": max(info.get("lines", 0) - 1, 0),
                "encoding": "Windows-1252" if info.get("encoding") == "cp1252" else "UTF-8",
                "errors": found.get("errors", 0),
                "warnings": found.get("warnings", 0),
            }
        )
    for key, found in sorted(counts.items()):
        files.append(
            {
                "file": key or "—",
                "lines": None,
                "encoding": "",
                **{k: found[k] for k in ("errors", "warnings")},
            }
        )
    return files


def proposed_duplicates(user, hmis_import: HmisImport) -> QuerySet[ProposedDuplicate]:
    """The pairs proposed for review, both files among those the reader may see."""
    from ancrage.people.selectors import participants_visible_to

    visible = participants_visible_to(user)
    return (
        hmis_import.duplicates.filter(
            participant__in=visible.values("pk"), candidate__in=visible.values("pk")
        )
        .select_related("participant", "candidate", "candidate__organisation")
        .order_by("-score", "id")
    )


def history_of(participant) -> list[ImportedEnrollment]:
    return list(
        ImportedEnrollment.objects.filter(participant=participant)
        .select_related("project")
        .order_by("-entry_date", "id")
    )
