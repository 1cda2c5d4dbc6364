"""Every kind of invalid input raises ValueError with a message that says what is wrong."""

import numpy as np
import pytest

from coursekit.gaussians import (
    Gaussian,
    Mixture,
    gaussian_entropy,
    gaussian_kl,
    mvn_entropy,
    mvn_kl,
)
from coursekit.info import (
    bernoulli_kl,
    binary_entropy,
    cross_entropy,
    entropy,
    js_divergence,
    kl_divergence,
    surprise,
)

GOOD = [0.5, 0.5]

# (bad distribution, words the message must contain)
BAD_DISTRIBUTIONS = [
    ([-0.1, 1.1], r"negative entry \(-0\.1 at index 0\)"),
    ([0.5, np.nan], r"NaN at index 1"),
    ([np.inf, 0.5], r"infinite value at index 0"),
    ([0.6, 0.6], r"sums to 1\.2 .*must sum to 1 \(within 1e-9\).*normalise"),
    ([0.5, 0.5 + 1e-8], r"sums to 1\.00000001"),
    ([[0.5, 0.5], [0.2, 0.2]], r"\[1\] sums to 0\.4"),
    ([], r"empty \(shape \(0,\)\)"),
    (np.ones((3, 0)), r"empty \(shape \(3, 0\)\)"),
    (0.5, r"single number \(0\.5\).*\[1 - x, x\]"),
    ("abc", r"must be a number or an array of numbers.*'abc'"),
    (["a", "b"], r"array of numbers.*dtype <U1"),
    ([[0.5, 0.5], [1.0]], r"ragged"),
    ([0.5 + 0j, 0.5], r"array of numbers.*complex"),
    (None, r"array of numbers.*None"),
    ({"a": 1.0}, r"array of numbers"),
]


def partner(bad):
    """A valid distribution of the same shape as ``bad`` where there is one, else GOOD."""
    try:
        shape = np.shape(bad)
    except ValueError:  # ragged
        return GOOD
    return np.full(shape, 1 / shape[-1]) if shape and shape[-1] else GOOD


@pytest.mark.parametrize(("bad", "words"), BAD_DISTRIBUTIONS)
def test_bad_p(bad, words):
    with pytest.raises(ValueError, match=r"^p\b.*" + words):
        entropy(bad)
    for f in (cross_entropy, kl_divergence, js_divergence):
        with pytest.raises(ValueError, match=r"^p\b.*" + words):
            f(bad, partner(bad))


@pytest.mark.parametrize(("bad", "words"), BAD_DISTRIBUTIONS)
def test_bad_q(bad, words):
    for f in (cross_entropy, kl_divergence, js_divergence):
        with pytest.raises(ValueError, match=r"^q\b.*" + words):
            f(partner(bad), bad)


def test_distributions_in_columns_get_a_hint():
    p = np.array([[0.5, 0.2], [0.5, 0.8]])
    with pytest.raises(ValueError, match=r"columns sum to 1.*p\.T"):
        entropy(p)


@pytest.mark.parametrize(
    ("p", "q", "words"),
    [
        (GOOD, [1 / 3] * 3, r"p has shape \(2,\) but q has shape \(3,\).*same shape"),
        (np.full((2, 3), 1 / 3), [1 / 3] * 3, r"p has shape \(2, 3\) but q has shape \(3,\)"),
    ],
)
def test_shape_mismatch(p, q, words):
    for f in (cross_entropy, kl_divergence, js_divergence):
        with pytest.raises(ValueError, match=words):
            f(p, q)


