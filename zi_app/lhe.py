"""The LHE (Laporan Hasil Evaluasi) of a unit's TPI review as a DOCX (python-docx), for `zi lhe` and the bot.

Every figure comes from the same `ReviewSummary` that `zi review --json` prints; every text from lhe.html.j2.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from docx import Document
from docx.shared import Pt

from zi_core.format import angka, answer_text
from zi_core.gates import gate_label
from zi_core.review import ReviewSummary
from zi_core.store import Store

from .render import Templates, to_plain

MAX_RECOMMENDATIONS = 10


def _answer(value: object) -> str:
    return answer_text(value) or "–"


def lhe_docx(summary: ReviewSummary, members: Sequence[str], templates: Templates, today: date | None = None) -> bytes:
    """The report: identity, both scores per area, gates and Tabel 5 on the TPI's answers, revisions with notes
    and replies, recommendations from the gap analysis on the TPI's answers, and the conclusion."""

    def t(name: str, /, **context: object) -> str:
        return to_plain(templates.render("lhe", name, **context))

    mandiri, tpi = summary.mandiri, summary.tpi
    spec, unit = mandiri.spec, mandiri.worksheet.unit
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(t("title"), level=0)
    doc.add_paragraph(t("subtitle", unit=unit))
    stage = summary.stage
    period = str((today or date.today()).year)
    identity = t(
        "identity",
        unit=unit,
        period=period,
        round=stage.round,
        stage=t("stage_name", stage=stage.stage),
        members=list(members),
    )
    for line in identity.splitlines():
        doc.add_paragraph(line)
    doc.add_paragraph(t("basis"))
    if stage.note:
        doc.add_paragraph(t("note", text=stage.note))

    doc.add_heading(t("heading_scores"), level=1)
    header = t("score_header").split("|")
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for area in spec.areas:
        own, theirs = mandiri.card.areas[area.key], tpi.card.areas[area.key]
        values = [
            area.name,
            angka(area.weight, 0),
            angka(own.pemenuhan),
            angka(own.reform),
            angka(own.score),
            angka(theirs.pemenuhan),
            angka(theirs.reform),
            angka(theirs.score),
        ]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    totals = [
        (t("row_pengungkit"), spec.pengungkit_max, mandiri.card.pengungkit, tpi.card.pengungkit),
        *[
            (item.label, item.weight, mandiri.card.hasil_items[item.key], tpi.card.hasil_items[item.key])
            for item in spec.hasil
        ],
        (t("row_hasil"), spec.hasil_max, mandiri.card.hasil, tpi.card.hasil),
        (t("row_total"), spec.pengungkit_max + spec.hasil_max, mandiri.card.total, tpi.card.total),
    ]
    for label, weight, own_value, tpi_value in totals:
        values = [label, angka(weight, 2), "", "", angka(own_value), "", "", angka(tpi_value)]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text

    doc.add_heading(t("heading_gates"), level=1)
    for predicate, gate in tpi.gates.items():
        eligible = tpi.eligible[predicate]
        doc.add_paragraph(
            t(
                "gate_line",
                predicate=predicate,
                verdict=tpi.verdict(predicate),
                shortfalls=gate.shortfalls,
                requirements=eligible.requirements_missing,
            ),
        )
        for shortfall in gate.shortfalls:
            label = gate_label(spec, shortfall.gate)
            doc.add_paragraph(t("shortfall_line", label=label, view=tpi.view(shortfall)), style="List Bullet")
        for key in eligible.requirements_missing:
            doc.add_paragraph(t("requirement_line", label=tpi.requirement_label(key)), style="List Bullet")

    doc.add_heading(t("heading_revisions"), level=1)
    flagged = [q for q in spec.ordered_questions if (i := summary.items.get(q.id)) and i.flagged]
    if flagged:
        header = t("revision_header").split("|")
        revisions = doc.add_table(rows=1, cols=len(header))
        revisions.style = "Table Grid"
        for cell, text in zip(revisions.rows[0].cells, header, strict=True):
            cell.text = text
        for q in flagged:
            item = summary.items[q.id]
            tpi_answer = _answer(item.tpi_value) if item.status == "direvisi" else "–"
            values = [
                q.id,
                q.label,
                _answer(mandiri.worksheet.answers.get(q.id)),
                tpi_answer,
                item.note or "–",
                item.reply or "–",
            ]
            for cell, text in zip(revisions.add_row().cells, values, strict=True):
                cell.text = text
    else:
        doc.add_paragraph(t("no_revisions"))

    doc.add_heading(t("heading_recommendations"), level=1)
    for gap in tpi.gaps[:MAX_RECOMMENDATIONS]:
        doc.add_paragraph(t("recommendation_line", gap=gap), style="List Number")
    if not tpi.gaps:
        doc.add_paragraph(t("no_recommendations"))

    doc.add_heading(t("heading_conclusion"), level=1)
    doc.add_paragraph(t("conclusion", stage=stage.stage))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def tpi_name(store: Store, telegram_id: int) -> str:
    """A TPI member as the LHE names them: their stored name, else their Telegram id."""
    user = store.user(telegram_id)
    return user.name if user and user.name else str(telegram_id)


def unit_lhe(store: Store, unit_name: str, templates: Templates) -> tuple[str, bytes]:
    """A unit's LHE as (file name, DOCX), from the store: what `zi lhe` writes and `/lhe` sends."""
    summary = store.review_summary(unit_name)
    members = [tpi_name(store, t) for t in store.tpi_members(unit_name)]
    unit = summary.mandiri.worksheet.unit
    return "lhe-" + "-".join(unit.lower().split()) + ".docx", lhe_docx(summary, members, templates)
