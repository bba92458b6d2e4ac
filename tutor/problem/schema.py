"""The problem file format: the keys every problem has, as a pydantic v2 model.

Each kind's own section (``network:``, ``graph:``, ...) is a field added from the kind registry
(``tutor.kinds``) and checked by the kind's pydantic model, so its errors point at its keys like
any other; registering a kind later adds its field then. The value types, the base model and the
located error helper (:func:`fail`) are in ``tutor.problem.common``.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from pathlib import Path
from typing import Annotated, Any, Optional

from pydantic import BeforeValidator, Field, PrivateAttr, ValidationInfo, create_model, field_validator, model_validator

from tutor import kinds
from tutor.problem.common import (
    Localized,
    Model,
    Names,
    Range,
    RangeSpec,
    Text,
    ToleranceSpec,
    close_match,
    fail,
)
from tutor.problem.yamlsafe import describe
from tutor.steps import Tolerance

__all__ = ["Localized", "Problem", "ProblemBase", "RangeSpec", "ToleranceSpec", "add_section", "remove_section", "vary_keys"]

_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_SECTIONS: dict[str, kinds.Kind] = {}  # section key -> the kind it belongs to


def _glob_keys(mapping: dict[str, Any]) -> dict[str, Any]:
    for pattern in mapping:
        if not pattern.strip():
            raise fail("a step-name pattern is empty; write a name or a glob such as 'grad_*'", pattern, on_key=True)
    return mapping


def _kind_name(value: Any) -> Any:
    """A registered kind's name (an older spelling becomes the current one)."""
    name = kinds.canonical(value)
    if name is None:
        options = list(kinds.KINDS)
        listed = ", ".join(repr(option) for option in options[:-1]) + f" or {options[-1]!r}"
        hint = close_match(value, options) if isinstance(value, str) else ""
        raise fail(f"must be one of {listed}; got {describe(value)}{hint}")
    return name


def vary_keys(problem: ProblemBase) -> list[str]:
    """The keys ``vary:`` accepts for this problem."""
    return kinds.get(problem.kind).vary_keys(problem)


