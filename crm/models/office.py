from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import MultipleChoiceField

from .choices import Canton, Language, StaffRole


class Office(models.Model):
    """An IV-Stelle. Every record a person reaches is scoped to one."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=200)
    canton = models.CharField(_("canton"), max_length=2, choices=Canton.choices)
    languages = MultipleChoiceField(
        _("languages"), item_choices=Language.choices, blank=False
    )
    served_cantons = MultipleChoiceField(
        _("served cantons"),
        item_choices=Canton.choices,
        help_text=_("IT pools and joint offices serve more than their own canton."),
    )
    reaction_time_target_days = models.PositiveSmallIntegerField(
        _("reaction-time target for employer requests (days)"),
        default=7,
        validators=[MinValueValidator(1)],
    )
    onsite_decision_limit_chf = models.DecimalField(
        _("on-site decision limit (CHF)"),
        max_digits=9,
        decimal_places=2,
        default=5000,
        help_text=_("Early-intervention amounts staff may decide on the spot."),
    )
    contact_due_months = models.PositiveSmallIntegerField(
        _("case-independent contact due after (months)"),
        default=12,
        validators=[MinValueValidator(1)],
    )
    contact_overdue_months = models.PositiveSmallIntegerField(
        _("case-independent contact overdue after (months)"),
        default=36,
        validators=[MinValueValidator(1)],
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    contact_overdue_months__gte=models.F("contact_due_months")
                ),
                name="office_overdue_after_due",
                violation_error_message=_(
                    "A contact cannot be overdue before it is due."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Team(models.Model):
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["office__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.office.code})"


class StaffProfile(models.Model):
    """A staff member of an office; the role decides what they may do (crm/roles.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="staff"
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    languages = MultipleChoiceField(_("languages"), item_choices=Language.choices)
    follow_up_digest = models.BooleanField(
        _("daily e-mail with my follow-ups"), default=True
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return f"{name} ({self.office.code})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.team_id and self.team.office_id != self.office_id:
            raise ValidationError(
                {"team": _("The team belongs to another office.")}, code="team_office"
            )
