"""The pool kind's gradcheck hooks: shared with conv (tutor/kinds/conv/gradcheck.py)."""

from tutor.kinds.conv.gradcheck import checked_parameters, objective, wrt  # noqa: F401
