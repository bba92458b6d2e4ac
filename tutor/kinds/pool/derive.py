"""The pool kind's derive hooks: shared with conv (tutor/kinds/conv/derive.py)."""

from tutor.kinds.conv.derive import derive_pool  # noqa: F401
