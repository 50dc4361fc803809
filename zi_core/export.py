"""Export a unit's worksheet in LKE order with scores, as CSV or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from .answers import Worksheet
from .format import answer_text
from .review import ReviewEntry
from .scoring import Scorecard
from .spec import WorksheetSpec

HEADER = [
    "Area",
    "Aspek",
    "Sub-indikator",
    "Bobot sub",
    "ID",
    "Pertanyaan",
    "Jawaban",
    "Kriteria jawaban",
    "Nilai",
    "Poin",
    "Catatan",
    "Jawaban TPI",
    "Status TPI",
    "Catatan TPI",
    "Tanggapan unit",
]
# A spreadsheet reads a cell starting with one of these as a formula ("=HYPERLINK(...)" in a unit name).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_START)


def _csv_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, quoted with a leading apostrophe (the usual CSV defence)."""
    return "'" + value if _is_formula_like(value) else value


def _append_text_safe(sheet: Any, row: list[Any]) -> None:
    """Append a row; text cells that look like formulas are stored as text, never as formulas."""
    sheet.append(row)
    for cell, value in zip(sheet[sheet.max_row], row, strict=False):
        if _is_formula_like(value):
            cell.value = value
            cell.data_type = "s"


def _review_cells(item: ReviewEntry | None) -> list[Any]:
    """The TPI's columns: its answer when it revised, the status, its note, the unit's reply."""
    if item is None:
        return ["", "belum", "", ""]
    tpi = answer_text(item.tpi_value) if item.status == "direvisi" else ""
    return [tpi, item.status, item.note or "", item.reply or ""]


def rows(
    spec: WorksheetSpec,
    worksheet: Worksheet,
    card: Scorecard,
    review: Mapping[str, ReviewEntry] | None = None,
) -> list[list[Any]]:
    """One row per question in LKE order (with the TPI's columns from `review`), then the results and the total."""
    review = review or {}
    out: list[list[Any]] = []
    for area in spec.areas:
        for sub in area.subs:
            per_question = sub.weight / len(sub.questions)
            for q in sub.questions:
                value = card.question_values[q.id]
                answer = worksheet.answers.get(q.id)
                chosen = q.option(answer) if isinstance(answer, str) else None
                out.append(
                    [
                        area.name,
                        sub.aspect,
                        sub.name,
                        sub.weight,
                        q.id,
                        q.label,
                        answer_text(answer),
                        chosen.hint if chosen else "",
                        round(value, 4),
                        round(per_question * value, 4),
                        q.policy or "",
                        *_review_cells(review.get(q.id)),
                    ]
                )
    for item in spec.hasil:
        raw = getattr(worksheet.hasil, item.key)
        out.append(
            [
                "Hasil",
                item.group,
                item.label,
                item.weight,
                item.key,
                item.label,
                answer_text(raw),
                "",
                "",
                round(card.hasil_items[item.key], 4),
                "",
                "",
                "",
                "",
                "",
            ]
        )
    out.append(["Total", "", "", 100.0, "", "Pengungkit + Hasil", "", "", "", round(card.total, 4), "", "", "", "", ""])
    return out


def to_csv(
    spec: WorksheetSpec, worksheet: Worksheet, card: Scorecard, review: Mapping[str, ReviewEntry] | None = None
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows([_csv_cell(v) for v in row] for row in rows(spec, worksheet, card, review))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(
    spec: WorksheetSpec, worksheet: Worksheet, card: Scorecard, review: Mapping[str, ReviewEntry] | None = None
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "LKE"
    _append_text_safe(sheet, [f"LKE Zona Integritas - {worksheet.unit}"])
    sheet.append(HEADER)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows(spec, worksheet, card, review):
        _append_text_safe(sheet, row)
    widths = (30, 11, 34, 9, 8, 44, 14, 44, 8, 8, 40, 14, 11, 40, 40)
    for column, width in zip("ABCDEFGHIJKLMNO", widths, strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rekap_xlsx(
    rows: Sequence[tuple[str, Scorecard, Mapping[str, str], float]],
    stages: Mapping[str, tuple[str, float | None]] | None = None,
) -> bytes:
    """All units: scores, eligibility and completion, one row per unit. `rows`: (unit, card, {predicate: verdict
    as shown}, completion); `stages`: per unit its review stage (as shown) and the TPI's total (None before review)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Rekap"
    header = ["Unit", "Total", "Pengungkit", "Hasil", "WBK", "WBBM", "Terisi (%)", "Tahap", "Total TPI"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for unit, card, verdicts, completion in rows:
        _append_text_safe(
            sheet,
            [
                unit,
                round(card.total, 4),
                round(card.pengungkit, 4),
                round(card.hasil, 4),
                verdicts["WBK"],
                verdicts["WBBM"],
                round(completion * 100, 1),
                *((stages or {}).get(unit, ("", None))),
            ],
        )
    sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
