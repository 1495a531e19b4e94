"""The viewer benchmark's split of a viewer's moves: which one first showed the uploaded data."""

import pytest

from bench.bench_viewers import Move, _mark_first_on_new_data

OLD_20, OLD_21 = "The top 20% of customers (12) bring 61%", "The top 21% of customers (13) bring 63%"
NEW_20, NEW_21 = "The top 20% of customers (412) bring 58%", "The top 21% of customers (433) bring 60%"


def _moves(*steps: tuple[str, int, str | None]) -> list[Move]:
    return [Move(phase, float(i), 100.0 if text else None, value, text) for i, (phase, value, text) in enumerate(steps)]


@pytest.mark.parametrize(
    ("steps", "first"),
    [
        # the third upload-phase move is the first whose headline differs from its value's idle text
        (
            [
                ("idle", 21, OLD_21),
                ("idle", 20, OLD_20),
                ("upload", 21, OLD_21),
                ("upload", 20, OLD_20),
                ("upload", 21, NEW_21),
                ("upload", 20, NEW_20),
                ("after", 21, NEW_21),
            ],
            4,
        ),
        # the new data arrives after the upload phase: the first "after" move is marked
        ([("warm", 21, OLD_21), ("idle", 20, OLD_20), ("upload", 21, OLD_21), ("after", 20, NEW_20)], 3),
        # a move that timed out (no headline) is never marked; the next one is
        ([("idle", 20, OLD_20), ("idle", 21, OLD_21), ("upload", 20, None), ("upload", 21, NEW_21)], 3),
        # a value never seen before the upload has nothing to compare with
        ([("idle", 20, OLD_20), ("upload", 21, NEW_21), ("upload", 20, OLD_20)], None),
        # nothing changed
        ([("idle", 20, OLD_20), ("idle", 21, OLD_21), ("after", 20, OLD_20), ("after", 21, OLD_21)], None),
    ],
)
def test_only_the_first_move_showing_new_data_is_marked(steps, first):
    moves = _moves(*steps)
    _mark_first_on_new_data(moves)
    assert [i for i, m in enumerate(moves) if m.first_on_new_data] == ([] if first is None else [first])
