"""Lecture numbers: the one place that reads "01" out of a name.

Lectures are numbered in teaching order and their notebooks are named ``NN-slug.ipynb``
(``01-surprise-and-entropy.ipynb``). The exercises, the student copies, the grader and the
command line all read a lecture number with :func:`lecture_number`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

_NUMBER = re.compile(r"\d{1,2}")
_NUMBER_DASH = re.compile(r"(?<!\d)(\d{2})-")


def lecture_number(name: str | int | Path, known: Collection[str] | None = None) -> str | None:
    """The two-digit lecture number in ``name``, or None when it holds none.

    ``1``, ``"1"``, ``"01"``, ``"01-surprise-and-entropy"`` and
    ``"notebooks/01-surprise-and-entropy.ipynb"`` all give ``"01"``. With ``known`` (the
    lectures that exist), the last ``NN-`` of the file name that is one of them is taken,
    so that a submission renamed ``s07-01-surprise.ipynb`` still reads as lecture 01.
    """
    if isinstance(name, bool):
        return None
    if isinstance(name, int):
        text = str(name)
    else:
        text = Path(str(name)).name
    if _NUMBER.fullmatch(text):
        number = text.zfill(2)
        return number if known is None or number in known else None
    matches = [m.group(1) for m in _NUMBER_DASH.finditer(text)]
    if known is None:
        return matches[0] if matches and text.startswith(matches[0]) else None
    for number in reversed(matches):
        if number in known:
            return number
    return None
