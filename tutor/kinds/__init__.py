"""Problem kinds: the registry, one entry per kind, and one package per built-in kind.

A kind says how its problems are written (its YAML section and the pydantic model checking it),
derived (the steps), varied (random numbers), drawn (text diagram and, optionally, a Graphviz
picture) and gradient-checked (optionally). Every front end asks the registry; none tests kind
names. A capability a kind lacks is ``None``.

Standard library only, and nothing is imported until it is used: ``bptutor list`` reads the names
from here without pydantic, SymPy or NumPy. The built-in kinds name their hooks as
``"module:attribute"`` (see :class:`Lazy`); a kind registered at run time may give the objects.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["KINDS", "Gradcheck", "Kind", "Lazy", "canonical", "get", "register", "resolve", "unregister", "watch"]


class Lazy:
    """A function or class named by ``"package.module:attribute"``, imported on first use.

    Calling it calls the target, so a registry entry works the same whether it holds the object
    or its name."""

    __slots__ = ("path", "_target")

    def __init__(self, path: str):
        self.path = path
        self._target: Any = None

    def resolve(self) -> Any:
        if self._target is None:
            module, _, attribute = self.path.partition(":")
            self._target = getattr(importlib.import_module(module), attribute)
        return self._target

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __repr__(self) -> str:
        return f"Lazy({self.path!r})"


def resolve(ref: Any) -> Any:
    """The object behind a registry entry's field (importing it when it is named by a :class:`Lazy`)."""
    return ref.resolve() if isinstance(ref, Lazy) else ref


@dataclass(frozen=True)
class Gradcheck:
    """What ``bptutor gradcheck`` moves and what it differentiates."""

    checked_parameters: Callable[..., list[tuple[str, str]]]
    """(problem, solution) -> [(parameter's env name, its backprop gradient's env name), ...]"""
    objective: Callable[..., Callable[[dict], float]]
    """problem -> the function of the forward values whose derivatives the backward pass gives"""
    wrt: Callable[..., str] | None = None
    """problem -> the name of what is differentiated, as printed in ∂E/∂w (None: E)"""


@dataclass(frozen=True)
class Kind:
    """One problem kind. Callables may be :class:`Lazy` names; ``None`` means the kind lacks it."""

    name: str
    """What ``kind:`` says in a problem file."""
    section: str
    """The YAML key of the kind's own section (``layer`` for kind ``layer``)."""
    describe: str
    """A few words for messages: "a computational graph"."""
    spec: Any
    """The pydantic model of the section (a class or a :class:`Lazy` naming one)."""
    derive: Callable[..., Any]
    """problem -> Solution"""
    vary_keys: Callable[..., list[str]]
    """problem -> the keys its ``vary:`` section may name"""
    draw_variant: Callable[..., dict]
    """(problem, its section as a dict, random.Random) -> the section with new numbers"""
    diagram: Callable[..., str]
    """(problem, solution, known values, lang) -> the text diagram"""
    dot: Callable[..., str] | None = None
    """(problem, solution, lang) -> the picture in Graphviz DOT"""
    unpleasant: Callable[..., str | None] | None = None
    """(problem, solution) -> why a random draw is no fun by hand, beyond the checks every kind gets"""
    gradcheck: Gradcheck | None = None
    """What ``bptutor gradcheck`` moves and differentiates"""
    aliases: tuple[str, ...] = ()
    """Older names still read in problem files; they load as ``name``."""


KINDS: dict[str, Kind] = {}
_ALIASES: dict[str, str] = {}
_WATCHERS: list[tuple[Callable[[Kind], None], Callable[[Kind], None]]] = []


def register(kind: Kind) -> Kind:
    """Add ``kind`` (replacing one of the same name); problem files may use it at once."""
    taken = {k.section: k.name for k in KINDS.values() if k.name != kind.name}
    if kind.section in taken:
        raise ValueError(f"section {kind.section!r} already belongs to kind {taken[kind.section]!r}")
    if kind.name in KINDS:
        unregister(kind.name)
    KINDS[kind.name] = kind
    for alias in kind.aliases:
        _ALIASES[alias] = kind.name
    for added, _removed in _WATCHERS:
        added(kind)
    return kind


def unregister(name: str) -> None:
    """Remove a kind added by :func:`register` (its section is no longer accepted)."""
    kind = KINDS.pop(name)
    for alias in kind.aliases:
        _ALIASES.pop(alias, None)
    for _added, removed in _WATCHERS:
        removed(kind)


def watch(added: Callable[[Kind], None], removed: Callable[[Kind], None]) -> None:
    """Be told of every kind registered or removed from now on (the problem model keeps its
    section fields this way)."""
    _WATCHERS.append((added, removed))


def canonical(name: object) -> str | None:
    """The registered name for ``name`` or an older spelling of it, or None."""
    if not isinstance(name, str):
        return None
    return name if name in KINDS else _ALIASES.get(name)


def get(name: str) -> Kind:
    """The kind called ``name`` (or an older spelling of it); KeyError when there is none."""
    found = canonical(name)
    if found is None:
        raise KeyError(name)
    return KINDS[found]


def _builtin(name: str, describe: str, spec: str, *, dot: bool = True, unpleasant: bool = False,
             gradcheck: bool = True, aliases: tuple[str, ...] = (), package: str | None = None) -> Kind:
    """A built-in kind: its section is named as the kind, and its hooks live in tutor.kinds.<name> (or ``package``),
    in spec.py, derive.py, variants.py, pictures.py and gradcheck.py, under the same names in
    every package."""
    package = f"tutor.kinds.{package or name}"  # two kinds may share one package (conv and pool)
    checks = Gradcheck(*(Lazy(f"{package}.gradcheck:{hook}") for hook in ("checked_parameters", "objective", "wrt")))
    return Kind(
        name=name,
        section=name,
        describe=describe,
        spec=Lazy(f"{package}.spec:{spec}"),
        derive=Lazy(f"{package}.derive:derive_{name}"),
        vary_keys=Lazy(f"{package}.variants:vary_keys"),
        draw_variant=Lazy(f"{package}.variants:draw"),
        diagram=Lazy(f"{package}.pictures:diagram"),
        dot=Lazy(f"{package}.pictures:dot") if dot else None,
        unpleasant=Lazy(f"{package}.variants:unpleasant") if unpleasant else None,
        gradcheck=checks if gradcheck else None,
        aliases=aliases,
    )


register(_builtin("network", "a layered network", "NetworkSpec", unpleasant=True))
register(_builtin("graph", "a computational graph", "GraphSpec"))
register(_builtin("layer", "a single output layer", "LayerSpec", aliases=("loss",)))
register(_builtin("affine", "one Affine layer", "AffineSpec", dot=False))
register(_builtin("optimizer", "one optimizer update", "OptimizerSpec", dot=False, gradcheck=False))
register(_builtin("batchnorm", "batch normalisation over a mini-batch", "BatchNormSpec", unpleasant=True))
register(_builtin("rnn", "a recurrent net unrolled through time", "RnnSpec", unpleasant=True))
register(_builtin("conv", "a convolution layer", "ConvSpec", unpleasant=True))
register(_builtin("pool", "a pooling layer", "PoolSpec", package="conv"))
