"""Shared test settings.

Hypothesis runs deterministically (the same examples on every run and machine) and briefly, so
the whole suite stays fast and a failure can always be reproduced.
"""

from hypothesis import settings

settings.register_profile(
    "coursekit",
    derandomize=True,
    max_examples=60,
    deadline=None,
    database=None,
    print_blob=True,
)
settings.load_profile("coursekit")
