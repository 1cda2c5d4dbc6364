"""The one reader of lecture numbers."""

from pathlib import Path

import pytest

from coursekit.lectures import lecture_number


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (1, "01"),
        ("1", "01"),
        ("07", "07"),
        ("01-surprise-and-entropy", "01"),
        ("notebooks/03-kl-divergence.ipynb", "03"),
        (Path("notebooks/05-maximum-likelihood.ipynb"), "05"),
        ("alice.ipynb", None),
        ("x01-y.ipynb", None),
        ("123", None),
        (True, None),
    ],
)
def test_reads_the_number_at_the_start_of_a_name(name, expected):
    assert lecture_number(name) == expected


def test_known_lectures_pick_the_last_matching_number():
    known = ["01", "02", "03"]
    assert lecture_number("s07-01-surprise.ipynb", known=known) == "01"
    assert lecture_number("s42-99-kl.ipynb", known=known) is None
    assert lecture_number("9", known=known) is None
    assert lecture_number("2", known=known) == "02"