@pytest.mark.parametrize(
    ("base", "words"),
    [
        (1, r"positive number other than 1.*got 1\b"),
        (0, r"positive number other than 1.*got 0\b"),
        (-2, r"positive number other than 1.*got -2"),
        (np.inf, r"positive number other than 1.*got inf"),
        (np.nan, r"positive number other than 1.*got nan"),
        ("2", r"base must be a number.*'2'"),
        (True, r"base must be a number.*True"),
        ([2], r"base must be a number"),
    ],
)
def test_bad_base(base, words):
    calls = [
        lambda: surprise(0.5, base=base),
        lambda: entropy(GOOD, base=base),
        lambda: cross_entropy(GOOD, GOOD, base=base),
        lambda: kl_divergence(GOOD, GOOD, base=base),
        lambda: js_divergence(GOOD, GOOD, base=base),
        lambda: binary_entropy(0.5, base=base),
        lambda: bernoulli_kl(0.5, 0.5, base=base),
        lambda: gaussian_entropy(1.0, base=base),
        lambda: gaussian_kl(Gaussian(0, 1), Gaussian(0, 1), base=base),
        lambda: mvn_entropy(np.eye(2), base=base),
        lambda: mvn_kl([0, 0], np.eye(2), [0, 0], np.eye(2), base=base),
    ]
    for call in calls:
        with pytest.raises(ValueError, match=words):
            call()


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (1.5, r"between 0 and 1.*1\.5"),
        (-0.1, r"between 0 and 1.*-0\.1"),
        ([0.2, 50.0], r"between 0 and 1.*50 at index 1.*percentages"),
        (np.nan, r"NaN"),
        ([], r"empty"),
        ("0.5", r"number"),
    ],
)
def test_bad_probabilities(bad, words):
    for f in (surprise, binary_entropy):
        with pytest.raises(ValueError, match=r"^p\b.*" + words):
            f(bad)
    with pytest.raises(ValueError, match=r"^p\b.*" + words):
        bernoulli_kl(bad, 0.5)
    with pytest.raises(ValueError, match=r"^q\b.*" + words):
        bernoulli_kl(0.5, bad)


def test_bernoulli_kl_shapes_must_broadcast():
    with pytest.raises(ValueError, match=r"shape \(2,\).*shape \(3,\).*broadcast"):
        bernoulli_kl([0.1, 0.2], [0.1, 0.2, 0.3])


# --- gaussians -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((0, 0), r"std must be greater than 0, but got 0\b.*standard deviation"),
        ((0, -1), r"std must be greater than 0, but got -1"),
        ((0, np.inf), r"std must be a finite number"),
        ((np.nan, 1), r"mean must be a finite number, but got nan"),
        (("a", 1), r"mean must be a number"),
        (([0, 1], 1), r"mean must be a single number.*shape \(2,\)"),
        ((0, None), r"std must be a number"),
    ],
)
def test_bad_gaussian(args, words):
    with pytest.raises(ValueError, match=words):
        Gaussian(*args)


def test_bad_evaluation_points():
    for d in (Gaussian(0, 1), Mixture.symmetric(1)):
        with pytest.raises(ValueError, match=r"x contains NaN"):
            d.pdf([0.0, np.nan])
        with pytest.raises(ValueError, match=r"x must be a number"):
            d.logpdf("zero")


@pytest.mark.parametrize(
    ("n", "rng", "words"),
    [
        (10, None, r"rng must be a numpy Generator or an integer seed, but got None"),
        (10, "seed", r"rng must be a numpy Generator"),
        (10, 1.5, r"rng must be a numpy Generator"),
        (-1, 0, r"n must be a non-negative integer"),
        (2.5, 0, r"n must be a non-negative integer"),
    ],
)
def test_bad_sampling_arguments(n, rng, words):
    for d in (Gaussian(0, 1), Mixture.symmetric(1)):
        with pytest.raises(ValueError, match=words):
            d.sample(n, rng)


G = Gaussian(0, 1)


