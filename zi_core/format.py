"""Indonesian number formatting for scorecards ("78,40")."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def angka(value: float, digits: int = 2) -> str:
    """Format with a decimal comma and dot thousands separators: 1234.5 -> '1.234,50'."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def angka_naik(value: float, digits: int = 2) -> str:
    """Rounded up, so that a shortfall never reads as zero: 0.0001 -> '0,01'."""
    scale = 10**digits
    return angka(math.ceil(value * scale - 1e-9) / scale, digits)


def angka_beda(value: float, other: float, digits: int = 2) -> str:
    """`value` with as many decimals (up to 4) as it takes to read differently from `other` when they differ:
    3.5999 beside 3.60 is '3,5999', not '3,60'."""
    for places in range(digits, 5):
        if angka(value, places) != angka(other, places) or value == other:
            return angka(value, places)
    return angka(value, 4)


def persen(value: float, digits: int = 1) -> str:
    return f"{angka(value * 100, digits)}%"


def answer_text(value: Any) -> str:
    """An answer as one cell: a choice as is, counts as "key=value; ...", nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return str(value)
