"""The maths layer stays headless: importing it loads no plotting or widget library."""

import subprocess
import sys

import pytest

MATHS_MODULES = [
    "coursekit.info",
    "coursekit.gaussians",
    "coursekit.estimators",
    "coursekit.fitting",
    "coursekit.vi",
    "coursekit.divergences",
    "coursekit.quadrature",
]


@pytest.mark.parametrize("module", MATHS_MODULES)
def test_maths_module_imports_only_numpy_and_scipy(module):
    code = (
        f"import sys, {module}\n"
        "bad = [m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