@pytest.mark.parametrize(
    ("weights", "components", "words"),
    [
        ([0.5, 0.4], [G, G], r"weights sums to 0\.9"),
        ([1.5, -0.5], [G, G], r"weights has a negative entry"),
        ([0.5, np.nan], [G, G], r"weights contains NaN"),
        ([0.5, 0.5], [G, G, G], r"2 weights but 3 components"),
        ([0.5, 0.5], [G, (0, 1)], r"components\[1\] is \(0, 1\), not a Gaussian"),
        ([0.5, 0.5], G, r"components must be a list of Gaussian"),
        ([], [], r"weights is empty"),
        ([[0.5, 0.5]], [G, G], r"weights must be a 1-D list.*shape \(1, 2\)"),
        (0.5, [G], r"weights must be a 1-D list"),
    ],
)
def test_bad_mixture(weights, components, words):
    with pytest.raises(ValueError, match=words):
        Mixture(weights, components)


def test_bad_symmetric_mixture():
    with pytest.raises(ValueError, match=r"d must be a finite number"):
        Mixture.symmetric(np.inf)
    with pytest.raises(ValueError, match=r"std must be greater than 0"):
        Mixture.symmetric(1.0, std=0.0)


@pytest.mark.parametrize(
    ("std", "words"),
    [
        (0.0, r"std must be greater than 0, but it is 0\b"),
        ([1.0, -2.0], r"std must be greater than 0, but it is -2 at index 1"),
        (np.nan, r"std contains NaN"),
        (np.inf, r"std contains an infinite value"),
        ([], r"std is empty"),
        ("1", r"std must be a number"),
    ],
)
def test_bad_gaussian_entropy(std, words):
    with pytest.raises(ValueError, match=words):
        gaussian_entropy(std)


def test_gaussian_kl_needs_gaussians():
    with pytest.raises(ValueError, match=r"p must be a Gaussian.*got \(0, 1\)"):
        gaussian_kl((0, 1), G)
    with pytest.raises(ValueError, match=r"q must be a Gaussian"):
        gaussian_kl(G, 1.0)


BAD_COVARIANCES = [
    (np.ones(3), r"square k×k covariance matrix, but has shape \(3,\).*np\.diag"),
    (np.ones((2, 3)), r"shape \(2, 3\)"),
    (np.ones((0, 0)), r"shape \(0, 0\)"),
    (2.0, r"shape \(\)"),
    ([[1.0, np.nan], [np.nan, 1.0]], r"NaN or infinite"),
    ([[1.0, 0.5], [0.4, 1.0]], r"not symmetric: entry \[0, 1\] is 0\.5 but \[1, 0\] is 0\.4"),
    ([[1.0, 2.0], [2.0, 1.0]], r"not positive definite \(its smallest eigenvalue is -1\)"),
    ([[1.0, 1.0], [1.0, 1.0]], r"not positive definite"),
    ([[-1.0]], r"not positive definite"),
    ([["a"]], r"must be a number"),
]


@pytest.mark.parametrize(("cov", "words"), BAD_COVARIANCES)
def test_bad_covariance(cov, words):
    with pytest.raises(ValueError, match=r"^cov\b.*" + words):
        mvn_entropy(cov)
    with pytest.raises(ValueError, match=r"^cov_p\b.*" + words):
        mvn_kl([0.0], cov, [0.0], [[1.0]])
    with pytest.raises(ValueError, match=r"^cov_q\b.*" + words):
        mvn_kl([0.0], [[1.0]], [0.0], cov)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (([0, 0], np.eye(2), [0, 0], np.eye(3)), r"cov_p is 2×2 but cov_q is 3×3"),
        (([0, 0, 0], np.eye(2), [0, 0], np.eye(2)), r"mean_p has shape \(3,\) but cov_p is 2×2"),
        (([0, 0], np.eye(2), 0.0, np.eye(2)), r"mean_q has shape \(\) but cov_q is 2×2"),
        (([0, np.nan], np.eye(2), [0, 0], np.eye(2)), r"mean_p contains NaN"),
    ],
)
def test_bad_mvn_kl_arguments(args, words):
    with pytest.raises(ValueError, match=words):
        mvn_kl(*args)
