"""The pool kind's pictures hooks: shared with conv (tutor/kinds/conv/pictures.py)."""

from tutor.kinds.conv.pictures import diagram  # noqa: F401
