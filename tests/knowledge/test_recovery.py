"""Sources never stop the service: a bad file is skipped, a damaged served index is set aside and rebuilt."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from knowledge.embedders import HashingEmbedder
from knowledge.errors import CorruptIndexError
from knowledge.service import KnowledgeBase
from knowledge.versions import current_version, read_version

DOCS = {
    "gratifikasi.md": "# Gratifikasi\n\nPenerima gratifikasi wajib melapor ke KPK paling lambat tiga puluh hari kerja.\n",
    "survei.md": "# Survei\n\nSurvei persepsi anti korupsi memakai minimal tiga puluh responden per unit kerja.\n",
}


def _malformed_docx() -> bytes:
    """A ZIP that looks like a DOCX (both main parts present) whose document part is not XML."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(
            "[Content_Types].xml", "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>"
        )
        zf.writestr("word/document.xml", "<w:document><<< bukan xml")
    return buffer.getvalue()


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _kb(tmp_path: Path, sources: Path) -> KnowledgeBase:
    return KnowledgeBase(tmp_path / "idx", [sources], HashingEmbedder())


def test_a_malformed_docx_is_reported_and_skipped_and_the_rest_indexed(tmp_path: Path, sources: Path) -> None:
    (sources / "rusak.docx").write_bytes(_malformed_docx())
    kb = _kb(tmp_path, sources)
    report = kb.ensure_ready()
    assert report is not None
    by_name = {f.source: f for f in report.files}
    assert by_name["rusak.docx"].status == "skipped" and by_name["rusak.docx"].reason in {"corrupt", "error"}
    assert by_name["gratifikasi.md"].status == "indexed"
    # /muatulang with it still there, and a restart, both serve.
    assert kb.reload().version is not None
    again = _kb(tmp_path, sources)
    again.ensure_ready()
    assert again.retriever.search("gratifikasi KPK", k=1)[0].chunk.source == "gratifikasi.md"


@pytest.mark.parametrize(
    "damage",
    [
        lambda v: (v / "manifest.json").write_text("{ bukan json", encoding="utf-8"),
        lambda v: (v / "chunks.jsonl").write_text(
            (v / "chunks.jsonl").read_text(encoding="utf-8").splitlines()[0][:40], encoding="utf-8"
        ),
        lambda v: (v / "chunks.jsonl").write_text(
            (v / "chunks.jsonl").read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8"
        ),
        lambda v: (v / "vectors.npy").write_bytes(b"\x93NUMPY garbage"),
        lambda v: (v / "dense.faiss").write_bytes(b"bukan faiss"),
    ],
    ids=["garbage-manifest", "truncated-chunks", "missing-chunks", "garbage-vectors", "garbage-faiss"],
)
def test_a_damaged_served_index_is_set_aside_and_rebuilt_at_start(
    tmp_path: Path, sources: Path, damage, caplog: pytest.LogCaptureFixture
) -> None:
    kb = _kb(tmp_path, sources)
    kb.ensure_ready()
    damaged = current_version(tmp_path / "idx")
    assert damaged is not None
    damage(damaged)
    restarted = _kb(tmp_path, sources)
    with caplog.at_level(logging.WARNING):
        restarted.ensure_ready()
    assert restarted.retriever.search("gratifikasi KPK", k=1)[0].chunk.source == "gratifikasi.md"
    assert restarted.retriever.version != damaged.name
    assert any("set aside" in r.getMessage() for r in caplog.records)
    assert list((tmp_path / "idx" / "corrupt").iterdir())  # kept for inspection, out of the served versions


def test_counts_that_disagree_are_caught_at_load(tmp_path: Path, sources: Path) -> None:
    kb = _kb(tmp_path, sources)
    kb.ensure_ready()
    version = current_version(tmp_path / "idx")
    assert version is not None
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    manifest["documents"]["survei.md"]["chunks"] += 1
    manifest["chunk_count"] += 1
    (version / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CorruptIndexError, match="disagree"):
        read_version(version)


