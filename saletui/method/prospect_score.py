"""A prospect's expected contribution as a weighted score of the method's factors.

The method rates a prospect on size, management level, network, buying power, marketing
level, growth and our relative advantage; the rep rates each 1 (poor) to 5 (excellent).
The score is the weighted mean of the factors rated; at or above `high_from` the expected
value is high. With fewer than `min_rated` factors rated there is no score, and the
expected value stays the one typed. Weights and thresholds come from the settings'
`classes: prospects:` section (ClassRules); nothing here reads a file or the database.
"""

from __future__ import annotations

from collections.abc import Mapping

from saletui.i18n import _

FACTORS = ("size", "management", "network", "buying_power", "marketing", "growth", "advantage")
"""In the order the method lists them (and the form asks them)."""
RATINGS = (1, 2, 3, 4, 5)
DEFAULT_WEIGHTS: tuple[tuple[str, float], ...] = tuple((f, 1.0) for f in FACTORS)
DEFAULT_HIGH_FROM = 3.5
DEFAULT_MIN_RATED = 3


def factor_labels() -> dict[str, str]:
    """Each factor as the rep reads it (translated when called, not at import)."""
    return {
        "size": _("Size"),
        "management": _("Management level"),
        "network": _("Network"),
        "buying_power": _("Buying power"),
        "marketing": _("Marketing level"),
        "growth": _("Growth"),
        "advantage": _("Our relative advantage"),
    }


def score(
    ratings: Mapping[str, int | None],
    weights: Mapping[str, float],
    min_rated: int = DEFAULT_MIN_RATED,
) -> float | None:
    """The weighted mean of the rated factors (1-5), or None when fewer than `min_rated`
    factors with a weight above 0 are rated."""
    total = weight_sum = 0.0
    rated = 0
    for factor in FACTORS:
        rating, weight = ratings.get(factor), weights.get(factor, 0.0)
        if rating is None or weight <= 0:
            continue
        total += rating * weight
        weight_sum += weight
        rated += 1
    if rated < max(1, min_rated) or weight_sum <= 0:
        return None
    return total / weight_sum


def assess(
    ratings: Mapping[str, int | None],
    weights: Mapping[str, float],
    min_rated: int = DEFAULT_MIN_RATED,
    high_from: float = DEFAULT_HIGH_FROM,
) -> tuple[float, str] | None:
    """(score, "high" or "low") for a prospect's ratings; None without a score. What the
    derived classes store and what the account form shows as it is typed."""
    value = score(ratings, weights, min_rated)
    if value is None:
        return None
    return value, "high" if value >= high_from - 1e-9 else "low"
