"""Export a unit's worksheet in LKE order with scores, as CSV or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from .answers import Worksheet
from .scoring import Scorecard
from .spec import WorksheetSpec

HEADER = ["Area", "Aspek", "Sub-indikator", "Bobot sub", "ID", "Pertanyaan", "Jawaban", "Nilai", "Poin"]


def _answer_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def rows(spec: WorksheetSpec, worksheet: Worksheet, card: Scorecard) -> list[list[Any]]:
    out: list[list[Any]] = []
    for area in spec.areas:
        for sub in area.subs:
            per_question = sub.weight / len(sub.questions)
            for q in sub.questions:
                value = card.question_values[q.id]
                out.append(
                    [
                        area.name,
                        sub.aspect,
                        sub.name,
                        sub.weight,
                        q.id,
                        q.label,
                        _answer_text(worksheet.answers.get(q.id)),
                        round(value, 4),
                        round(per_question * value, 4),
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
                _answer_text(raw),
                "",
                round(card.hasil_items[item.key], 4),
            ]
        )
    out.append(["Total", "", "", 100.0, "", "Pengungkit + Hasil", "", "", round(card.total, 4)])
    return out


def to_csv(spec: WorksheetSpec, worksheet: Worksheet, card: Scorecard) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows(spec, worksheet, card))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(spec: WorksheetSpec, worksheet: Worksheet, card: Scorecard) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "LKE"
    sheet.append([f"LKE Zona Integritas - {worksheet.unit}"])
    sheet.append(HEADER)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows(spec, worksheet, card):
        sheet.append(row)
    for column, width in zip("ABCDEFGHI", (30, 11, 34, 9, 8, 44, 28, 8, 8), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rekap_xlsx(rows: list[tuple[str, Scorecard, Mapping[str, Any], float]]) -> bytes:
    """All units: scores, gates and completion, one row per unit. `rows`: (unit, card, gates, completion)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Rekap"
    header = ["Unit", "Total", "Pengungkit", "Hasil", "WBK", "WBBM", "Terisi (%)"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for unit, card, gates, completion in rows:
        sheet.append(
            [
                unit,
                round(card.total, 4),
                round(card.pengungkit, 4),
                round(card.hasil, 4),
                "lulus" if gates["WBK"].passed else "belum",
                "lulus" if gates["WBBM"].passed else "belum",
                round(completion * 100, 1),
            ]
        )
    sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