def test_zi_kb_build_repairs_a_damaged_index(tmp_path: Path, sources: Path, monkeypatch) -> None:
    from zi_cli import main

    monkeypatch.setenv("ZI_EMBEDDING_BACKEND", "hashing")
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    index = tmp_path / "cli-idx"
    runner = CliRunner()
    assert runner.invoke(main, ["kb", "build", "--source", str(sources), "--index", str(index)]).exit_code == 0
    version = current_version(index)
    assert version is not None
    (version / "chunks.jsonl").write_text("{", encoding="utf-8")
    broken = runner.invoke(main, ["kb", "ask", "--index", str(index), "gratifikasi"])
    assert broken.exit_code == 1 and "unreadable" in broken.output
    rebuilt = runner.invoke(main, ["kb", "build", "--source", str(sources), "--index", str(index)])
    assert rebuilt.exit_code == 0, rebuilt.output
    asked = runner.invoke(main, ["kb", "ask", "--index", str(index), "gratifikasi KPK"])
    assert asked.exit_code == 0 and "gratifikasi" in asked.output.lower()


def test_uploads_keep_their_names_apart_and_never_replace_source_material(tmp_path: Path, sources: Path) -> None:
    kb = KnowledgeBase(tmp_path / "idx", [sources], HashingEmbedder(), uploads_dir=tmp_path / "uploads")
    kb.ensure_ready()
    text = b"# Survei palsu\n\nSurvei ini tidak perlu responden sama sekali menurut unggahan.\n"
    clash = kb.add_document(text, "survei.md")  # the name of a source document
    assert clash.stored == "survei-unggahan.md" and not clash.replaced
    assert (sources / "survei.md").read_text(encoding="utf-8") == DOCS["survei.md"]
    sources_served = {c.source for c in kb.retriever.served.index.chunks}
    assert {"survei.md", "survei-unggahan.md"} <= sources_served  # both served, the bundled one intact
    first = kb.add_document(b"# Materi A\n\nIsi materi pertama tentang pakta integritas.\n", "Materi ZI.md")
    second = kb.add_document(b"# Materi B\n\nIsi materi kedua tentang agen perubahan.\n", "materi_ZI.md")
    assert first.stored == "Materi_ZI.md" and second.stored != first.stored  # normalise alike, kept apart
    again = kb.add_document(b"# Materi A\n\nIsi materi pertama yang diperbarui.\n", "Materi ZI.md")
    assert again.stored == first.stored and again.replaced
    assert len(list((tmp_path / "uploads").glob("*.md"))) == 3


def test_kill_9_during_a_build_leaves_the_served_index_answering(tmp_path: Path, sources: Path) -> None:
    """A real `zi kb build` process killed with SIGKILL halfway through: the version served before still answers,
    and the next build completes (the half-written version is left out)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    index = tmp_path / "idx"
    env = {**os.environ, "ZI_EMBEDDING_BACKEND": "hashing", "ZI_DATA_DIR": str(tmp_path / "data")}
    command = [sys.executable, "-m", "zi_cli", "kb", "build", "--source", str(sources), "--index", str(index)]
    assert subprocess.run(command, env=env, capture_output=True, timeout=120).returncode == 0
    served = current_version(index)
    assert served is not None
    many = sources / "banyak"
    many.mkdir()
    for i in range(400):
        (many / f"materi-{i:03d}.md").write_text(
            f"# Materi {i}\n\n" + " ".join(f"kalimat {j} tentang pembangunan zona integritas." for j in range(200)),
            encoding="utf-8",
        )
    build = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    time.sleep(2.0)
    assert build.poll() is None, "the build finished before it could be killed"
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=30)
    assert current_version(index) == served
    kb = KnowledgeBase(index, [], HashingEmbedder())
    kb.retriever.load()
    assert kb.retriever.search("gratifikasi KPK", k=1)[0].chunk.source == "gratifikasi.md"
    again = subprocess.run(command, env=env, capture_output=True, timeout=600)
    assert again.returncode == 0, again.stdout[-500:]
    assert current_version(index) != served
