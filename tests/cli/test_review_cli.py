"""The TPI review from the command line: a TPI member with several units, an answers file imported into a unit,
`zi review --json`, the LHE as DOCX (its tables checked against `zi review --json`) and exports with TPI columns."""

from __future__ import annotations

import io
import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from tests.zi_core.conftest import best_answers
from zi_app.config import Settings
from zi_app.wiring import make_store
from zi_cli import main
from zi_core import load_spec
from zi_core.format import angka

TPI, KOOR = 900, 901


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_a_review_round_from_the_command_line_to_the_lhe(runner: CliRunner, tmp_path: Path) -> None:
    _ok(runner, "unit", "add", "Balai A")
    _ok(runner, "unit", "add", "Balai B")
    out = _ok(
        runner,
        "user",
        "add",
        "--telegram-id",
        str(TPI),
        "--role",
        "tpi",
        "--unit",
        "Balai A",
        "--unit",
        "Balai B",
        "--name",
        "Inspektur Satu",
    )
    assert "meninjau Balai A, Balai B" in out
    _ok(runner, "user", "add", "--telegram-id", str(KOOR), "--role", "koordinator", "--unit", "Balai A")
    answers = best_answers(load_spec())
    answers["PPA1B"] = "C"
    path = tmp_path / "jawaban.yaml"
    path.write_text(
        yaml.safe_dump(
            {"unit": "Balai A", "answers": answers, "hasil": {"ipak": 3.8, "ipkp": 3.9, "capaian_kinerja": "A"}}
        ),
        encoding="utf-8",
    )
    assert "110 jawaban dibaca, 110 berubah" in _ok(runner, "unit", "import", "Balai A", str(path))
    bad = tmp_path / "salah.yaml"
    bad.write_text(yaml.safe_dump({"unit": "Balai A", "answers": {"PPA1A": "Mungkin"}}), encoding="utf-8")
    refused = runner.invoke(main, ["unit", "import", "Balai A", str(bad)])
    assert refused.exit_code == 1 and "PPA1A" in refused.output

    store = make_store(Settings())
    store.start()
    try:
        store.submit("Balai A", KOOR)
        # With the TPI, an import is refused and changes nothing.
        blocked = runner.invoke(main, ["unit", "import", "Balai A", str(path)])
        assert blocked.exit_code == 1 and "tahap diajukan" in blocked.output
        store.review_answer("Balai A", "PPA1B", TPI, raw="A", note="Sudah sesuai kriteria A")
        store.review_answer("Balai A", "PPA2A", TPI, raw="Tidak", note="Rencana kerja tidak ditemukan")
        store.agree_all("Balai A", TPI)
        store.finish_review("Balai A", TPI, layak=False, note="Perkuat area I")
    finally:
        store.close()

    data = json.loads(_ok(runner, "review", "Balai A", "--json"))
    assert (data["unit"], data["stage"], data["round"]) == ("Balai A", "belum_layak", 1)
    assert data["questions"]["PPA1B"] == {
        "unit": "C",
        "tpi": "A",
        "status": "direvisi",
        "note": "Sudah sesuai kriteria A",
        "reply": None,
    }
    assert data["questions"]["PPA1A"]["status"] == "disetujui" and data["questions"]["PPA1A"]["tpi"] == "Ya"
    mandiri, tpi = data["scores"]["mandiri"], data["scores"]["tpi"]
    assert tpi["total"] != mandiri["total"]
    assert "Balai A" in _ok(runner, "review", "Balai A") and "belum layak" in _ok(runner, "review", "Balai A")

    lhe = tmp_path / "lhe.docx"
    _ok(runner, "lhe", "Balai A", "--out", str(lhe))
    doc = Document(str(lhe))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Laporan Hasil Evaluasi" in text and "Inspektur Satu" in text and "BELUM LAYAK" in text
    scores = doc.tables[0]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in scores.rows}
    assert rows["Total"][4] == angka(mandiri["total"]) and rows["Total"][7] == angka(tpi["total"])
    area = rows["Manajemen Perubahan"]
    assert area[4] == angka(mandiri["areas"]["manajemen_perubahan"]["score"])
    assert area[7] == angka(tpi["areas"]["manajemen_perubahan"]["score"])
    assert area[5] == angka(tpi["areas"]["manajemen_perubahan"]["pemenuhan"])
    revisions = {r.cells[0].text: [c.text for c in r.cells] for r in doc.tables[1].rows}
    assert revisions["PPA1B"][2:5] == ["C", "A", "Sudah sesuai kriteria A"]
    assert revisions["PPA2A"][3:5] == ["Tidak", "Rencana kerja tidak ditemukan"]

    xlsx = tmp_path / "lke.xlsx"
    _ok(runner, "export", "Balai A", "--output", str(xlsx))
    sheet = load_workbook(io.BytesIO(xlsx.read_bytes())).active
    by_id = {row[4].value: [c.value for c in row] for row in sheet.iter_rows(min_row=3) if row[4].value}
    assert by_id["PPA1B"][11:14] == ["A", "direvisi", "Sudah sesuai kriteria A"]
    assert by_id["PPA1A"][12] == "disetujui"
