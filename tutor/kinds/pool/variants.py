"""The pool kind's variants hooks: shared with conv (tutor/kinds/conv/variants.py)."""

from tutor.kinds.conv.variants import vary_keys, draw  # noqa: F401
