"""PDF of recovery plans, goals, steps and reviews (B4, B5)."""

from __future__ import annotations

import datetime
import io
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ancrage.core import clock
from ancrage.core.dates import long_date

if TYPE_CHECKING:
    from ancrage.casework.plans.selectors import PlanView


FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
FONT_ITALIC = "Helvetica-Oblique"


def _printable(text: str) -> str:
    """Text Helvetica (WinAnsi) can show: the narrow no-break space becomes a no-break space; anything else
    outside the encoding becomes "?" so that the reader sees something is missing."""
    text = (text or "").replace("\u202f", "\u00a0")
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
        except UnicodeEncodeError:
            out.append("?")
        else:
            out.append(ch)
    return "".join(out)


def _para(text: str, style) -> Paragraph:
    """A paragraph of user text: escaped, line breaks kept."""
    safe = escape(_printable(text)).replace("\r\n", "\n").replace("\n", "<br/>")
    return Paragraph(safe, style)


def _date(day: datetime.date | None) -> str:
    return long_date(day, "DATE_FORMAT") if day else "—"


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle(
        "body", parent=base["BodyText"], fontName=FONT, fontSize=10.5, leading=14, alignment=TA_LEFT
    )
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontName=FONT_BOLD, fontSize=20, leading=24),
        "h2": ParagraphStyle(
            "h2", parent=base["Heading2"], fontName=FONT_BOLD, fontSize=14, leading=18, spaceBefore=10
        ),
        "h3": ParagraphStyle(
            "h3", parent=base["Heading3"], fontName=FONT_BOLD, fontSize=11.5, leading=15, spaceBefore=8
        ),
        "body": body,
        "quote": ParagraphStyle(
            "quote", parent=body, fontName=FONT_ITALIC, fontSize=12, leading=16, leftIndent=8
        ),
        "small": ParagraphStyle(
            "small", parent=body, fontSize=9, leading=11, textColor=colors.HexColor("#444444")
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12),
        "cellhead": ParagraphStyle("cellhead", parent=body, fontName=FONT_BOLD, fontSize=9.5, leading=12),
    }


def _footer(text: str):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(doc.leftMargin, 1.2 * cm, _printable(text))
        canvas.drawRightString(
            doc.pagesize[0] - doc.rightMargin,
            1.2 * cm,
            _printable(_("Page %(number)s") % {"number": doc.page}),
        )
        canvas.restoreState()

    return draw


def _signatures(view: PlanView, s: dict) -> KeepTogether:
    """Lines where the participant and the worker sign and date the printed plan."""
    worker = view.enrollment.primary_worker if view.enrollment is not None else None
    rows = [
        [
            _para(_("Participant's signature"), s["small"]),
            _para(_("Date"), s["small"]),
        ],
        [_para(view.participant.display_name, s["cell"]), ""],
        [
            _para(_("Worker's signature"), s["small"]),
            _para(_("Date"), s["small"]),
        ],
        [_para(worker.display_name if worker is not None else "", s["cell"]), ""],
    ]
    table = Table(rows, colWidths=[11 * cm, 5.5 * cm], rowHeights=[0.9 * cm, 0.6 * cm] * 2, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                # The line to sign on sits above each name, the date's line beside it.
                ("LINEABOVE", (0, 1), (0, 1), 0.6, colors.black),
                ("LINEABOVE", (1, 1), (1, 1), 0.6, colors.black),
                ("LINEABOVE", (0, 3), (0, 3), 0.6, colors.black),
                ("LINEABOVE", (1, 3), (1, 3), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (1, 0), (1, -1), 12),
            ]
        )
    )
    return KeepTogether([Paragraph(escape(_printable(_("Signatures"))), s["h3"]), table])


def plan_pdf_bytes(view: PlanView, *, compress: bool = True, today: datetime.date | None = None) -> bytes:
    """The plan in `view` as PDF bytes, in the participant's language (communication_language)."""
    participant = view.participant
    language = participant.communication_language or "fr"
    with translation.override(language):
        return _build(view, language, compress=compress, today=today or clock.today())


