"""Duplicate candidates found by the scan, and the merges staff made of them.

A candidate names its pair by ids, not foreign keys: the pair must outlive a merge
(the duplicate is deleted, and the merge can be undone), and a pair staff dismissed
must stay dismissed however often the scan runs.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Office
from crm.querysets import OfficeScopedQuerySet

UNDO_DAYS = 30


class Kind(models.TextChoices):
    EMPLOYER = "employer", _("employer")
    PERSON = "person", _("contact person")


class DuplicateCandidate(models.Model):
    """Two records of one office that may be the same employer or person."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MERGED = "merged", _("merged")
        DISMISSED = "dismissed", _("not a duplicate")

    class Reason(models.TextChoices):
        UID = "uid", _("same UID")
        NAME_POSTCODE = "name_postcode", _("similar name, same postcode")
        EMAIL_DOMAIN = "email_domain", _("same e-mail domain")
        EMAIL = "email", _("same e-mail address")
        NAME_EMPLOYER = "name_employer", _("same name at the same employer")
        NAME_ACROSS = "name_across", _("same name and phone or e-mail domain")

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="duplicate_candidates",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    low_id = models.PositiveIntegerField(_("first record"))
    high_id = models.PositiveIntegerField(_("second record"))
    score = models.PositiveSmallIntegerField(_("score"))
    # [{"code": "name_postcode", "detail": "3011 · 94"}, …]
    reasons = models.JSONField(_("reasons"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    found_at = models.DateTimeField(_("found"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("duplicate candidate")
        verbose_name_plural = _("duplicate candidates")
        ordering = ["-score", "-found_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "low_id", "high_id"], name="dedupe_unique_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(low_id__lt=models.F("high_id")),
                name="dedupe_pair_ordered",
            ),
        ]
        indexes = [models.Index(fields=["office", "status", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.low_id} ↔ {self.high_id}"

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(self.Reason.choices)
        return [str(labels.get(r.get("code"), r.get("code"))) for r in self.reasons]


class Merge(models.Model):
    """What one merge did, exactly enough to undo it.

    `moved`: {"app_label.Model.field": [ids]} of the rows that pointed at the
    duplicate and now point at the survivor. `removed`: rows deleted because the
    survivor already had their like (a person's role at the same employer), as
    serialized data. `changed`: [{"model", "pk", "field", "old"}] for rows whose
    value was changed to fit (a second fixed contact). `survivor_old`: the survivor's
    field values before values were taken from the duplicate. `duplicate_data`:
    the deleted duplicate, serialized.
    """

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    survivor_id = models.PositiveIntegerField(_("survivor"))
    duplicate_id = models.PositiveIntegerField(_("duplicate"))
    duplicate_label = models.CharField(_("duplicate"), max_length=255)
    survivor_label = models.CharField(_("survivor"), max_length=255)
    duplicate_data = models.JSONField(_("duplicate's data"))
    survivor_old = models.JSONField(_("survivor's former values"), default=dict)
    moved = models.JSONField(_("moved records"), default=dict)
    removed = models.JSONField(_("removed records"), default=list)
    changed = models.JSONField(_("changed records"), default=list)
    candidate = models.ForeignKey(
        DuplicateCandidate,
        verbose_name=_("candidate"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merges",
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged"), default=timezone.now)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_at"]
        indexes = [
            models.Index(fields=["kind", "survivor_id"]),
            models.Index(fields=["office", "-merged_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.duplicate_label} → {self.survivor_label}"

    @property
    def undo_until(self):
        return self.merged_at + timedelta(days=UNDO_DAYS)

    @property
    def can_undo(self) -> bool:
        return self.undone_at is None and timezone.now() < self.undo_until

    @property
    def moved_count(self) -> int:
        return sum(len(ids) for ids in self.moved.values())
