"""Properties of coursekit.info, checked on many random distributions (hypothesis) and against
scipy."""

import doctest

import numpy as np
import pytest
import scipy.spatial.distance
import scipy.special
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st

import coursekit.info
from coursekit.info import (
    bernoulli_kl,
    binary_entropy,
    cross_entropy,
    entropy,
    js_divergence,
    kl_divergence,
    surprise,
)

TOL = {"rel": 1e-9, "abs": 1e-12}
SLACK = 1e-12  # rounding allowance for inequalities


@st.composite
def distributions(draw, n=None, zeros=True):
    """A probability vector of length n (1..10 if not given), possibly with exact zeros."""
    if n is None:
        n = draw(st.integers(1, 10))
    weight = st.floats(1e-6, 1.0)
    if zeros:
        weight = st.one_of(st.just(0.0), weight)
    w = np.array(draw(st.lists(weight, min_size=n, max_size=n)))
    if w.sum() == 0:
        w[:] = 1.0
    return w / w.sum()


@st.composite
def pairs(draw, zeros_in_q=True):
    """Two distributions over the same n outcomes."""
    n = draw(st.integers(1, 10))
    return draw(distributions(n)), draw(distributions(n, zeros=zeros_in_q))


@st.composite
def batches(draw):
    """Two arrays of shape (a, b, n) holding a x b pairs of distributions."""
    a, b, n = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 6))
    rows = draw(st.lists(distributions(n), min_size=2 * a * b, max_size=2 * a * b))
    both = np.array(rows).reshape(2, a, b, n)
    return both[0], both[1]


# --- Properties ----------------------------------------------------------------------------------


@given(pairs())
def test_kl_is_non_negative(pq):
    assert kl_divergence(*pq) >= -SLACK


@given(distributions())
def test_kl_of_a_distribution_with_itself_is_zero(p):
    assert kl_divergence(p, p) == 0.0
    assert js_divergence(p, p) == 0.0


@given(distributions())
def test_entropy_is_between_zero_and_log_n(p):
    h = entropy(p)
    assert -SLACK <= h <= np.log(p.size) + SLACK


@given(st.integers(1, 50))
def test_uniform_reaches_log_n(n):
    assert entropy(np.full(n, 1 / n)) == pytest.approx(np.log(n), **TOL)


@given(pairs(zeros_in_q=False))
def test_cross_entropy_is_entropy_plus_kl(pq):
    p, q = pq
    assert cross_entropy(p, q) == pytest.approx(entropy(p) + kl_divergence(p, q), **TOL)


@given(pairs())
def test_cross_entropy_is_at_least_entropy(pq):
    p, q = pq
    assert cross_entropy(p, q) >= entropy(p) - SLACK


@given(pairs())
def test_infinite_exactly_where_q_misses_support_of_p(pq):
    p, q = pq
    missing = np.any((q == 0) & (p > 0))
    assert np.isinf(kl_divergence(p, q)) == missing
    assert np.isinf(cross_entropy(p, q)) == missing


@given(pairs())
def test_js_is_symmetric_and_bounded(pq):
    p, q = pq
    js = js_divergence(p, q)
    assert js == js_divergence(q, p)
    assert -SLACK <= js <= np.log(2) + SLACK
    m = (p + q) / 2
    assert js == pytest.approx(0.5 * kl_divergence(p, m) + 0.5 * kl_divergence(q, m), **TOL)


@given(pairs(), st.sampled_from([2, 10, 0.5, 3.7]))
def test_other_bases_are_nats_divided_by_log_base(pq, base):
    p, q = pq
    for f, args in [
        (entropy, (p,)),
        (cross_entropy, (p, q)),
        (kl_divergence, (p, q)),
        (js_divergence, (p, q)),
        (surprise, (p,)),
    ]:
        expected = np.asarray(f(*args)) / np.log(base)
        np.testing.assert_allclose(f(*args, base=base), expected, rtol=1e-12)


@given(batches())
def test_vectorised_over_leading_axes_equals_a_loop(pq):
    p, q = pq
    for f in (cross_entropy, kl_divergence, js_divergence):
        result = f(p, q)
        assert isinstance(result, np.ndarray) and result.shape == p.shape[:-1]
        loop = [[f(p[i, j], q[i, j]) for j in range(p.shape[1])] for i in range(p.shape[0])]
        np.testing.assert_allclose(result, loop, rtol=1e-14, atol=0)
    loop = [[entropy(row) for row in block] for block in p]
    np.testing.assert_allclose(entropy(p), loop, rtol=1e-14, atol=0)


