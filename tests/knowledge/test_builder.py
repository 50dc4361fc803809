from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge import Analyzer, IndexBuilder, ManifestMismatchError, Retriever
from knowledge.embedders import HashingEmbedder
from knowledge.versions import current_version, load_index

DOCS = {
    "gratifikasi.md": "# Gratifikasi\n\nPenerima gratifikasi wajib melapor ke KPK paling lambat tiga puluh hari kerja sejak diterima.\n",
    "survei.md": "# Survei\n\nSurvei persepsi anti korupsi memakai minimal tiga puluh responden untuk setiap unit kerja.\n",
    "tahapan.txt": "Tahapan pembangunan zona integritas dimulai dengan pencanangan lalu penetapan unit kerja.\n",
}


def _write(folder: Path, docs: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    _write(folder, DOCS)
    return folder


def _builder(embedder: HashingEmbedder | None = None) -> IndexBuilder:
    return IndexBuilder(embedder or HashingEmbedder(), Analyzer())


def test_incremental_build_embeds_only_the_changed_document(sources: Path, tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    builder = _builder(embedder)
    first = builder.build([sources], tmp_path / "idx")
    assert {f.status for f in first.files} == {"indexed"}
    embedded_first = embedder.texts_embedded

    (sources / "survei.md").write_text(
        "# Survei\n\nRespondennya minimal tiga puluh orang penerima layanan.\n", encoding="utf-8"
    )
    second = builder.build([sources], tmp_path / "idx")
    statuses = {f.doc_id: f.status for f in second.files}
    assert statuses == {"gratifikasi.md": "unchanged", "survei.md": "indexed", "tahapan.txt": "unchanged"}
    assert embedder.texts_embedded - embedded_first == second.embedded_chunks == 1
    assert second.version != first.version


def test_the_embedder_reads_capitals_in_the_case_the_document_uses_elsewhere(tmp_path: Path) -> None:
    class Recording(HashingEmbedder):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        def passage(self, texts):  # type: ignore[no-untyped-def]
            self.seen.extend(texts)
            return super().passage(texts)

    folder = tmp_path / "src"
    _write(folder, {"syarat.md": "# SYARAT PENGUSULAN WBK\n\nSyarat pengusulan unit ke TPN ditetapkan setiap tahun.\n"})
    embedder = Recording()
    _builder(embedder).build([folder], tmp_path / "idx")
    assert embedder.seen == ["syarat pengusulan WBK\nSyarat pengusulan unit ke TPN ditetapkan setiap tahun."]
    # BM25 and the stored passage keep the text as written.
    index, _, _ = load_index(tmp_path / "idx", None)
    assert index.chunks[0].section == "SYARAT PENGUSULAN WBK"


def test_nothing_changed_keeps_the_served_version(sources: Path, tmp_path: Path) -> None:
    builder = _builder()
    first = builder.build([sources], tmp_path / "idx")
    again = builder.build([sources], tmp_path / "idx")
    assert not again.changed and again.version == first.version


def test_removed_source_leaves_the_index(sources: Path, tmp_path: Path) -> None:
    builder = _builder()
    builder.build([sources], tmp_path / "idx")
    (sources / "tahapan.txt").unlink()
    report = builder.build([sources], tmp_path / "idx")
    assert [f.doc_id for f in report.by_status("removed")] == ["tahapan.txt"]
    index, manifest, _ = load_index(tmp_path / "idx", None)
    assert "tahapan.txt" not in manifest.documents
    assert all(c.doc_id != "tahapan.txt" for c in index.chunks)


def test_index_built_with_other_settings_is_refused(sources: Path, tmp_path: Path) -> None:
    _builder(HashingEmbedder(dim=256)).build([sources], tmp_path / "idx")
    retriever = Retriever(tmp_path / "idx", HashingEmbedder(dim=128), Analyzer())
    with pytest.raises(ManifestMismatchError, match="embedder"):
        retriever.load()


class _CrashingEmbedder(HashingEmbedder):
    """Fails on the n-th passage batch, as a killed process or a full disk would."""

    def __init__(self, crash_on_call: int) -> None:
        super().__init__()
        self.crash_on_call = crash_on_call

    def passage(self, texts):  # type: ignore[no-untyped-def]
        if self.calls + 1 == self.crash_on_call:
            raise RuntimeError("simulated crash in the middle of a build")
        return super().passage(texts)


def test_crash_mid_build_leaves_the_previous_index_served(sources: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    first = _builder().build([sources], index_dir)
    for name in DOCS:
        (sources / name).write_text(
            DOCS[name] + "\nTambahan kalimat baru yang mengubah isi berkas ini.\n", encoding="utf-8"
        )
    with pytest.raises(RuntimeError, match="simulated crash"):
        _builder(_CrashingEmbedder(crash_on_call=2)).build([sources], index_dir)
    version = current_version(index_dir)
    assert version is not None and version.name == first.version
    retriever = Retriever(index_dir, HashingEmbedder(), Analyzer())
    retriever.load()
    assert "Tambahan" not in " ".join(c.text for c in retriever.served.index.chunks)
    assert retriever.search("gratifikasi lapor KPK", k=1)[0].chunk.doc_id == "gratifikasi.md"


def test_bad_files_are_reported_and_the_rest_indexed(sources: Path, tmp_path: Path) -> None:
    (sources / "palsu.pdf").write_text("bukan pdf", encoding="utf-8")
    (sources / "kosong.md").write_bytes(b"")
    (sources / "foto.jpg").write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    report = _builder().build([sources], tmp_path / "idx")
    skipped = {f.source: f.reason for f in report.by_status("skipped")}
    assert skipped == {"palsu.pdf": "corrupt", "kosong.md": "empty", "foto.jpg": "unsupported"}
    assert len(report.by_status("indexed")) == 3


def test_a_good_document_replaced_by_a_broken_one_keeps_its_previous_version(sources: Path, tmp_path: Path) -> None:
    builder = _builder()
    builder.build([sources], tmp_path / "idx")
    (sources / "survei.md").write_bytes(b"")
    report = builder.build([sources], tmp_path / "idx")
    (kept,) = report.by_status("kept_previous")
    assert kept.doc_id == "survei.md" and kept.reason == "empty"
    index, _, _ = load_index(tmp_path / "idx", None)
    assert any("responden" in c.text for c in index.chunks)


def test_analyzer_change_recomputes_terms_without_embedding_again(sources: Path, tmp_path: Path) -> None:
    embedder = HashingEmbedder()
    builder = _builder(embedder)
    first = builder.build([sources], tmp_path / "idx")
    version_dir = current_version(tmp_path / "idx")
    assert version_dir is not None
    # Pretend the index was built by an older analyzer that produced other terms.
    manifest_path = version_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["analyzer"] = "an-older-analyzer"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    chunks_path = version_dir / "chunks.jsonl"
    rows = [json.loads(line) for line in chunks_path.read_text(encoding="utf-8").splitlines()]
    chunks_path.write_text("".join(json.dumps({**r, "terms": ["usang"]}) + "\n" for r in rows), encoding="utf-8")
    embedded = embedder.texts_embedded

    report = builder.build([sources], tmp_path / "idx")

    assert report.changed and report.version != first.version
    assert embedder.texts_embedded == embedded
    index, stored, _ = load_index(tmp_path / "idx", builder.expected_manifest())
    assert stored.analyzer == builder.expected_manifest().analyzer
    assert all(terms != ["usang"] for terms in index.terms)
    assert "gratifikasi" in {t for terms in index.terms for t in terms}
