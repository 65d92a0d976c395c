"""Reads for the review queue: candidates and merges a person may see, and the
side-by-side comparison of two records."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .models import DuplicateCandidate, Kind, Merge
from .services.merge import MODELS, mergeable_fields, related_counts


def candidate_list(
    user: AbstractBaseUser,
    *,
    kind: str = "",
    status: str = DuplicateCandidate.Status.OPEN,
) -> QuerySet[DuplicateCandidate]:
    candidates = DuplicateCandidate.objects.visible_to(user).filter(status=status)
    if kind:
        candidates = candidates.filter(kind=kind)
    return candidates.select_related("office").order_by("-score", "-found_at", "pk")


def merge_list(user: AbstractBaseUser) -> QuerySet[Merge]:
    return Merge.objects.visible_to(user).select_related("merged_by", "undone_by")


def records_visible(user: AbstractBaseUser, kind: str, ids) -> dict[int, models.Model]:
    """The records of `kind` with these ids that `user` may see, by id."""
    return MODELS[kind].objects.visible_to(user).in_bulk(list(ids))


def candidate_records(
    candidates, user: AbstractBaseUser
) -> list[tuple[DuplicateCandidate, models.Model | None, models.Model | None]]:
    """Each candidate with its two records (None where gone or out of scope)."""
    ids: dict[str, set[int]] = {Kind.EMPLOYER: set(), Kind.PERSON: set()}
    for candidate in candidates:
        ids[candidate.kind].update((candidate.low_id, candidate.high_id))
    found = {kind: records_visible(user, kind, pks) for kind, pks in ids.items() if pks}
    return [
        (
            candidate,
            found.get(candidate.kind, {}).get(candidate.low_id),
            found.get(candidate.kind, {}).get(candidate.high_id),
        )
        for candidate in candidates
    ]


@dataclass
class FieldRow:
    name: str
    label: str
    left: str
    right: str

    @property
    def differs(self) -> bool:
        return self.left != self.right


def comparison_rows(left: models.Model, right: models.Model) -> list[FieldRow]:
    """Every field staff may take over, with both records' values as shown."""
    return [
        FieldRow(
            name=field.name,
            label=str(field.verbose_name).capitalize(),
            left=value_display(left, field),
            right=value_display(right, field),
        )
        for field in mergeable_fields(type(left))
    ]


def value_display(obj: models.Model, field: models.Field) -> str:
    value = getattr(obj, field.attname)
    if value in (None, "", []):
        return ""
    if field.is_relation:
        return str(getattr(obj, field.name))
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def attached_counts(
    left: models.Model, right: models.Model
) -> list[tuple[str, int, int]]:
    """(what, how many at left, how many at right) for everything attached."""
    left_counts, right_counts = dict(related_counts(left)), dict(related_counts(right))
    labels = list(dict.fromkeys([*left_counts, *right_counts]))
    return [
        (label, left_counts.get(label, 0), right_counts.get(label, 0))
        for label in labels
    ]
