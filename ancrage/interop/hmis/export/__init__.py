"""The HMIS CSV FY2026 export: the registry's data as the zip of CSV files every HMIS reads.

`selectors` says what a requester may export (programs, participants, enrollments in a date range);
`files/` holds one mapping module per file; `writer` turns their rows into CSV text in the columns'
order and streams the zip; `services` audits an export and hands its stream to the page, the API and
the `hmis_export` command.
"""
