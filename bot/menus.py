"""Command menus per role (set with set_my_commands)."""

from __future__ import annotations

from telegram import BotCommand

COMMANDS = {
    "pegawai": [("tanya", "Ajukan pertanyaan tentang ZI"), ("bantuan", "Apa yang bisa saya bantu")],
    "koordinator": [
        ("checklist", "Isi LKE dengan tombol"),
        ("lapor", "Isi satu jawaban LKE"),
        ("hasil", "Catat hasil survei"),
        ("bukti", "Lampirkan bukti"),
        ("kesiapan", "Syarat pengusulan (Tabel 5)"),
        ("skor", "Kartu nilai dan syarat WBK/WBBM"),
        ("celah", "Perbaikan paling berdampak"),
        ("riwayat", "Riwayat perubahan"),
        ("ekspor", "Unduh LKE (XLSX/CSV)"),
        ("batal", "Batalkan berkas atau isian yang ditunggu"),
    ],
    "admin": [
        ("unggah", "Unggah materi"),
        ("muatulang", "Muat ulang basis pengetahuan"),
        ("unit", "Daftar/tambah unit"),
        ("koordinator", "Tetapkan koordinator"),
        ("rekap", "Rekap semua unit"),
        ("predikat", "Catat predikat unit (SK)"),
        ("belumterjawab", "Pertanyaan belum terjawab"),
        ("jawab", "Jawab pertanyaan yang belum terjawab"),
        ("pengingat", "Atur jam pengingat"),
    ],
}


def commands_for(role: str) -> list[BotCommand]:
    roles = {"pegawai": ["pegawai"], "koordinator": ["pegawai", "koordinator"], "admin": list(COMMANDS)}[role]
    return [BotCommand(name, text) for r in roles for name, text in COMMANDS[r]]
