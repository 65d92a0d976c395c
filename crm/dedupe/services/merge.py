"""Merging two employers or two contact persons, and undoing a merge.

Everything that points at the duplicate is found generically, from the model's
relations (`_meta.related_objects` and its own many-to-many fields), so a model
another app adds later (a registration, a delivery) moves along without a change
here. Each row moved, removed or changed is written to the `Merge` record; undo
plays that record backwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import ContactPerson, Employer
from crm.querysets import sees_all_offices, user_office_id
from crm.services.contacts import employer_contact_stats_refresh

from ..models import DuplicateCandidate, Kind, Merge

MERGE_PERMISSION = "crm.merge_employer"
# Never taken from the duplicate: identity, ownership and derived values.
FIELDS_NOT_TAKEN = {
    "id",
    "office",
    "created_at",
    "updated_at",
    "last_contact_on",
    "last_case_independent_contact_on",
    "quality_score",
    "contact_due_on",
    "contact_overdue_on",
}
MODELS = {Kind.EMPLOYER: Employer, Kind.PERSON: ContactPerson}


class MergeError(ValidationError):
    """A merge or an undo that cannot be done, with a message for the user."""


@dataclass(frozen=True)
class Relation:
    """A foreign key on `model` that points at the merged model."""

    model: type[models.Model]
    field: models.ForeignKey

    @property
    def key(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"

    @property
    def unique_sets(self) -> list[tuple[tuple[str, ...], models.Q | None]]:
        """Unique field sets that contain this key, each with its condition."""
        name, meta = self.field.name, self.model._meta
        sets: list[tuple[tuple[str, ...], models.Q | None]] = []
        if self.field.unique:
            sets.append(((name,), None))
        sets += [(tuple(s), None) for s in meta.unique_together if name in s]
        for constraint in meta.constraints:
            fields = getattr(constraint, "fields", ())
            if isinstance(constraint, models.UniqueConstraint) and name in fields:
                sets.append((tuple(fields), constraint.condition))
        return sets


def relations_of(model: type[models.Model]) -> list[Relation]:
    """Every foreign key in the project that points at `model`, many-to-many
    tables included (through their rows)."""
    found = []
    for rel in _reverse_relations(model):
        if rel.many_to_many:
            through = rel.through
            if through._meta.auto_created:  # explicit ones come as their own FK
                field = through._meta.get_field(rel.field.m2m_reverse_field_name())
                found.append(Relation(through, field))
        else:
            found.append(Relation(rel.related_model, rel.field))
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        if through._meta.auto_created:
            found.append(
                Relation(through, through._meta.get_field(field.m2m_field_name()))
            )
    return found


def _reverse_relations(model: type[models.Model]) -> list:
    """`_meta.related_objects` leaves out foreign keys declared with
    `related_name="+"` (an outreach target's employer and person, a portal
    invitation's employer): without them a merge would let the duplicate's rows
    cascade away or lose their link. Hidden ones are taken too, except the rows of
    auto-created many-to-many tables (handled through their relation) and
    django-simple-history's records, which keep what was, merge or not."""
    relations = []
    for rel in model._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete):
            continue
        related = rel.related_model
        skipped = related._meta.auto_created or hasattr(related, "instance_type")
        if rel.hidden and not rel.many_to_many and skipped:
            continue
        relations.append(rel)
    return relations


def relation_get(key: str, model: type[models.Model]) -> Relation:
    for relation in relations_of(model):
        if relation.key == key:
            return relation
    raise LookupError(key)


