"""The RNN's own named mistakes (their keys are in tutor.engine.mistakes.KEYS, their messages
in tutor.i18n under "mistake.<key>")."""

from __future__ import annotations

from collections.abc import Sequence

from tutor.engine.mistakes import Part
from tutor.steps import Mistake


def recurrent_input_forgotten(without: Part) -> Mistake:
    """u_j^t without Σ_j' w_jj' z_j'^(t-1): the hidden state of the step before left out."""
    return Mistake("rnn_recurrent_input_forgotten", without)


def recurrent_term_forgotten(without: Part) -> Mistake:
    """BPTT without Σ_j' w_j'j δ_j'^(t+1): δ_j^t from the output at t alone, as in a plain layer."""
    return Mistake("rnn_recurrent_term_forgotten", without)


def recurrent_transposed(wrong: Part) -> Mistake:
    """w_jj' read where w_j'j belongs (or the other way round): W taken transposed."""
    return Mistake("rnn_recurrent_transposed", wrong)


def not_summed_over_t(terms: Sequence[Part]) -> list[Mistake]:
    """One time step's term alone where the sum over t = 1..T belongs."""
    return [Mistake("rnn_not_summed_over_t", term) for term in terms]


def state_of_same_t(wrong: Part) -> Mistake:
    """∂E/∂w_jj' = Σ_t δ_j^t z_j'^t: the state at t where the one that entered u^t, z^(t-1), belongs."""
    return Mistake("rnn_state_of_same_t", wrong)
