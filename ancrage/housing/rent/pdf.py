"""A landlord's statement as a PDF (reportlab, as the recovery plans' PDF), in the language active when called
(the landlord's)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ancrage.core.money import format_money


def _printable(text: str) -> str:
    """Text Helvetica (WinAnsi) can show; anything outside it becomes "?" so the reader sees something is missing."""
    text = (text or "").replace("\u202f", "\u00a0")
    return "".join(ch if ch.encode("cp1252", errors="ignore") else "?" for ch in text)


def _para(text: str, style) -> Paragraph:
    safe = escape(_printable(text)).replace("\r\n", "\n").replace("\n", "<br/>")
    return Paragraph(safe, style)


def _month(day) -> str:
    return date_format(day, "YEAR_MONTH_FORMAT")


def statement_pdf(data: dict[str, Any]) -> bytes:
    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=LETTER, leftMargin=2 * cm, rightMargin=2 * cm, title=_("Statement of rent payments")
    )
    landlord = data["landlord"]
    story: list[Any] = [
        Paragraph(_printable(_("Statement of rent payments")), styles["Title"]),
        _para(landlord.name + ("\n" + landlord.address if landlord.address else ""), styles["BodyText"]),
        _para(
            _("From %(start)s to %(end)s") % {"start": _month(data["start"]), "end": _month(data["end"])},
            styles["BodyText"],
        ),
        Spacer(1, 0.4 * cm),
    ]
    rows: list[list[Any]] = [
        [_printable(_("Month")), _printable(_("Unit")), _printable(_("Owed")), _printable(_("Payment"))]
    ]
    for row in data["rows"]:
        payment = row["payment"]
        paid = (
            f"{format_money(payment.amount)} · {payment.get_method_display()} {payment.reference} · "
            f"{date_format(payment.paid_on, 'SHORT_DATE_FORMAT')}"
            if payment
            else _("Not paid")
        )
        for i, charge in enumerate(row["charges"]):
            rows.append(
                [
                    _printable(_month(row["month"])) if i == 0 else "",
                    _para(charge.tenancy.unit.address, styles["BodyText"]),
                    _printable(format_money(charge.amount)),
                    _para(paid, styles["BodyText"]) if i == 0 else "",
                ]
            )
    rows.append(
        [
            _printable(_("Total")),
            "",
            _printable(format_money(data["owed"])),
            _printable(_("%(paid)s paid") % {"paid": format_money(data["paid"])}),
        ]
    )
    table = Table(rows, colWidths=[3 * cm, 6 * cm, 2.5 * cm, 5.5 * cm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (2, 0), (2, -1), "RIGHT"),
            ]
        )
    )
    story.append(table)
    doc.build(story)
    return out.getvalue()