def mergeable_fields(model: type[models.Model]) -> list[models.Field]:
    """Fields whose value staff may take from the duplicate."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and field.name not in FIELDS_NOT_TAKEN
    ]


def related_counts(obj: models.Model) -> list[tuple[str, int]]:
    """(label, number of rows) of what points at `obj`, for the side-by-side view."""
    counts = []
    for relation in relations_of(type(obj)):
        count = relation.model._default_manager.filter(
            **{relation.field.name: obj.pk}
        ).count()
        if count:
            counts.append((_relation_label(relation), count))
    return counts


def _relation_label(relation: Relation) -> str:
    meta = relation.model._meta
    if meta.auto_created:  # a many-to-many table: name the other side
        other = next(
            f
            for f in meta.fields
            if f.is_relation and f.name != relation.field.name and not f.primary_key
        )
        return str(other.related_model._meta.verbose_name_plural)
    return str(meta.verbose_name_plural)


# --- Merge ----------------------------------------------------------------------


def employer_merge(
    *,
    survivor: Employer,
    duplicate: Employer,
    staff: AbstractBaseUser,
    field_values: Iterable[str] | Mapping[str, Any] = (),
    candidate: DuplicateCandidate | None = None,
) -> Merge:
    """Moves everything attached to `duplicate` to `survivor`, takes the chosen
    field values, deletes the duplicate and records it all; undo within 30 days."""
    merge = _merge(Kind.EMPLOYER, survivor, duplicate, staff, field_values, candidate)
    employer_contact_stats_refresh(survivor)
    return merge


def contact_person_merge(
    *,
    survivor: ContactPerson,
    duplicate: ContactPerson,
    staff: AbstractBaseUser,
    field_values: Iterable[str] | Mapping[str, Any] = (),
    candidate: DuplicateCandidate | None = None,
) -> Merge:
    """The same for two contact persons: roles, contacts, subscriptions, portal
    account … move to the survivor."""
    return _merge(Kind.PERSON, survivor, duplicate, staff, field_values, candidate)


def merge_allowed(user: AbstractBaseUser, office_id: int) -> bool:
    if not user.has_perm(MERGE_PERMISSION):
        return False
    return sees_all_offices(user) or user_office_id(user) == office_id


@transaction.atomic
def _merge(kind, survivor, duplicate, staff, field_values, candidate) -> Merge:
    model = MODELS[kind]
    survivor, duplicate = _lock(model, survivor.pk, duplicate.pk)
    if survivor.pk == duplicate.pk:
        raise MergeError(_("A record cannot be merged with itself."))
    if survivor.office_id != duplicate.office_id:
        raise MergeError(_("Only records of the same office can be merged."))
    if not merge_allowed(staff, survivor.office_id):
        raise PermissionDenied
    values = _values_taken(model, duplicate, field_values)
    merge = Merge(
        office_id=survivor.office_id,
        kind=kind,
        survivor_id=survivor.pk,
        duplicate_id=duplicate.pk,
        survivor_label=str(survivor)[:255],
        duplicate_label=str(duplicate)[:255],
        duplicate_data=_serialize(duplicate),
        merged_by=staff,
        candidate=candidate,
    )
    for relation in relations_of(model):
        _relation_move(relation, survivor, duplicate, merge)
    duplicate._change_reason = _("Merged into %(survivor)s (#%(id)s)") % {
        "survivor": survivor,
        "id": survivor.pk,
    }
    duplicate._history_user = staff
    duplicate.delete()
    merge.survivor_old = _fields_serialized(survivor, list(values))
    for name, value in values.items():
        setattr(survivor, name, value)
    if values:
        survivor.full_clean(validate_unique=True, validate_constraints=False)
    survivor._change_reason = _("Merged with %(duplicate)s (#%(id)s)") % {
        "duplicate": merge.duplicate_label,
        "id": merge.duplicate_id,
    }
    survivor._history_user = staff
    survivor.save()
    merge.save()
    _candidates_after_merge(kind, survivor.pk, merge.duplicate_id, candidate, staff)
    return merge


def _lock(model, survivor_pk: int, duplicate_pk: int):
    rows = model.objects.select_for_update().in_bulk([survivor_pk, duplicate_pk])
    if survivor_pk not in rows or duplicate_pk not in rows:
        raise MergeError(_("One of the two records no longer exists."))
    return rows[survivor_pk], rows[duplicate_pk]


def _values_taken(model, duplicate, field_values) -> dict[str, Any]:
    allowed = {field.name: field for field in mergeable_fields(model)}
    if isinstance(field_values, Mapping):
        chosen = dict(field_values)
    else:
        chosen = {name: None for name in field_values}
    unknown = set(chosen) - set(allowed)
    if unknown:
        raise MergeError(
            _("These fields cannot be taken over: %(names)s")
            % {"names": ", ".join(sorted(unknown))}
        )
    values = {}
    for name, value in chosen.items():
        field = allowed[name]
        taken = getattr(duplicate, field.attname) if value is None else value
        values[field.attname] = taken
    if model is Employer and values.get("parent_id") == duplicate.pk:
        values.pop("parent_id")
    return values


def _relation_move(relation: Relation, survivor, duplicate, merge: Merge) -> None:
    manager = relation.model._default_manager
    field = relation.field
    rows = manager.filter(**{field.name: duplicate.pk})
    if relation.model is type(survivor):
        # A self-reference (a branch's parent company): the survivor cannot become
        # its own parent.
        own = rows.filter(pk=survivor.pk)
        for pk in own.values_list("pk", flat=True):
            merge.changed.append(_change(relation, pk, duplicate.pk))
            setattr(survivor, field.attname, None)
        own.update(**{field.attname: None})
    unique_sets = relation.unique_sets
    moved = []
    if not unique_sets:
        moved = list(rows.values_list("pk", flat=True))
        rows.update(**{field.attname: survivor.pk})
    else:
        for row in rows:
            if _row_fit(relation, row, survivor, unique_sets, merge):
                moved.append(row.pk)
        manager.filter(pk__in=moved).update(**{field.attname: survivor.pk})
    if moved:
        merge.moved[relation.key] = moved


def _row_fit(relation, row, survivor, unique_sets, merge: Merge) -> bool:
    """Makes `row` fit at the survivor; False when it had to be removed."""
    manager = relation.model._default_manager
    for fields, condition in unique_sets:
        if condition is not None and not (
            manager.filter(pk=row.pk).filter(condition).exists()
        ):
            continue
        lookup = {
            name: getattr(row, relation.model._meta.get_field(name).attname)
            for name in fields
            if name != relation.field.name
        }
        taken = manager.filter(**lookup, **{relation.field.name: survivor.pk})
        if condition is not None:
            taken = taken.filter(condition)
        if not taken.exists():
            continue
        flag = _condition_flag(condition)
        if flag is not None:
            # e.g. "one fixed contact per employer": the survivor keeps its own.
            merge.changed.append(
                {**_change(relation, row.pk, getattr(row, flag)), "field": flag}
            )
            manager.filter(pk=row.pk).update(**{flag: not getattr(row, flag)})
            setattr(row, flag, not getattr(row, flag))
            continue
        merge.removed.extend(_delete_recorded(row))
        return False
    return True


def _condition_flag(condition: models.Q | None) -> str | None:
    """The boolean field of a condition like Q(is_fixed_contact=True)."""
    if condition is None or condition.negated or len(condition.children) != 1:
        return None
    child = condition.children[0]
    if isinstance(child, tuple) and isinstance(child[1], bool):
        return child[0]
    return None


def _change(relation: Relation, pk: int, old) -> dict[str, Any]:
    return {
        "model": relation.model._meta.label,
        "pk": pk,
        "field": relation.field.attname,
        "old": old,
    }


def _delete_recorded(row: models.Model) -> list[dict]:
    """Deletes `row` and what cascades from it; returns them serialized, parents
    first, so that undo can insert them back in that order."""
    collector = Collector(using=row._state.db or "default", origin=row)
    collector.collect([row])
    collector.sort()
    objects: list[models.Model] = []
    for queryset in collector.fast_deletes:
        objects.extend(queryset)
    for instances in collector.data.values():
        objects.extend(instances)
    data = [_serialize(obj) for obj in reversed(objects)]
    row.delete()
    return data


def _candidates_after_merge(kind, survivor_id, duplicate_id, candidate, staff) -> None:
    now = timezone.now()
    pair = (min(survivor_id, duplicate_id), max(survivor_id, duplicate_id))
    DuplicateCandidate.objects.filter(
        kind=kind, low_id=pair[0], high_id=pair[1]
    ).update(status=DuplicateCandidate.Status.MERGED, decided_at=now, decided_by=staff)
    # Other open pairs of the duplicate point at a record that is gone; the next
    # scan proposes the survivor instead where it still looks alike.
    DuplicateCandidate.objects.filter(
        models.Q(low_id=duplicate_id) | models.Q(high_id=duplicate_id),
        kind=kind,
        status=DuplicateCandidate.Status.OPEN,
    ).delete()


# --- Undo -----------------------------------------------------------------------


@transaction.atomic
def merge_undo(*, merge: Merge, staff: AbstractBaseUser) -> models.Model:
    """Restores the duplicate as it was and moves its records back; within 30 days.

    Returns the restored duplicate."""
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if not merge_allowed(staff, merge.office_id):
        raise PermissionDenied
    if merge.undone_at is not None:
        raise MergeError(_("This merge has already been undone."))
    if not merge.can_undo:
        raise MergeError(_("A merge can be undone for 30 days only."))
    model = MODELS[merge.kind]
    survivor = model.objects.select_for_update().filter(pk=merge.survivor_id).first()
    if survivor is None:
        raise MergeError(_("The record merged into no longer exists."))
    if model.objects.filter(pk=merge.duplicate_id).exists():
        raise MergeError(_("The duplicate exists again; nothing to restore."))
    _survivor_restore(survivor, merge, staff)
    duplicate = _restore(merge.duplicate_data)
    model.history.bulk_history_create(
        [duplicate],
        default_user=staff,
        default_change_reason=_("Merge undone"),
    )
    for key, ids in merge.moved.items():
        relation = relation_get(key, model)
        relation.model._default_manager.filter(pk__in=ids).update(
            **{relation.field.attname: duplicate.pk}
        )
    for data in merge.removed:
        _restore(data)
    for change in merge.changed:
        related = _model_by_label(change["model"])
        related._default_manager.filter(pk=change["pk"]).update(
            **{change["field"]: change["old"]}
        )
    merge.undone_at, merge.undone_by = timezone.now(), staff
    merge.save(update_fields=["undone_at", "undone_by"])
    low, high = sorted((merge.survivor_id, merge.duplicate_id))
    DuplicateCandidate.objects.filter(kind=merge.kind, low_id=low, high_id=high).update(
        status=DuplicateCandidate.Status.OPEN, decided_at=None, decided_by=None
    )
    if model is Employer:
        employer_contact_stats_refresh(survivor)
        employer_contact_stats_refresh(duplicate)
    return duplicate


def _survivor_restore(survivor, merge: Merge, staff) -> None:
    if merge.survivor_old:
        current = _serialize(survivor)
        current["fields"].update(merge.survivor_old)
        old = next(serializers.deserialize("json", json.dumps([current]))).object
        for name in merge.survivor_old:
            field = survivor._meta.get_field(name)
            setattr(survivor, field.attname, getattr(old, field.attname))
    survivor._change_reason = _("Merge with %(duplicate)s (#%(id)s) undone") % {
        "duplicate": merge.duplicate_label,
        "id": merge.duplicate_id,
    }
    survivor._history_user = staff
    survivor.save()


def _restore(data: dict) -> models.Model:
    """Inserts a serialized row back as it was (raw: no auto dates, no m2m)."""
    obj = next(serializers.deserialize("json", json.dumps([data]))).object
    models.Model.save_base(obj, raw=True, force_insert=True)
    return obj


# --- Serialisation ----------------------------------------------------------------


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; undo restores them whole."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


def _serialize(obj: models.Model) -> dict:
    data = serializers.serialize("python", [obj])[0]
    return json.loads(json.dumps(data, cls=_ExactEncoder))


def _fields_serialized(obj: models.Model, attnames: list[str]) -> dict[str, Any]:
    """The serialized values of `obj`'s fields, by field name (as in `fields`)."""
    fields = _serialize(obj)["fields"]
    names = [
        field.name for field in obj._meta.concrete_fields if field.attname in attnames
    ]
    return {name: fields.get(name) for name in names}


def _model_by_label(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


def moved_summary(merge: Merge) -> Iterator[tuple[str, int]]:
    model = MODELS[merge.kind]
    for key, ids in merge.moved.items():
        try:
            label = _relation_label(relation_get(key, model))
        except LookupError:
            label = key
        yield label, len(ids)
