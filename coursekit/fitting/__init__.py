r"""Fitting a Gaussian by forward or reverse KL, mean-field factors, and maximum likelihood.

Lecture 04 fits one Gaussian q = N(μ, σ²) to a target p in both directions (the course's
convention: P is the target or the data, Q the model):

* **forward** KL(p‖q): :func:`fit_forward_kl`, which is moment matching ("mean seeking");
  in :mod:`coursekit.fitting.forward`;
* **reverse** KL(q‖p): :func:`fit_reverse_kl`, a local minimum found by optimisation
  ("mode seeking"); :func:`reverse_kl_optima` collects the distinct local minima; in
  :mod:`coursekit.fitting.reverse`.

:func:`mean_field` gives the best factorised Gaussian for a correlated k-dimensional Gaussian
in either direction (:mod:`coursekit.fitting.factorised`). Lecture 05 shows that maximum
likelihood is forward KL to the empirical distribution of the data: :func:`fit_mle_gaussian`
and :func:`mean_nll` (:mod:`coursekit.fitting.mle`).

All KL values and entropies are in nats (``base=None``) or bits (``base=2``). Targets are
:class:`coursekit.gaussians.Gaussian` or :class:`coursekit.gaussians.Mixture`; bad input raises
``ValueError`` saying what to fix. How E_q[log p] is computed for a mixture p is explained in
:mod:`coursekit.fitting._target`.

Introduced in lectures 04 (Forward vs reverse KL) and 05 (Maximum likelihood is forward KL).
"""

from coursekit.fitting.factorised import MeanField, mean_field
from coursekit.fitting.forward import (
    fit_forward_kl,
    forward_kl,
    forward_kl_profile,
    mixture_entropy,
)
from coursekit.fitting.mle import fit_mle_gaussian, mean_nll
from coursekit.fitting.reverse import (
    fit_reverse_kl,
    reverse_kl,
    reverse_kl_optima,
    reverse_kl_profile,
)
from coursekit.gaussians import Gaussian, Mixture  # noqa: F401 (the examples use them)

__all__ = [
    "fit_forward_kl",
    "fit_reverse_kl",
    "forward_kl",
    "reverse_kl",
    "reverse_kl_optima",
    "reverse_kl_profile",
    "forward_kl_profile",
    "mixture_entropy",
    "MeanField",
    "mean_field",
    "fit_mle_gaussian",
    "mean_nll",
]

# doctest.testmod(coursekit.fitting) searches only what this file defines; __test__ hands it
# the submodules' functions, so their examples run in this namespace.
__test__ = {name: globals()[name] for name in __all__}
