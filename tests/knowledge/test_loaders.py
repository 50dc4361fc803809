from __future__ import annotations

import io
from pathlib import Path

import docx
import pypdf
import pytest

from knowledge import IngestError, load_bytes, load_file
from knowledge.loaders import sniff_kind


@pytest.fixture(scope="module")
def regulation(regulation_pdf: Path):
    return load_file(regulation_pdf)


def test_regulation_pdf_keeps_its_87_pages(regulation) -> None:
    pages = {s.page for s in regulation.segments}
    assert regulation.kind == "pdf"
    assert min(pages) == 1 and max(pages) == 87


def test_rotated_watermark_is_removed_and_body_text_is_intact(regulation) -> None:
    page3 = " ".join(s.text for s in regulation.segments if s.page == 3)
    assert "berkomitmen untuk mewujudkan Wilayah Bebas dari" in page3
    assert "ainamulyana" not in page3.lower()
    assert "pimpinant" not in page3  # a watermark letter glued to a word in naive extraction


def test_page_numbers_and_stamps_are_dropped(regulation) -> None:
    texts = [s.text for s in regulation.segments]
    assert "-3-" not in texts and "- 52 -" not in texts
    assert "SALINAN" not in texts


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_heading("Panduan Gratifikasi", level=1)
    document.add_paragraph("Pegawai wajib menolak hadiah dari rekanan yang berkaitan dengan jabatan.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Batas"
    table.rows[0].cells[1].text = "30 hari kerja"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_headings_paragraphs_and_tables() -> None:
    doc = load_bytes(_docx_bytes(), "panduan.docx")
    assert doc.kind == "docx"
    assert doc.segments[0].text == "Panduan Gratifikasi" and doc.segments[0].level == 1
    assert any("menolak hadiah" in s.text for s in doc.segments)
    assert any(s.text == "Batas | 30 hari kerja" for s in doc.segments)


def test_html_drops_scripts_and_keeps_headings() -> None:
    html = b"<html><head><title>t</title><script>var x = 'rahasia';</script></head><body><h2>Survei IPAK</h2><p>Minimal 30 responden.</p></body></html>"
    doc = load_bytes(html, "berita.html")
    assert [(s.text, s.level) for s in doc.segments] == [("Survei IPAK", 2), ("Minimal 30 responden.", 0)]


def test_news_copy_loses_share_labels_and_keeps_its_byline_apart(shared_dir: Path) -> None:
    doc = load_file(shared_dir / "seed" / "klhk-sosialisasi-zi-2023.txt")
    texts = [s.text for s in doc.segments]
    assert "Salin Tautan :" not in texts
    assert texts[-2].endswith("sebagai role modelnya.")
    assert texts[-1] == "[Penulis : NN Wijayanti I Editor : JoY )"


def test_html_byline_and_share_button_are_handled_like_text() -> None:
    html = b"<html><body><p>Sosialisasi ZI digelar di aula. (Pewarta: Sari)</p><p>Bagikan:</p></body></html>"
    doc = load_bytes(html, "berita.html")
    assert [s.text for s in doc.segments] == ["Sosialisasi ZI digelar di aula.", "(Pewarta: Sari)"]


def test_kind_is_chosen_by_content_not_extension() -> None:
    assert sniff_kind(_docx_bytes(), "salah-nama.txt") == "docx"
    assert sniff_kind(b"<!DOCTYPE html><html><body><p>x</p></body></html>", "x.txt") == "html"
    assert sniff_kind(b"# Judul\n\nisi", "catatan") == "markdown"


def _blank_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _encrypted_pdf(regulation_pdf: Path) -> bytes:
    reader = pypdf.PdfReader(regulation_pdf)
    writer = pypdf.PdfWriter()
    writer.add_page(reader.pages[2])
    writer.encrypt(user_password="rahasia", owner_password="rahasia", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "kosong.pdf", "empty"),
        (b"ini hanya teks biasa yang diganti namanya", "palsu.pdf", "corrupt"),
        (b"%PDF-1.7\n garbage that is not a pdf", "rusak.pdf", "corrupt"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "gambar.png", "unsupported"),
        (b"PK\x03\x04 not really a zip", "rusak.docx", "corrupt"),
    ],
)
def test_bad_files_raise_a_reasoned_ingest_error(data: bytes, name: str, reason: str) -> None:
    with pytest.raises(IngestError) as info:
        load_bytes(data, name)
    assert info.value.reason == reason


