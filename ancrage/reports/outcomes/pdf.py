"""The outcomes report as a PDF (reportlab, in the house style of the landlord's statement), in the language
active when called (the reader's)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ancrage.housing.rent.pdf import _para, _printable


def outcomes_pdf(*, report, tables, filters_text: str, small_counts: str) -> bytes:
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7.5, leading=9)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(LETTER),
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=_("Outcomes"),
    )
    filters = report.filters
    story: list[Any] = [
        Paragraph(_printable(_("Outcomes")), styles["Title"]),
        _para(
            _("From %(start)s to %(end)s")
            % {
                "start": date_format(filters.start, "SHORT_DATE_FORMAT"),
                "end": date_format(filters.end, "SHORT_DATE_FORMAT"),
            },
            styles["BodyText"],
        ),
        _para(filters_text, styles["BodyText"]),
        _para(small_counts, small),
        Spacer(1, 0.3 * cm),
    ]
    width = doc.width
    for table in tables:
        story.append(_para(table.title, styles["Heading2"]))
        if table.definition:
            story.append(_para(table.definition, small))
        rows: list[list[Any]] = [[_para(str(h), small) for h in table.header]]
        for label, *cells in table.rows:
            rows.append([_para(str(label), small), *(_printable(cell.text) for cell in cells)])
        if len(rows) == 1:
            story.append(_para(_("Nothing to show for this period."), small))
            continue
        first = min(6 * cm, width / 3)
        rest = (width - first) / max(len(table.header) - 1, 1)
        grid = Table(rows, colWidths=[first] + [rest] * (len(table.header) - 1), repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ]
            )
        )
        story.extend([grid, Spacer(1, 0.3 * cm)])
    doc.build(story)
    return out.getvalue()
