"""The fidelity page as a PDF (reportlab, as the landlord's statement), in the language active when called."""

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


def _printable(text: str) -> str:
    """Text Helvetica (WinAnsi) can show; anything outside it becomes "?" so the reader sees something is missing."""
    text = (str(text) if text is not None else "").replace("\u202f", "\u00a0")
    return "".join(ch if ch.encode("cp1252", errors="ignore") else "?" for ch in text)


def _para(text: Any, style) -> Paragraph:
    safe = escape(_printable("" if text is None else str(text))).replace("\n", "<br/>")
    return Paragraph(safe, style)


def fidelity_pdf(data: dict[str, Any], rows: list[list]) -> bytes:
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    out = io.BytesIO()
    title = _("Housing First fidelity")
    doc = SimpleDocTemplate(
        out, pagesize=landscape(LETTER), leftMargin=1.5 * cm, rightMargin=1.5 * cm, title=_printable(title)
    )
    program = data["program"]
    story: list[Any] = [
        Paragraph(_printable(title), styles["Title"]),
        _para(f"{program.organisation.short_name} — {program.display_name}", styles["Heading2"]),
        _para(
            _("%(period)s, from %(start)s to %(end)s")
            % {
                "period": data["period_label"],
                "start": date_format(data["start"], "SHORT_DATE_FORMAT"),
                "end": date_format(data["end"], "SHORT_DATE_FORMAT"),
            },
            styles["BodyText"],
        ),
        _para(
            _("Program score: %(score)s out of 4")
            % {"score": "—" if data["overall"] is None else data["overall"]},
            styles["Heading3"],
        ),
        Spacer(1, 0.3 * cm),
    ]
    header = [
        _("Domain"),
        _("Item"),
        _("Source"),
        _("Figure"),
        _("Counted"),
        _("Out of"),
        _("Score (1–4)"),
        _("Definition and thresholds"),
    ]
    table_rows = [[_para(h, small) for h in header]]
    for row in rows:
        table_rows.append([_para("" if cell is None else cell, small) for cell in row])
    table = Table(
        table_rows,
        colWidths=[3.2 * cm, 3.6 * cm, 2.2 * cm, 2.6 * cm, 1.5 * cm, 1.5 * cm, 1.6 * cm, 8.5 * cm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    doc.build(story)
    return out.getvalue()
