from __future__ import annotations

import threading
from pathlib import Path

from knowledge import Analyzer, IndexBuilder, Retriever
from knowledge.embedders import HashingEmbedder


def test_concurrent_queries_during_reload_all_succeed(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.md").write_text(
        "# A\n\nPencanangan zona integritas diikuti penandatanganan pakta integritas.\n", encoding="utf-8"
    )
    embedder, analyzer = HashingEmbedder(), Analyzer()
    builder = IndexBuilder(embedder, analyzer)
    builder.build([src], tmp_path / "idx")
    retriever = Retriever(tmp_path / "idx", embedder, analyzer)
    retriever.load()

    errors: list[BaseException] = []
    answered = 0
    stop = threading.Event()
    lock = threading.Lock()

    def ask() -> None:
        nonlocal answered
        while not stop.is_set():
            try:
                hits = retriever.search("pakta integritas pencanangan", k=3)
                assert hits and "pakta" in hits[0].chunk.text.lower()
                with lock:
                    answered += 1
            except BaseException as exc:  # noqa: BLE001 - every failure counts
                errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    versions = set()
    for i in range(6):
        (src / f"b{i}.md").write_text(
            f"# B{i}\n\nDokumen tambahan nomor {i} tentang survei kepuasan.\n", encoding="utf-8"
        )
        builder.build([src], tmp_path / "idx")
        versions.add(retriever.reload())
    stop.set()
    for t in threads:
        t.join()
    assert not errors
    assert answered > 0
    assert len(versions) == 6
    assert len(retriever.served.index) == 7
