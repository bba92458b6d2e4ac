"""Numbers written for people: a few significant figures, no "-0", no "2.000", no "1e-05"."""

from __future__ import annotations

import math


def format_number(x: float, sig: int = 4) -> str:
    """A number for people: ``sig`` significant figures, no "-0", no "2.000", no "1e-05".

    Plain decimals for 1e-4 <= |x| < 1e6 (whole-number digits are never rounded away:
    123456.7 -> "123457"); otherwise "1.235e5" / "1.2e-5". Trailing zeros are dropped.
    """
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    sig = max(1, int(sig))
    if 1e-4 <= abs(x) < 1e6:
        decimals = max(0, sig - 1 - math.floor(math.log10(abs(x))))
        text = _trim(f"{x:.{decimals}f}")
    else:
        mantissa, exponent = f"{x:.{sig - 1}e}".split("e")
        text = f"{_trim(mantissa)}e{int(exponent)}"
    return "0" if text == "-0" else text


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(value, brackets: tuple[str, str] = ("(", ")"), sig: int = 4) -> str:
    """A step's value for people: a number, a vector "(0.3, -0.8, 0.5)" or a matrix
    "((1, 2), (3, 4))", each number as ``format_number`` writes it."""
    if isinstance(value, (tuple, list)):
        open_, close = brackets
        return open_ + ", ".join(format_value(entry, brackets, sig) for entry in value) + close
    return format_number(value, sig)


def typed_value(value, sig: int = 4) -> str:
    """A value as a student types it: "0.5", "0.3, -0.8" or, for a matrix, "1, 2; 3, 4"."""
    if isinstance(value, (tuple, list)):
        if any(isinstance(entry, (tuple, list)) for entry in value):
            return "; ".join(typed_value(row, sig) for row in value)
        return format_value(value, ("", ""), sig)
    return format_number(value, sig)