def _build(view: PlanView, language: str, *, compress: bool, today: datetime.date) -> bytes:
    plan = view.plan
    assert plan is not None
    participant = view.participant
    enrollment = view.enrollment
    s = _styles()
    title = _("Recovery plan")
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=_printable(f"{title} · {participant.community_id}"),
        author="Ancrage",
        lang="fr-CA" if language.startswith("fr") else "en-CA",
        pageCompression=1 if compress else 0,
        invariant=0 if compress else 1,
    )
    story: list = [Paragraph(escape(_printable(title)), s["title"])]
    who = [
        (_("Participant"), f"{participant.display_name} ({participant.community_id})"),
    ]
    if enrollment is not None:
        who.append((_("Program"), enrollment.program.display_name))
        if enrollment.primary_worker is not None:
            who.append((_("Primary case manager"), enrollment.primary_worker.display_name))
        who.append((_("Enrolled on"), _date(enrollment.enrolled_on)))
    who.append((_("Plan due on"), _date(plan.due_on)))
    if plan.first_completed_on:
        who.append((_("First completed on"), _date(plan.first_completed_on)))
    last = view.last_review
    if last is not None:
        who.append(
            (_("Last supervisor review"), f"{_date(last.reviewed_on)} · {last.reviewed_by.display_name}")
        )
    who.append((_("Printed on"), _date(today)))
    table = Table(
        [[_para(label, s["cellhead"]), _para(value, s["cell"])] for label, value in who],
        colWidths=[5.5 * cm, None],
        hAlign="LEFT",
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    story += [table, Spacer(1, 0.4 * cm)]

    sections = [
        (_("Strengths and talents"), plan.strengths),
        (_("Interests"), plan.interests),
        (_("Aspirations"), plan.aspirations),
    ]
    story.append(Paragraph(escape(_printable(_("About me"))), s["h2"]))
    for heading, text in sections:
        story.append(Paragraph(escape(_printable(heading)), s["h3"]))
        story.append(_para(text or _("Not written yet."), s["body"]))

    story.append(Paragraph(escape(_printable(_("Goals"))), s["h2"]))
    if not view.goals:
        story.append(_para(_("No goal yet."), s["body"]))
    for number, goal in enumerate(view.goals, start=1):
        block: list = [
            Paragraph(escape(_printable(_("Goal %(number)s") % {"number": number})), s["h3"]),
            _para(_("“%(words)s”") % {"words": goal.words}, s["quote"]),
            _para(
                _("Stage of change: %(stage)s · Life domain: %(domain)s · Status: %(status)s")
                % {
                    "stage": goal.get_stage_display(),
                    "domain": goal.get_domain_display(),
                    "status": goal.get_status_display(),
                },
                s["small"],
            ),
            _para(
                _("Since %(start)s · Review on %(review)s")
                % {"start": _date(goal.starts_on), "review": _date(goal.review_on)},
                s["small"],
            ),
            Spacer(1, 0.15 * cm),
        ]
        steps = list(goal.steps.all())
        if steps:
            rows = [
                [
                    _para(_("Step"), s["cellhead"]),
                    _para(_("Who"), s["cellhead"]),
                    _para(_("Target date"), s["cellhead"]),
                    _para(_("Review date"), s["cellhead"]),
                    _para(_("Done"), s["cellhead"]),
                ]
            ]
            for step in steps:
                rows.append(
                    [
                        _para(step.description, s["cell"]),
                        _para(str(step.get_who_display()), s["cell"]),
                        _para(_date(step.target_on), s["cell"]),
                        _para(_date(step.review_on), s["cell"]),
                        _para(_date(step.done_on) if step.done_on else _("Not yet"), s["cell"]),
                    ]
                )
            steps_table = Table(
                rows,
                colWidths=[6.2 * cm, 2.9 * cm, 2.6 * cm, 2.6 * cm, 2.6 * cm],
                repeatRows=1,
                hAlign="LEFT",
            )
            steps_table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            block.append(steps_table)
        else:
            block.append(_para(_("No step yet."), s["small"]))
        story.append(KeepTogether(block[:5]))
        story.extend(block[5:])

    story.append(Paragraph(escape(_printable(_("In a crisis"))), s["h2"]))
    for heading, text in (
        (_("Crisis strategies"), plan.crisis_strategies),
        (_("After-hours protocol"), plan.after_hours_protocol),
        (_("Local resources"), plan.local_resources),
    ):
        story.append(Paragraph(escape(_printable(heading)), s["h3"]))
        story.append(_para(text or _("Not written yet."), s["body"]))

    story.append(Spacer(1, 0.5 * cm))
    story.append(
        _para(
            _(
                "This plan is yours. No goal or step in it is a condition of your housing or of the program's "
                "support."
            ),
            s["small"],
        )
    )
    story.append(Spacer(1, 0.8 * cm))
    story.append(_signatures(view, s))
    # Outside the f-string, so that the catalogue extraction finds the sentence (it printed in English).
    revision = _("Revision %(number)s") % {"number": plan.revision}
    footer = _footer(f"{title} · {participant.community_id} · {revision}")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
