"""The names quantities go by in an environment (and in the JSON answer key), built only here.

Indices are 1-based as in the lecture. A key is a quantity's name and its indices joined by "_":
``u(2, 1)`` is "u2_1" (u of unit 1 in layer 2), ``w(2, 1, 2)`` is "W2_1_2" (the weight to unit 1
of layer 2 from unit 2 of layer 1). Every kind builds its keys from these functions, so a name
is spelt once and the pictures, the gradient check and the JSON key agree with the derivation.
"""

from __future__ import annotations


def key(name: str, *index: int) -> str:
    """``key("x", 1)`` is "x_1"; ``key("W2", 1, 2)`` is "W2_1_2"."""
    return "_".join([name, *(str(i) for i in index)])


def grad(name: str) -> str:
    """The key of ∂E/∂(name) (or ∂output/∂name in a graph): "grad_W2_1_2"."""
    return f"grad_{name}"


def new(name: str) -> str:
    """The key of a parameter after the update step: "W2_1_2_new"."""
    return f"{name}_new"


class Net:
    """A layered network: x_i, d_j given; u, h, δ of unit j in layer l; w_ji from unit i."""

    @staticmethod
    def x(i: int) -> str:
        return key("x", i)

    @staticmethod
    def d(j: int) -> str:
        return key("d", j)

    @staticmethod
    def u(l: int, j: int) -> str:
        return key(f"u{l}", j)

    @staticmethod
    def h(l: int, j: int) -> str:
        return key(f"h{l}", j)

    @staticmethod
    def prev(l: int, i: int) -> str:
        """h_i of the layer below l; below layer 1 are the inputs x."""
        return Net.x(i) if l == 1 else Net.h(l - 1, i)

    @staticmethod
    def delta(l: int, j: int) -> str:
        return key(f"delta{l}", j)

    @staticmethod
    def w(l: int, j: int, i: int) -> str:
        return key(f"W{l}", j, i)

    @staticmethod
    def b(l: int, j: int) -> str:
        return key(f"b{l}", j)


class Affine:
    """An Affine layer on a batch: X_n_i, W_i_j, b_j, dY_n_j given; Y, dX, dW, db found."""

    @staticmethod
    def X(n: int, i: int) -> str:  # noqa: N802 - the lecture's capital letters
        return key("X", n, i)

    @staticmethod
    def W(i: int, j: int) -> str:  # noqa: N802
        return key("W", i, j)

    @staticmethod
    def b(j: int) -> str:
        return key("b", j)

    @staticmethod
    def Y(n: int, j: int) -> str:  # noqa: N802
        return key("Y", n, j)

    @staticmethod
    def dY(n: int, j: int) -> str:  # noqa: N802
        return key("dY", n, j)

    @staticmethod
    def dX(n: int, i: int) -> str:  # noqa: N802
        return key("dX", n, i)

    @staticmethod
    def dW(i: int, j: int) -> str:  # noqa: N802
        return key("dW", i, j)

    @staticmethod
    def db(j: int) -> str:
        return key("db", j)


class Adam:
    """One Adam update: w_i, g_i and the moments before it given; m, v, m̂, v̂ and the new w found."""

    @staticmethod
    def w(i: int) -> str:
        return key("w", i)

    @staticmethod
    def g(i: int) -> str:
        return key("g", i)

    @staticmethod
    def m_old(i: int) -> str:
        return key("m_old", i)

    @staticmethod
    def v_old(i: int) -> str:
        return key("v_old", i)

    @staticmethod
    def m(i: int) -> str:
        return key("m", i)

    @staticmethod
    def v(i: int) -> str:
        return key("v", i)

    @staticmethod
    def m_hat(i: int) -> str:
        return key("mhat", i)

    @staticmethod
    def v_hat(i: int) -> str:
        return key("vhat", i)

    @staticmethod
    def w_new(i: int) -> str:
        return new(Adam.w(i))


def local(node: str, variable: str) -> str:
    """A graph's local derivative ∂node/∂variable: "dprice_dapple"."""
    return f"d{node}_d{variable}"


def formula_grad(variable: str) -> str:
    """A graph step that asks d(output)/d(variable) as a formula."""
    return f"formula_{grad(variable)}"