def test_scanned_pdf_without_text_layer_is_reported() -> None:
    with pytest.raises(IngestError) as info:
        load_bytes(_blank_pdf(), "pindaian.pdf")
    assert info.value.reason == "no_text_layer"


def test_encrypted_pdf_is_reported(regulation_pdf: Path) -> None:
    with pytest.raises(IngestError) as info:
        load_bytes(_encrypted_pdf(regulation_pdf), "terkunci.pdf")
    assert info.value.reason == "encrypted"


def test_file_over_the_size_limit_is_reported() -> None:
    with pytest.raises(IngestError) as info:
        load_bytes(b"a" * 2048, "besar.txt", max_bytes=1024)
    assert info.value.reason == "too_large"


# --- bounded work per document ------------------------------------------------------------------------------------


def _with_part(archive: bytes, name: str, size: int) -> bytes:
    """`archive` with one more part of `size` zero bytes (compresses to almost nothing)."""
    import zipfile

    buffer = io.BytesIO(archive)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, b"\0" * size)
    return buffer.getvalue()


def test_a_docx_bomb_is_refused_before_anything_is_inflated() -> None:
    import tracemalloc

    bomb = _with_part(_docx_bytes(), "word/media/bom.bin", 60 * 1024 * 1024)
    assert len(bomb) < 200 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(IngestError) as caught:
            load_bytes(bomb, "bom.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.reason == "too_large"
    assert peak < 10 * 1024 * 1024  # the 60 MB part was never inflated


def test_an_absurd_compression_ratio_is_refused_even_under_the_size_limit() -> None:
    from knowledge.archive import ArchiveLimits, inspect_zip

    archive = _with_part(_docx_bytes(), "word/media/nol.bin", 5 * 1024 * 1024)
    with pytest.raises(IngestError, match="rasio"):
        inspect_zip(archive, "nol.docx")
    assert "word/document.xml" in inspect_zip(archive, "nol.docx", ArchiveLimits(max_ratio=10_000))


def _slow_pdf(operations: int) -> bytes:
    """A few kilobytes whose one page draws `operations` strings: seconds of parsing."""
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(200, 200)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 10 10 Td (x) Tj ET\n" * operations)
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_that_takes_too_long_is_stopped(monkeypatch) -> None:
    import time

    import knowledge.loaders as loaders

    data = _slow_pdf(150_000)  # about 6 s of parsing, measured
    assert len(data) < 20_000
    monkeypatch.setattr(loaders, "PDF_LIMITS", loaders.PdfLimits(timeout=1.5))
    started = time.monotonic()
    with pytest.raises(IngestError) as caught:
        load_bytes(data, "lambat.pdf")
    assert caught.value.reason == "timeout"
    assert time.monotonic() - started < 5


def test_a_pdf_over_the_page_limit_is_refused(monkeypatch) -> None:
    import knowledge.loaders as loaders

    writer = pypdf.PdfWriter()
    for _ in range(3):
        writer.add_blank_page(100, 100)
    buffer = io.BytesIO()
    writer.write(buffer)
    monkeypatch.setattr(loaders, "PDF_LIMITS", loaders.PdfLimits(max_pages=2))
    with pytest.raises(IngestError, match="3 halaman melebihi batas 2") as caught:
        load_bytes(buffer.getvalue(), "tebal.pdf")
    assert caught.value.reason == "too_large"
