"""The pool kind's spec hooks: shared with conv (tutor/kinds/conv/spec.py)."""

from tutor.kinds.conv.spec import PoolSpec  # noqa: F401
