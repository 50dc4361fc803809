"""Indonesian number formatting for scorecards ("78,40")."""

from __future__ import annotations


def angka(value: float, digits: int = 2) -> str:
    """Format with a decimal comma and dot thousands separators: 1234.5 -> '1.234,50'."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def persen(value: float, digits: int = 1) -> str:
    return f"{angka(value * 100, digits)}%"
