"""The helper process of :mod:`tutor.engine.budget`: ``python -m tutor.engine.simplify_child``.

It reads SymPy expressions (pickled, each after a 4-byte length) on stdin and answers each with
its ``sympy.simplify`` on stdout, after first saying it is ready with an empty message. Each
question arms an alarm a little past the budget, so a helper whose parent died without killing
it ends by itself.
"""

from __future__ import annotations

import math
import pickle
import signal
import struct
import sys
from typing import BinaryIO

_HEADER = struct.Struct("!I")
_ALARM_SECONDS = 5  # budget.SIMPLIFY_SECONDS and a margin; the parent kills us first


def _send(out: BinaryIO, data: bytes) -> None:
    out.write(_HEADER.pack(len(data)) + data)
    out.flush()


def _receive(source: BinaryIO) -> bytes | None:
    header = source.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None  # the parent is gone
    return source.read(_HEADER.unpack(header)[0])


def serve(source: BinaryIO, out: BinaryIO) -> None:
    import sympy as sp

    x, y = sp.symbols("x y")
    # SymPy loads most of simplify's machinery on first use (0.25 s here): not on a question's clock.
    sp.simplify(-sp.sin(x) / sp.cos(x) + 2 * (x + y) * sp.exp(x) / (1 + sp.exp(-x)))
    _send(out, b"")
    while (question := _receive(source)) is not None:
        if hasattr(signal, "alarm"):
            signal.alarm(math.ceil(_ALARM_SECONDS))
        answer = sp.simplify(pickle.loads(question))
        if hasattr(signal, "alarm"):
            signal.alarm(0)
        _send(out, pickle.dumps(answer))


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