# --- Agreement with scipy ------------------------------------------------------------------------


@given(pairs())
def test_agrees_with_scipy(pq):
    p, q = pq
    assert entropy(p) == pytest.approx(scipy.stats.entropy(p), **TOL)
    assert entropy(p, base=2) == pytest.approx(scipy.stats.entropy(p, base=2), **TOL)
    assert kl_divergence(p, q) == pytest.approx(scipy.stats.entropy(p, q), **TOL)
    assert kl_divergence(p, q) == pytest.approx(scipy.special.rel_entr(p, q).sum(), **TOL)
    assert cross_entropy(p, q) == pytest.approx(-scipy.special.xlogy(p, q).sum(), **TOL)
    js_scipy = scipy.spatial.distance.jensenshannon(p, q) ** 2
    assert js_divergence(p, q) == pytest.approx(js_scipy, rel=1e-9, abs=1e-12)


@given(batches())
def test_batched_agrees_with_scipy(pq):
    p, q = pq
    np.testing.assert_allclose(entropy(p), scipy.stats.entropy(p, axis=-1), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(
        kl_divergence(p, q), scipy.stats.entropy(p, q, axis=-1), rtol=1e-9, atol=1e-12
    )


# --- Elementwise helpers -------------------------------------------------------------------------


@given(st.floats(0, 1))
def test_surprise_is_minus_log(x):
    with np.errstate(divide="ignore"):
        assert surprise(x) == -np.log(x)


def test_surprise_of_impossible_and_certain_outcomes():
    assert surprise(0.0) == np.inf
    assert surprise(1.0) == 0.0
    np.testing.assert_array_equal(surprise([0.5, 0.25], base=2), [1.0, 2.0])


@given(st.floats(0, 1))
def test_binary_entropy_is_entropy_of_a_coin(x):
    assert binary_entropy(x) == pytest.approx(entropy([1 - x, x]), **TOL)
    assert binary_entropy(x) == pytest.approx(binary_entropy(1 - x), **TOL)
    assert binary_entropy(x, base=2) <= 1 + SLACK


@given(st.floats(0, 1), st.floats(0, 1))
def test_bernoulli_kl_is_kl_of_coins(x, y):
    assert bernoulli_kl(x, y) == pytest.approx(kl_divergence([1 - x, x], [1 - y, y]), **TOL)


def test_elementwise_helpers_broadcast():
    grid = np.linspace(0, 1, 11)
    assert binary_entropy(grid).shape == (11,)
    kl = bernoulli_kl(grid, 0.5)
    assert kl.shape == (11,)
    np.testing.assert_allclose(kl, [bernoulli_kl(x, 0.5) for x in grid])
    assert bernoulli_kl(grid[:, None], grid).shape == (11, 11)


# --- Return types and accepted input -------------------------------------------------------------


def test_one_distribution_gives_a_python_float():
    for value in (
        entropy([0.5, 0.5]),
        cross_entropy([0.5, 0.5], [0.5, 0.5]),
        kl_divergence([0.5, 0.5], [0.5, 0.5]),
        js_divergence([0.5, 0.5], [0.5, 0.5]),
        surprise(0.5),
        binary_entropy(0.5),
        bernoulli_kl(0.5, 0.5),
    ):
        assert type(value) is float


def test_a_batch_gives_an_array_of_the_leading_shape():
    p = np.full((4, 3), 1 / 3)
    assert entropy(p).shape == (4,)
    assert kl_divergence(p, p).shape == (4,)
    assert entropy(p[None]).shape == (1, 4)


def test_accepts_lists_tuples_ints_and_float32():
    assert entropy((1, 0)) == 0.0
    assert entropy(np.array([1, 0])) == 0.0
    assert entropy(np.array([0.5, 0.5], dtype=np.float32), base=2) == 1.0
    assert kl_divergence([[0.5, 0.5]], [[0.5, 0.5]]).tolist() == [0.0]


def test_inputs_are_not_modified():
    p = np.array([0.5, 0.5, 0.0])
    q = np.array([0.5, 0.5, 0.0])
    cross_entropy(p, q)
    js_divergence(p, q)
    np.testing.assert_array_equal(p, [0.5, 0.5, 0.0])
    np.testing.assert_array_equal(q, [0.5, 0.5, 0.0])


def test_single_outcome():
    assert entropy([1.0]) == 0.0
    assert kl_divergence([1.0], [1.0]) == 0.0


def test_docstring_examples():
    result = doctest.testmod(coursekit.info)
    assert result.attempted >= 7 and result.failed == 0
