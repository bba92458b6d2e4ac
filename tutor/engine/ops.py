"""The maths moved to tutor/maths; optimizer.py, being moved into tutor/kinds, still imports Sqrt here."""

from ..maths.printed import Sqrt

__all__ = ["Sqrt"]
