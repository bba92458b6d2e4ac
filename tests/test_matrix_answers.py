"""Matrix answers: rows by ";" (or line breaks), entries by commas or spaces; wrong entries named by
(row, column); a wrong shape said and not counted; named mistakes never accepted, entry by entry."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.check import check, describe, read_answer
from tutor.numbers import format_number
from tutor.steps import AnswerKind, Mistake, Phase, Step, by_entry

SEED_OUTPUT = (26.0, 6.0, -6.0, 0.0, -4.0, 8.0, 24.0, -8.0, -4.0)
FLIPPED = tuple(-v for v in SEED_OUTPUT)  # what a true convolution gives on the seed's image


def matrix_step(value, shape, mistakes=()) -> Step:
    return Step("u", Phase.FORWARD, None, None, (), lambda env: env["u"], tuple(value), AnswerKind.MATRIX,
                mistakes=tuple(Mistake(key, lambda env, v=v: v) for key, v in mistakes), shape=shape)


SEED = matrix_step(SEED_OUTPUT, (3, 3), [("conv_filter_flipped", FLIPPED)])
ENV = {"u": SEED_OUTPUT}


def mark(text: str, step: Step = SEED):
    verdict = check(text, step, ENV if step is SEED else {"u": step.value}, exact_env=ENV if step is SEED else None)
    return verdict, describe(verdict, "en"), describe(verdict, "ja")


def test_rows_by_semicolons_and_entries_by_commas_or_spaces_are_right():
    for text in ("26, 6, -6; 0, -4, 8; 24, -8, -4", "26 6 -6; 0 -4 8; 24 -8 -4", "26 6 -6\n0 -4 8\n24 -8 -4",
                 "26, 6, -6; 0, -4, 8; 24, -8, -4;", "[[26, 6, -6], [0, -4, 8], [24, -8, -4]]",
                 "26，6，-6；0，-4，8；24，-8，-4", "52/2, 6, -6; 0, -4, 8; 24, -8, -4"):
        verdict, english, _ = mark(text)
        assert verdict.correct, (text, english)


def test_every_entry_on_one_line_is_read_row_after_row():
    verdict, _, _ = mark("26, 6, -6, 0, -4, 8, 24, -8, -4")
    assert verdict.correct


def test_the_slides_misprint_is_named_by_its_row_and_column_in_both_languages():
    verdict, english, japanese = mark("26, 6, -6; 0, -4, 8; 24, -14, -4")
    assert not verdict.correct and verdict.reading.ok
    assert "(3, 2)" in english and "8 of 9" in english
    assert "(3, 2)" in japanese and "9 個中 8 個" in japanese


def test_several_wrong_entries_are_each_named():
    _, english, japanese = mark("26, 6, -6; 0, 4, 8; 24, -8, 4")
    assert "(2, 2), (3, 3)" in english and "(2, 2), (3, 3)" in japanese


def test_a_wrong_shape_is_said_and_costs_no_attempt():
    verdict, english, japanese = mark("26, 6, -6; 0, -4, 8")
    assert not verdict.reading.ok  # not marked: the session asks again without counting it
    assert "2×3 matrix" in english and "3×3" in english
    assert "2×3" in japanese and "3×3" in japanese


def test_rows_of_different_lengths_are_said_and_cost_no_attempt():
    verdict, english, _ = mark("26, 6, -6; 0, -4; 24, -8, -4")
    assert not verdict.reading.ok and "Row 2" in english


def test_an_unreadable_entry_is_named_by_its_row_and_column():
    verdict, english, japanese = mark("26, 6, -6; 0, -4, 8; 24, x, -4")
    assert not verdict.reading.ok
    assert "(3, 2)" in english and "(3, 2)" in japanese


def test_a_named_mistakes_matrix_is_never_accepted_and_is_named():
    verdict, _, _ = mark("-26, -6, 6; 0, 4, -8; -24, 8, 4")
    assert not verdict.correct and verdict.mistake == "conv_filter_flipped"


def test_digits_that_cannot_tell_right_from_a_mistake_ask_for_one_more_figure_at_that_entry():
    # Right -0.07937 and a mistake's -0.07868 at entry (2, 1): "-0.079" points at neither.
    right = (1.0, 2.0, -0.07937, 4.0)
    step = matrix_step(right, (2, 2), [("conv_filter_flipped", (1.0, 2.0, -0.07868, 4.0))])
    env = {"u": right}
    unsure = check("1, 2; -0.079, 4", step, env, exact_env=env)
    assert unsure.asks_more_digits and not unsure.correct
    assert "(2, 1)" in describe(unsure, "en") and "(2, 1)" in describe(unsure, "ja")
    assert check("1, 2; -0.0794, 4", step, env, exact_env=env).correct
    assert not check("1, 2; -0.0787, 4", step, env, exact_env=env).correct


def test_entries_are_marked_within_the_tolerance_each():
    step = matrix_step((3.25, 2.25, 3.5, 2.5), (2, 2))
    assert check("3.25 2.25; 3.5 2.5", step, {"u": step.value}).correct
    assert check("3.26 2.24; 3.49 2.51", step, {"u": step.value}).correct  # within 1 % each
    assert not check("3.25 2.25; 3.5 3", step, {"u": step.value}).correct


def test_small_grids_are_asked_entry_by_entry_unless_the_problem_says_otherwise():
    assert by_entry(None, 2, 2) and not by_entry(None, 3, 3)
    assert by_entry("entry", 3, 3) and not by_entry("matrix", 2, 2)


# -- properties ------------------------------------------------------------------------------

SHAPES = st.tuples(st.integers(1, 4), st.integers(1, 4))
FINITE = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9)
MATRIX_TOKENS = ["1", "-2.5", "0", "1e3", ",", ";", " ", "\n", "[", "]", "x", "(", ")", "，", "；", "/", "-", ""]
typed_texts = st.one_of(st.text(), st.lists(st.sampled_from(MATRIX_TOKENS), max_size=40).map("".join))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed_texts, SHAPES)
def test_the_matrix_reader_never_raises_and_answers_quickly(text, shape):
    step = matrix_step((0.0,) * (shape[0] * shape[1]), shape)
    start = time.perf_counter()
    reading = read_answer(text, step)
    assert time.perf_counter() - start < 0.5
    assert reading.ok or reading.message("en")
    if reading.ok:
        assert len(reading.value) == shape[0] * shape[1]


def printed(rows: list[list[float]]) -> str:
    """A matrix written independently of the reader's own printing: 4 figures, rows by "; "."""
    return "; ".join(", ".join(format_number(v) for v in row) for row in rows)


@settings(max_examples=300, deadline=None)
@given(SHAPES.flatmap(lambda s: st.lists(st.lists(FINITE, min_size=s[1], max_size=s[1]), min_size=s[0], max_size=s[0])))
def test_the_matrix_reader_reads_back_what_it_prints(rows):
    shape = (len(rows), len(rows[0]))
    step = matrix_step((0.0,) * (shape[0] * shape[1]), shape)
    text = printed(rows)
    reading = read_answer(text, step)
    assert reading.ok, (text, reading.message())
    assert reading.value == tuple(float(format_number(v)) for row in rows for v in row)
    again = read_answer(reading.shown, step)
    assert again.ok and again.value == reading.value
