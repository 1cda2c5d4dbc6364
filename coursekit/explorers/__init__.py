"""Interactive figures: a live ipywidgets view in JupyterLab, a kernel-free view in the book.

``available()`` maps each explorer's name to its class; every class builds with no
arguments, has ``figure``, ``params`` and ``update(**values)`` (see ``base.Explorer``).
"""

from __future__ import annotations

from coursekit.explorers.base import Explorer
from coursekit.explorers.divergence import (
    CrossEntropyExplorer,
    EstimatorSpreadExplorer,
    KLIntegrandExplorer,
)
from coursekit.explorers.entropy import CategoricalExplorer, CoinExplorer, GaussianEntropyExplorer
from coursekit.explorers.fitting import (
    ForwardReverseExplorer,
    MeanFieldExplorer,
    MLELandscapeExplorer,
)
from coursekit.explorers.vi import AlphaFitExplorer, VIStepsExplorer

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
