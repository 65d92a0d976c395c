"""The contact-quality score: one formula, used for the employer's score and its chart.

Each rated contact gives the mean of the marks it has (1–5; marks left empty are
"cannot judge" and do not count). Ratings are combined as a weighted mean whose
weights halve every twelve months:

    weight = 0.5 ** (age_in_days / 365.25)
    score  = Σ weight × rating_mean / Σ weight

A rating from today weighs 1, one from a year ago 0.5, two years ago 0.25. So the
score follows how the relationship is now, while one old bad contact still counts a
little. The ratio of two weights depends only on the days between the two contacts,
not on today, so a stored score does not go stale as time passes: it changes only
when a rating is added or removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .models import QUALITY_MARKS

HALF_LIFE_DAYS = 365.25


def recency_weight(occurred_on: date, today: date) -> float:
    age_days = max((today - occurred_on).days, 0)
    return 0.5 ** (age_days / HALF_LIFE_DAYS)


def weighted_mean(values: Iterable[tuple[date, float]], today: date) -> float | None:
    """Recency-weighted mean of (date, value) pairs; None without any."""
    total = weights = 0.0
    for occurred_on, value in values:
        weight = recency_weight(occurred_on, today)
        total += weight * value
        weights += weight
    return total / weights if weights else None


def rating_mean(marks: Mapping[str, int | None]) -> float | None:
    given = [value for value in marks.values() if value is not None]
    return sum(given) / len(given) if given else None


def quality_score(
    ratings: Iterable[tuple[date, Mapping[str, int | None]]], today: date
) -> Decimal | None:
    """The employer's score, 1.00–5.00, from (contact date, marks) pairs."""
    means = [
        (occurred_on, mean)
        for occurred_on, marks in ratings
        if (mean := rating_mean(marks)) is not None
    ]
    score = weighted_mean(means, today)
    if score is None:
        return None
    return Decimal(str(score)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class MarkScore:
    name: str
    label: str
    value: float | None  # recency-weighted mean of this mark, None if never given
    count: int  # how many ratings gave this mark


def quality_profile(
    ratings: Iterable[tuple[date, Mapping[str, int | None]]], today: date
) -> list[MarkScore]:
    """Per mark, the same weighted mean as the score: what the chart shows."""
    ratings = list(ratings)
    profile = []
    for name, label in QUALITY_MARKS:
        given = [
            (occurred_on, marks[name])
            for occurred_on, marks in ratings
            if marks.get(name) is not None
        ]
        profile.append(
            MarkScore(
                name=name,
                label=str(label),
                value=weighted_mean(given, today),
                count=len(given),
            )
        )
    return profile
