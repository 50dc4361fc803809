from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import ChunkerConfig, chunk_document, load_bytes, load_file
from knowledge.chunking import split_sentences


@pytest.fixture(scope="module")
def chunks(regulation_pdf: Path):
    return chunk_document(load_file(regulation_pdf), ChunkerConfig())


def test_each_pasal_1_definition_is_its_own_chunk(chunks) -> None:
    definitions = [c for c in chunks if c.section.endswith("Pasal 1")]
    kawasan = [c for c in definitions if c.text.startswith("5. Kawasan adalah")]
    assert len(kawasan) == 1
    assert "lintas instansi yang menyelenggarakan" in kawasan[0].text
    assert "Instansi Pemerintah adalah" not in kawasan[0].text
    assert kawasan[0].page == 3
    assert kawasan[0].section.startswith("BAB I KETENTUAN UMUM")


def test_table_6_thresholds_stay_together_under_their_title(chunks) -> None:
    table = [c for c in chunks if "Tabel 6" in c.section]
    assert table, "Tabel 6 must be a heading"
    # The caption breaks off at "menuju Menuju" and ends on the next line.
    assert table[0].section.endswith("unit kerja/satuan kerja menuju Menuju WBK/WBBM")
    assert table[0].text.startswith("SYARAT Menuju WBK Menuju WBBM")
    text = " ".join(c.text for c in table)
    assert "18,25" in text and "Nilai Minimal Pengungkit 40 48" in text
    assert table[0].page == 58


def test_a_captioned_table_keeps_its_header_row_as_text_not_title(chunks) -> None:
    table = [c for c in chunks if "Tabel 7" in c.section]
    assert table, "Tabel 7 must be a heading"
    assert table[0].section.endswith("Tabel 7. Ilustrasi Kawasan yang Ditetapkan Menuju WBK")
    assert table[0].text.startswith("KONDISI UNIT KERJA/SATUAN KERJA INTEGRASI KAWASAN PENETAPAN")
    # A chapter's title still follows its "BAB" label when it sits on the next line.
    assert any(c.section.startswith("BAB III EVALUASI PEMBANGUNAN ZONA INTEGRITAS OLEH TIM PENILAI") for c in chunks)


def test_pages_follow_the_text_across_a_long_block(chunks) -> None:
    pra = [c for c in chunks if c.section.endswith("A. Pra Evaluasi")]
    assert {c.page for c in pra} >= {52, 53}


def test_chunk_sizes_stay_near_the_configured_window(chunks) -> None:
    sizes = [len(c.text.split()) for c in chunks]
    assert max(sizes) <= 150 * 2  # definitions may run long; nothing explodes
    assert sum(60 <= s <= 150 for s in sizes) / len(sizes) > 0.6


def test_heading_path_is_part_of_the_indexed_text(chunks) -> None:
    chunk = next(c for c in chunks if c.section)
    assert chunk.indexed_text.startswith(chunk.section)
    assert chunk.text in chunk.indexed_text


def test_markdown_heading_path_nests() -> None:
    md = b"# Gratifikasi\n\n## Batas nilai\n\nHadiah pernikahan paling banyak satu setengah juta rupiah per pemberi.\n"
    (chunk,) = chunk_document(load_bytes(md, "faq.md"), ChunkerConfig())
    assert chunk.section == "Gratifikasi > Batas nilai"
    assert chunk.page is None


def test_sentences_do_not_break_on_list_letters() -> None:
    text = "Syaratnya ada dua hal penting. a. opini WTP dari BPK; b. SAKIP minimal B untuk WBK."
    assert split_sentences(text) == [
        "Syaratnya ada dua hal penting.",
        "a. opini WTP dari BPK;",
        "b. SAKIP minimal B untuk WBK.",
    ]


def test_consecutive_chunks_join_without_their_overlap(chunks) -> None:
    from knowledge.chunking import join_chunks

    same = next(
        (a, b)
        for a, b in zip(chunks, chunks[1:], strict=False)
        if a.doc_id == b.doc_id and a.section == b.section and split_sentences(b.text)[0] in a.text
    )
    joined = join_chunks(same)
    # Every sentence of both, the overlapping ones once.
    for sentence in split_sentences(same[0].text) + split_sentences(same[1].text):
        assert joined.count(sentence) == 1, sentence
    assert joined.startswith(same[0].text) and joined.endswith(same[1].text)


def test_a_joined_chunk_under_another_heading_opens_with_it() -> None:
    from knowledge.chunking import Chunk, join_chunks

    first = Chunk(
        "a", "d", "d.md", None, "Gratifikasi > Batas nilai", "Nilai paling banyak satu juta rupiah per orang."
    )
    second = Chunk("b", "d", "d.md", None, "Gratifikasi > Cara lapor", "Laporkan lewat aplikasi dalam tiga puluh hari.")
    assert join_chunks([first, second]) == f"{first.text}\nCara lapor\n{second.text}"
    # Words the two happen to share are not an overlap: only whole shared sentences are.
    third = Chunk("c", "d", "d.md", None, "Gratifikasi > Batas nilai", "per orang. Berlaku untuk semua pegawai.")
    assert join_chunks([first, third]) == f"{first.text} {third.text}"