class ProblemBase(Model):
    """One problem file: the keys every kind shares. :data:`Problem` adds each kind's section."""

    id: str
    """A short name: lower-case letters, digits and '_', starting with a letter; equal to the
    file name without .yaml (xor.yaml has id: xor)."""
    title: Text
    """The title: {en: ..., ja: ...} or a plain string (English)."""
    statement: Text | None = None
    """The problem statement shown to the student: {en: ..., ja: ...} or a plain string."""
    notes: Text | None = None
    """Worked answers in words, shown after the solution: {en: ..., ja: ...} or a plain string."""
    topics: Names = ()
    """Short keywords such as [chain-rule, graph] (each at most 40 characters)."""
    source: str | None = None
    """Where the numbers come from (a lecture, a book chapter, an exercise)."""
    tolerance: ToleranceSpec | None = None
    """The default tolerance for every step: {rel: 0.01, abs: 1.0e-9}."""
    tolerances: dict[str, ToleranceSpec] = {}
    """Tolerances for particular steps by step-name glob, e.g. {"grad_*": {rel: 0.02}};
    when several patterns match, later entries win; keys not given keep the default."""
    hints: dict[str, Text] = {}
    """Teacher hints by step-name glob, e.g. {"delta*": {en: ..., ja: ...}}; later entries win."""
    kind: Annotated[str, BeforeValidator(_kind_name)]
    """The problem's kind, which names the section holding the problem itself (kind: network
    goes with a 'network:' section); the README describes each kind. Older spellings of a kind's
    name (loss for layer) are read as the current one."""
    vary: dict[str, Range] = {}
    """For random variants (``--random``): which numbers may change and how, e.g.
    {weights: {low: -1, high: 1, step: 0.1}, input: [0, 1], target: fixed}. The keys are the
    numbers of the problem's section (an error message lists them); numbers not named get a
    default range."""

    _path: Path | None = PrivateAttr(default=None)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str, info: ValidationInfo) -> str:
        if not _ID.match(value) or len(value) > 64:
            raise fail(
                f"id {value!r} is not valid: use lower-case letters, digits and '_', starting with a letter"
            )
        expected = (info.context or {}).get("expected_id")
        if expected is not None and value != expected:
            raise fail(
                f"id {value!r} must equal the file name {expected!r} (rename the file to {value}.yaml "
                f"or change the id to {expected})"
            )
        return value

    @field_validator("topics")
    @classmethod
    def _topics(cls, topics: tuple[str, ...]) -> tuple[str, ...]:
        for i, topic in enumerate(topics):
            if not topic.strip() or len(topic) > 40:
                raise fail("a topic is a short keyword of 1 to 40 characters", i)
        return topics

    @field_validator("tolerances", "hints")
    @classmethod
    def _patterns(cls, mapping: dict[str, Any]) -> dict[str, Any]:
        return _glob_keys(mapping)

    @field_validator("*")
    @classmethod
    def _section(cls, value: Any, info: ValidationInfo) -> Any:
        owner = _SECTIONS.get(info.field_name or "")
        if owner is None:
            return value  # not a kind's section
        name = info.data.get("kind")
        if name is None:
            return value  # kind itself is missing or wrong and has its own error
        kind = kinds.get(name)
        section = owner.section
        article = "an" if section[:1] in "aeiou" else "a"  # an 'affine:', an 'optimizer:'
        if kind is owner and value is None:
            raise fail(f"kind is {name!r}, so {article} '{section}:' section is required (it is missing or empty)",
                       near="kind")
        if kind is not owner and value is not None:
            raise fail(
                f"{article} '{section}:' section belongs only to kind {owner.name!r}; this problem has kind {name!r}, "
                f"which uses '{kind.section}:' (remove '{section}:' or change kind)",
                on_key=True,
            )
        return value

    @model_validator(mode="after")
    def _vary_keys(self) -> ProblemBase:
        allowed = vary_keys(self)
        for key in self.vary:
            if key not in allowed:
                raise fail(f"{key!r} is not a number of this problem; use one of {', '.join(allowed)}"
                           f"{close_match(key, allowed)}", "vary", key, on_key=True)
        return self

    @property
    def path(self) -> Path | None:
        """The file the problem was loaded from (None when it came from a string)."""
        return self._path

    def tolerance_for(self, step_name: str) -> Tolerance:
        """The tolerance for one step: the default, then every matching pattern in order."""
        base = self.tolerance or ToleranceSpec()
        rel, absolute = base.rel, base.abs
        for pattern, spec in self.tolerances.items():
            if fnmatch.fnmatchcase(step_name, pattern):
                if "rel" in spec.model_fields_set:
                    rel = spec.rel
                if "abs" in spec.model_fields_set:
                    absolute = spec.abs
        return Tolerance(rel=rel, abs=absolute)

    def hints_for(self, step_name: str) -> Localized | None:
        """The teacher's hint for one step (the last matching pattern wins), or None."""
        found = None
        for pattern, hint in self.hints.items():
            if fnmatch.fnmatchcase(step_name, pattern):
                found = hint
        return found


def add_section(kind: kinds.Kind) -> None:
    """Give :data:`Problem` the field of ``kind``'s section (when ``tutor.kinds.register`` adds it)."""
    global Problem
    _SECTIONS[kind.section] = kind
    Problem = _model(_section_specs())


def remove_section(kind: kinds.Kind) -> None:
    """Take ``kind``'s section out of :data:`Problem` again."""
    global Problem
    _SECTIONS.pop(kind.section, None)
    Problem = _model(_section_specs())


def _section_specs() -> tuple[tuple[str, str, type], ...]:
    return tuple((section, kind.name, kinds.resolve(kind.spec)) for section, kind in _SECTIONS.items())


@functools.cache
def _model(sections: tuple[tuple[str, str, type], ...]) -> type[ProblemBase]:
    """The Problem model with one optional field per kind's section, after the shared keys (so
    ``kind`` is known when a section is checked). Cached: the same kinds give the same class, so
    a kind registered and removed again leaves :data:`Problem` as it was."""
    fields: dict[str, Any] = {
        section: (Optional[spec], Field(default=None, validate_default=True,
                                        description=f"Required when kind is {name} (and only then)."))
        for section, name, spec in sections
    }
    return create_model("Problem", __base__=ProblemBase, __module__=__name__, **fields)


for _kind in kinds.KINDS.values():
    _SECTIONS[_kind.section] = _kind
Problem = _model(_section_specs())
"""The model a problem file is checked against: :class:`ProblemBase` and every registered kind's
section. Read it as ``schema.Problem`` where a kind may be registered later (it is rebuilt then)."""
kinds.watch(add_section, remove_section)
