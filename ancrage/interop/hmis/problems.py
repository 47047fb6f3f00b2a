"""The data-quality report's messages: each problem is stored as a code and its parameters, and said in the
reader's language when shown."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "not_a_zip": _("This file is not a zip archive: upload the zip of CSV files the other system exported."),
    "upload_too_large": _("This file is larger than the %(limit)s MB allowed."),
    "zip_too_large": _("Once unpacked, this zip would take %(size)s MB, more than the %(limit)s MB allowed."),
    "zip_ratio": _("This file expands %(ratio)s times its packed size: refused as a possible zip bomb."),
    "zip_members": _("The zip holds %(count)s files, more than the %(limit)s allowed."),
    "unsafe_name": _("A file of the zip has a name that leaves its folder: the zip is refused."),
    "file_missing": _("The file %(file)s is missing: it is needed to import anything."),
    "file_missing_optional": _("The file %(file)s is missing: nothing of it is imported."),
    "file_unknown": _("This file is not part of the HMIS CSV FY2026 format: ignored."),
    "file_twice": _("The file %(file)s appears twice in the zip: only the first is read."),
    "file_not_loaded": _("This file's structure was checked; Ancrage does not import its rows."),
    "file_empty": _("This file is empty: it has no header row."),
    "encoding_cp1252": _(
        "This file is not in UTF-8: it was read as Windows-1252. Check the accented letters of the names."
    ),
    "encoding_unreadable": _("This file is neither UTF-8 nor Windows-1252 text: it cannot be read."),
    "column_missing": _("The required column %(column)s is missing: this file cannot be imported."),
    "column_missing_optional": _("The column %(column)s is missing: its values are read as empty."),
    "column_extra": _("The column %(column)s is not part of the FY2026 format: ignored."),
    "column_twice": _("The column %(column)s appears twice: only the first is read."),
    "csv_version_missing": _("Export.csv gives no CSVVersion: the files are read as FY2026."),
    "csv_version_other": _(
        "This export is in the “%(version)s” format, not FY2026 (“%(expected)s”): export it again "
        "from the other system in the FY2026 format."
    ),
    "csv_unreadable": _("This row cannot be read as CSV (check its quotation marks): skipped."),
    "date_unreadable": _("This date cannot be read; write it as YYYY-MM-DD."),
    "date_future": _("This date is in the future."),
    "date_too_old": _("This date is before 1900."),
    "number_unreadable": _("This value should be a whole number: ignored."),
    "code_unknown": _("This code is not in the FY2026 list %(list)s (%(element)s): ignored."),
    "required_empty": _("This value is required and is empty."),
    "id_too_long": _("This identifier is longer than %(limit)s characters: the row is skipped."),
    "value_too_long": _("This value is longer than %(limit)s characters: it is cut."),
    "row_skipped": _("Because of this, the row is not imported."),
    "deleted_in_source": _("This record is marked deleted in the other system: not imported."),
    "duplicate_key": _(
        "This %(column)s appears more than once; only its first row (line %(first)s) is imported."
    ),
    "second_exit": _(
        "This enrollment already has an exit (line %(first)s); only that first exit is imported."
    ),
    "enrollment_without_client": _("No client has this PersonalID: the enrollment is not imported."),
    "exit_without_enrollment": _("No enrollment has this EnrollmentID: the exit is not imported."),
    "project_unknown": _("No project has this ProjectID: the enrollment is imported without its project."),
    "name_missing": _("No name: the file is created under a question mark; correct it in Ancrage."),
    "other_organisation": _(
        "This PersonalID was imported into another organisation's files: this client is not imported here."
    ),
    "participant_refused": _("The registry refused this client: %(reason)s"),
    "more_not_listed": _("%(count)s more problems of this kind in this file are not listed."),
    "import_failed": _(
        "The import stopped on an unexpected error; the stage it was in was not saved. Start it again to resume."
    ),
}


def message(code: str, params: dict | None = None) -> str:
    """The problem's sentence in the active language."""
    template = MESSAGES.get(code)
    if template is None:
        return code
    text = str(template)
    try:
        return text % (params or {})
    except (KeyError, TypeError, ValueError):
        return text
