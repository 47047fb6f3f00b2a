"""A kept funder report as a PDF (reportlab, as the landlords' statements), in the language active when called
(the reader's), drawn from the report's frozen figures."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ancrage.core import clock
from ancrage.reports.funder import presentation
from ancrage.reports.models_funder import FunderReport


def _printable(text: str) -> str:
    """Text Helvetica (WinAnsi) can show; anything outside it becomes "?" so the reader sees something is missing."""
    text = (text or "").replace("\u202f", "\u00a0")
    return "".join(ch if ch.encode("cp1252", errors="ignore") else "?" for ch in text)


def _para(text: str, style) -> Paragraph:
    return Paragraph(escape(_printable(text)), style)


def report_pdf(report: FunderReport) -> bytes:
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    out = io.BytesIO()
    title = _("Funder report — %(month)s") % {"month": presentation.month_label(report.month)}
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(LETTER),
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=_printable(title),
    )
    threshold = report.figures["threshold"]
    generated = _(
        "Version %(version)s, generated on %(when)s. Figures only; counts under %(n)s are hidden."
    ) % {
        "version": report.version,
        "when": date_format(clock.localtime(report.generated_at), "DATETIME_FORMAT"),
        "n": threshold,
    }
    story: list[Any] = [
        _para(title, styles["Title"]),
        _para(generated, styles["BodyText"]),
        Spacer(1, 0.3 * cm),
    ]
    for table in presentation.displayed(presentation.tables(report.figures), threshold):
        story.append(_para(table["title"], styles["Heading2"]))
        data = [[_para(h, small) for h in table["header"]]]
        data += [[_para(v, small) for v in row] for row in table["rows"]]
        width = (landscape(LETTER)[0] - 3 * cm) / len(table["header"])
        grid = Table(data, colWidths=[width] * len(table["header"]), repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(grid)
        if table["note"]:
            story.append(_para(table["note"], small))
        story.append(Spacer(1, 0.3 * cm))
    doc.build(story)
    return out.getvalue()
