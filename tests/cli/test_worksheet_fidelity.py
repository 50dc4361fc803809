"""The worksheet from the command line: eligibility (gates and Tabel 5), predicates held, hostile files refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.zi_core.conftest import best_answers
from zi_cli import main
from zi_core import load_spec

SPEC = load_spec()


def _full_marks() -> dict:
    return best_answers(SPEC)


def _write(tmp_path: Path, data, name: str = "jawaban.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _score_json(runner: CliRunner, path: Path) -> dict:
    result = runner.invoke(main, ["score", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_full_marks_without_kesiapan_pass_the_gates_but_are_not_eligible(runner: CliRunner, tmp_path: Path) -> None:
    data = {"unit": "Balai Uji", "answers": _full_marks(), "hasil": {"ipak": 4, "ipkp": 4, "capaian_kinerja": "A"}}
    scored = _score_json(runner, _write(tmp_path, data))
    assert scored["gates"]["WBK"]["pass"] is True
    assert scored["eligible"]["WBK"]["pass"] is False
    wbk_keys = [r.key for r in SPEC.readiness if "WBK" in r.predicates]
    assert scored["eligible"]["WBK"]["missing"] == [f"kesiapan:{k}" for k in wbk_keys]
    # WBBM: the score passes too, but the WBK predicate is not held, and its own requirements (SAKIP BB) are missing
    assert scored["gates"]["WBBM"]["pass"] is False
    assert scored["eligible"]["WBBM"]["missing"][0] == "predikat:WBK"
    assert "kesiapan:sakip_instansi_bb" in scored["eligible"]["WBBM"]["missing"]
    assert "kesiapan:sakip_instansi" not in scored["eligible"]["WBBM"]["missing"]
    text = runner.invoke(main, ["score", str(_write(tmp_path, data))]).output
    assert f"WBK: 🟡 nilai memenuhi WBK; {len(wbk_keys)} syarat pengusulan belum dipenuhi" in text
    assert "Syarat pengusulan: Opini BPK atas laporan keuangan instansi minimal WTP" in text


def test_with_every_requirement_met_and_wbk_held_both_are_eligible(runner: CliRunner, tmp_path: Path) -> None:
    kesiapan = {r.key: True for r in SPEC.readiness}
    data = {
        "unit": "Balai Uji",
        "answers": _full_marks(),
        "hasil": {"ipak": 4, "ipkp": 4, "capaian_kinerja": "A"},
        "kesiapan": kesiapan,
        "predikat": "WBK",
    }
    scored = _score_json(runner, _write(tmp_path, data))
    assert scored["eligible"]["WBK"] == {"pass": True, "gates_pass": True, "missing": []}
    assert scored["eligible"]["WBBM"]["pass"] is True
    # One WBBM-only requirement unmet: WBK stays eligible, WBBM does not.
    scored = _score_json(runner, _write(tmp_path, {**data, "kesiapan": {**kesiapan, "sakip_unit_bb": False}}))
    assert scored["eligible"]["WBK"]["pass"] is True
    assert scored["eligible"]["WBBM"]["missing"] == ["kesiapan:sakip_unit_bb"]
    assert "WBK: ✅ layak diusulkan" in runner.invoke(main, ["score", str(_write(tmp_path, data))]).output


def test_a_survey_short_by_a_hair_says_what_score_is_needed(runner: CliRunner, tmp_path: Path) -> None:
    data = {"unit": "Balai Uji", "answers": _full_marks(), "hasil": {"ipak": 3.5999, "ipkp": 4, "capaian_kinerja": "A"}}
    text = runner.invoke(main, ["score", str(_write(tmp_path, data))]).output
    assert "Survei persepsi antikorupsi (IPAK): skor survei perlu ≥ 3,60, saat ini 3,5999" in text
    # a points gate short by less than 0.005 reads 0,01, never 0,00
    assert "kurang 0,00 poin" not in text


def test_policy_rules_are_labelled_where_they_decide(runner: CliRunner, tmp_path: Path) -> None:
    answers = {"PRE2A": {"pengaduan_wajib": 0, "pengaduan_selesai": 0}, "PRE3A": {"lhkpn_wajib": 5, "lhkpn_lapor": 5}}
    scored = _score_json(runner, _write(tmp_path, {"unit": "Balai Uji", "answers": answers}))
    assert [n["id"] for n in scored["policy_notes"]] == ["PRE2A"]
    assert "bukan peraturan" in scored["policy_notes"][0]["policy"]
    text = runner.invoke(main, ["score", str(_write(tmp_path, {"unit": "Balai Uji", "answers": answers}))]).output
    assert "Catatan (aturan aplikasi; peraturan tidak mengaturnya):" in text and "PRE2A –" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"unit": "B", "answers": {"PRE3A": {"lhkpn_wajib": float("inf"), "lhkpn_lapor": 1}}}, "bilangan bulat"),
        ({"unit": "B", "answers": {}, "hasil": [1, 2]}, "hasil harus berupa pemetaan"),
        ({"unit": "B", "answers": {"PPA1A": "Ya", "ppa1a": "Tidak"}}, "ditulis dua kali"),
        (
            {
                "unit": "B",
                "answers": {"PRE2A": {"pengaduan_wajib": 5, "pengaduan_diproses": 3, "pengaduan_selesai": 4}},
            },
            "tidak boleh lebih besar",
        ),
        ({"unit": ["B"], "answers": {}}, "nama unit wajib diisi sebagai teks"),
        ({"unit": "B", "answers": {}, "kesiapan": {"opini_wtp": "ya"}}, "true atau false"),
        ({"unit": "B", "answers": {}, "kesiapan": {"tidak_ada": True}}, "tidak dikenal"),
        ({"unit": "B", "answers": {}, "predikat": ["WBK"]}, "tidak dikenal"),
    ],
)
def test_hostile_answers_files_get_a_clear_message(runner: CliRunner, tmp_path: Path, content, message: str) -> None:
    result = runner.invoke(main, ["score", str(_write(tmp_path, content))])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"unit: B\nanswers: " + b"[" * 5000 + b"]" * 5000 + b"\n", "bersarang terlalu dalam"),
        ("unit: Balai Ümlaut\n".encode("latin-1"), "bukan teks UTF-8"),
        (b"unit: [B\n", "bukan YAML yang valid"),
        (
            b"a: &a [1,1,1,1,1,1,1,1,1]\n"
            + b"".join(
                b"%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n" % ((98 + i, 98 + i) + (97 + i,) * 9)
                for i in range(8)
            )
            + b"unit: B\nanswers: {PPA1A: *i}\n",
            "tidak valid",
        ),
        (b"unit: B\n" + b"#" * (3 * 1024 * 1024), "terlalu besar"),
    ],
)
def test_hostile_bytes_are_refused_without_a_traceback(
    runner: CliRunner, tmp_path: Path, raw: bytes, message: str
) -> None:
    path = tmp_path / "jahat.yaml"
    path.write_bytes(raw)
    result = runner.invoke(main, ["score", str(path)])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert len(result.output) < 1000


def _official(shared_dir: Path) -> dict:
    return yaml.safe_load((shared_dir / "domain" / "lke-90-2021-official.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["pengungkit"]["Manajemen Perubahan"]["pemenuhan"]["subindikator"][0].update(bobot=-0.5), "bobot"),
        (lambda d: d["pengungkit"]["Manajemen Perubahan"]["pemenuhan"]["subindikator"][1].update(id="PPA1"), "ganda"),
        (
            lambda d: d["pengungkit"]["Manajemen Perubahan"]["pemenuhan"]["subindikator"][0]["pertanyaan"][0].update(
                id="PP:A1"
            ),
            "tidak valid",
        ),
        (
            lambda d: d["pengungkit"]["Manajemen Perubahan"]["pemenuhan"]["subindikator"][0]["pertanyaan"][0].update(
                id="P" * 70
            ),
            "tidak valid",
        ),
        (lambda d: d["pengungkit"]["Manajemen Perubahan"].update(bobot_total=float("nan")), "bobot"),
        (lambda d: d.update(pengungkit=[1, 2]), "salah bentuk"),
    ],
)
def test_lke_import_refuses_specs_that_would_break_scoring_or_buttons(
    runner: CliRunner, tmp_path: Path, shared_dir: Path, mutate, message: str
) -> None:
    data = _official(shared_dir)
    mutate(data)
    path = tmp_path / "lke-rusak.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(main, ["lke", "import", str(path)])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert runner.invoke(main, ["unit", "add", "Balai X"]).exit_code == 0  # the store still works


def test_lke_show_json_has_every_question_and_the_readiness_list(runner: CliRunner) -> None:
    data = json.loads(runner.invoke(main, ["lke", "show", "--json"]).output)
    assert data["version"] == "lke-90-2021" and len(data["questions"]) == 110
    assert {"key", "label", "predicates"} <= set(data["readiness"][0])
    one = json.loads(runner.invoke(main, ["lke", "show", "pre2a", "--json"]).output)
    assert set(one) == {"id", "label", "area", "aspect", "weight", "type", "options", "policy", "fields"}
    assert one["fields"] == ["pengaduan_wajib", "pengaduan_selesai", "pengaduan_diproses"] and one["policy"]
    assert sum(q["weight"] for q in data["questions"]) == pytest.approx(60.0)
    missing = runner.invoke(main, ["lke", "show", "ZZZ9"])
    assert missing.exit_code == 1 and "tidak ada di LKE" in missing.output


def test_the_predicate_held_is_recorded_and_read_by_the_wbbm_gate(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["unit", "add", "Balai Uji"]).exit_code == 0
    bad = runner.invoke(main, ["unit", "predikat", "Balai Uji", "WBK", "--sk", "1/2024", "--tanggal", "10-12-2024"])
    assert bad.exit_code == 2
    done = runner.invoke(
        main, ["unit", "predikat", "Balai Uji", "wbk", "--sk", "12/KEP/2024", "--tanggal", "2024-12-10"]
    )
    assert done.exit_code == 0, done.output
    from zi_app.config import Settings
    from zi_core.store import Store

    store = Store(Settings().resolved_database_url)
    store.start()
    try:
        spec, worksheet = store.worksheet("Balai Uji")
        assert worksheet.predikat == "WBK"
        entry = next(h for h in store.history("Balai Uji") if h.question_id == "predikat")
        assert (entry.old, entry.new) == (None, "WBK") and entry.note == "SK 12/KEP/2024, tanggal 2024-12-10"
        from zi_core.report import assess

        assert "predikat:WBK" not in assess(spec, worksheet).eligible["WBBM"].missing
    finally:
        store.close()
    unknown = runner.invoke(main, ["unit", "predikat", "Tidak Ada", "WBK", "--sk", "1", "--tanggal", "2024-01-01"])
    assert unknown.exit_code == 1


def test_exports_write_formula_like_text_as_text_and_carry_policy_notes(runner: CliRunner, tmp_path: Path) -> None:
    name = '=HYPERLINK("http://contoh","klik")'
    assert runner.invoke(main, ["unit", "add", name]).exit_code == 0
    out = tmp_path / "lke.xlsx"
    result = runner.invoke(main, ["export", name, "--format", "xlsx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    title = sheet["A1"]
    assert title.data_type == "s" and title.value.startswith("LKE Zona Integritas")
    header = [c.value for c in sheet[2]]
    assert header[10] == "Catatan" and header[11:] == ["Jawaban TPI", "Status TPI", "Catatan TPI", "Tanggapan unit"]
    notes = {row[4].value: row[10].value for row in sheet.iter_rows(min_row=3) if row[4].value}
    assert "bukan peraturan" in notes["PRE2A"] and not notes["PPA1A"]
    assert header[7] == "Kriteria jawaban"
    csv_out = tmp_path / "lke.csv"
    assert runner.invoke(main, ["export", name, "--format", "csv", "--output", str(csv_out)]).exit_code == 0


def test_rekap_xlsx_never_writes_a_formula() -> None:
    import io

    from zi_core.answers import Worksheet
    from zi_core.export import rekap_xlsx
    from zi_core.scoring import score

    card = score(SPEC, Worksheet("x"))
    data = rekap_xlsx(
        [("=1+1", card, {"WBK": "belum", "WBBM": "-"}, 0.0), ("+cmd", card, {"WBK": "@x", "WBBM": "belum"}, 0.0)]
    )
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert {c.value for c in cells} >= {"=1+1", "+cmd", "@x", "-"}
    assert all(c.data_type == "s" for c in cells)


def test_one_scorecard_template_shows_the_specs_minima_in_every_front_end() -> None:
    import yaml

    from bot.render import Templates as BotTemplates
    from zi_app.render import to_plain
    from zi_cli.worksheet import render_scorecard
    from zi_core import validate_worksheet
    from zi_core.gates import gate_label
    from zi_core.report import assess
    from zi_core.spec import build_spec

    raw = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "zi_core" / "data" / "lke-90-2021.yaml").read_text("utf-8")
    )
    raw["gates"]["WBK"]["area_share"] = 0.5
    spec = build_spec(raw)
    a = assess(spec, validate_worksheet(spec, {"unit": "Balai Uji", "answers": {}}))
    cli = render_scorecard(a, top=0)
    bot = BotTemplates().render("scorecard", "scorecard", a=a, label=lambda g: gate_label(spec, g))
    assert cli == to_plain(bot)
    assert "Penguatan Pengawasan: 0,00 / 15 (min WBK 7,50, WBBM 11,25)" in cli
    assert "Pengungkit 0,00 / 60 · Hasil 0,00 / 40" in cli
