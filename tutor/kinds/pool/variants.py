"""The pool kind's variants hooks: shared with conv (tutor/kinds/conv/variants.py)."""

from tutor.kinds.conv.variants import draw, vary_keys  # noqa: F401
