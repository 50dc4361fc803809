"""PNG charts (matplotlib, Agg): a unit's areas against the WBK/WBBM minima, and the all-units table."""

from __future__ import annotations

import io
from collections.abc import Mapping

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from zi_core.format import angka  # noqa: E402
from zi_core.report import Assessment  # noqa: E402


def area_chart(a: Assessment) -> bytes:
    names = [area.name.replace("Penataan Sistem Manajemen SDM", "Manajemen SDM") for area in a.spec.areas]
    shares = [a.card.areas[area.key].share * 100 for area in a.spec.areas]
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=110)
    colors = ["#2e7d32" if s >= 75 else "#f9a825" if s >= 60 else "#c62828" for s in shares]
    ax.barh(names[::-1], shares[::-1], color=colors[::-1])
    ax.axvline(a.spec.gates["WBK"].area_share * 100, color="#555", linestyle="--", linewidth=1, label="min WBK")
    ax.axvline(a.spec.gates["WBBM"].area_share * 100, color="#111", linestyle=":", linewidth=1.2, label="min WBBM")
    ax.set_xlim(0, 100)
    ax.set_xlabel("% dari bobot area")
    ax.set_title(f"{a.worksheet.unit} – total {angka(a.card.total)}", fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def rekap_table(rows: list[tuple[str, Assessment]], stages: Mapping[str, tuple[str, float | None]]) -> bytes:
    """Every unit as a table image: scores, verdicts, completion, review stage and the TPI's total."""
    header = ["Unit", "Total", "Pengungkit", "Hasil", "WBK", "WBBM", "Terisi", "Tahap", "Total TPI"]
    cells = [
        [
            name[:32],
            angka(a.card.total),
            angka(a.card.pengungkit),
            angka(a.card.hasil),
            a.verdict_text("WBK"),
            a.verdict_text("WBBM"),
            f"{a.completion:.0%}",
            stages.get(name, ("", None))[0][:28],
            angka(tpi) if (tpi := stages.get(name, ("", None))[1]) is not None else "–",
        ]
        for name, a in rows
    ] or [["(belum ada unit)", "", "", "", "", "", "", "", ""]]
    fig, ax = plt.subplots(figsize=(11, 0.45 * (len(cells) + 2)), dpi=110)
    ax.axis("off")
    table = ax.table(cellText=cells, colLabels=header, loc="center", cellLoc="center")
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    table.scale(1, 1.3)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()
