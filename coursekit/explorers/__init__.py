"""Interactive figures: a live ipywidgets view in JupyterLab, a kernel-free view in the book.

``available()`` maps each explorer's name to its class; every class builds with no
arguments, has ``figure``, ``params`` and ``update(**values)`` (see ``base.Explorer``). The
explorers live in one module per lecture, ``lecture01`` … ``lecture07``; ``base`` holds the
pattern, ``controls`` the format of ``params``, ``live_view`` and ``static_view`` the two views.
"""

from __future__ import annotations

from coursekit.explorers.base import Explorer
from coursekit.explorers.lecture01 import CategoricalExplorer, CoinExplorer, GaussianEntropyExplorer
from coursekit.explorers.lecture02 import CrossEntropyExplorer
from coursekit.explorers.lecture03 import EstimatorSpreadExplorer, KLIntegrandExplorer
from coursekit.explorers.lecture04 import ForwardReverseExplorer, MeanFieldExplorer
from coursekit.explorers.lecture05 import MLELandscapeExplorer
from coursekit.explorers.lecture06 import VIStepsExplorer
from coursekit.explorers.lecture07 import AlphaFitExplorer

_EXPLORERS: tuple[type[Explorer], ...] = (
    CoinExplorer,
    CategoricalExplorer,
    GaussianEntropyExplorer,
    CrossEntropyExplorer,
    KLIntegrandExplorer,
    EstimatorSpreadExplorer,
    ForwardReverseExplorer,
    MeanFieldExplorer,
    MLELandscapeExplorer,
    VIStepsExplorer,
    AlphaFitExplorer,
)


def available() -> dict[str, type[Explorer]]:
    """Return ``{name: class}`` for every explorer of the course, in lecture order."""
    return {cls.name: cls for cls in _EXPLORERS}


def show(name: str, **values) -> Explorer:
    """Build the explorer called ``name`` with the given control values (for a notebook cell)."""
    explorers = available()
    if name not in explorers:
        raise ValueError(
            f"There is no explorer called {name!r}. Choose one of: {', '.join(explorers)}."
        )
    return explorers[name](**values)


__all__ = ["Explorer", "available", "show", *(cls.__name__ for cls in _EXPLORERS)]
