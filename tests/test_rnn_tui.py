"""The RNN in the TUI at 80x24: the unrolled picture is shown and fills in as values are found."""

from __future__ import annotations

import asyncio

from tests.test_tui import answer, diagram_text, make_app, screen_text


def test_the_unrolled_picture_fills_in_at_80x24():
    async def scenario():
        app = make_app("rnn_three_steps")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "z₁⁽⁰⁾ = 0 → z₁⁽¹⁾ = ?" in diagram_text(app)
            assert "Traceback" not in screen_text(app)
            await answer(pilot, "0.5")  # u₁⁽¹⁾ = w₁₁ⁱⁿ x₁⁽¹⁾, z⁰ being 0
            await answer(pilot, "-0.3")
            await answer(pilot, "0.4621")  # tanh(0.5)
            assert app.session.index == 3
            shown = diagram_text(app)
            assert "u₁⁽¹⁾ = 0.5" in shown and "u₂⁽¹⁾ = -0.3" in shown and "z₁⁽¹⁾ = 0.4621" in shown
            assert "z₂⁽¹⁾ = ?" in shown

    asyncio.run(scenario())
