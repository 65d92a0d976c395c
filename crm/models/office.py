from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import MultipleChoiceField

from .choices import Canton, Language, StaffRole

LAW_TO_VERIFY = _("Default; to verify against the law in force.")


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
    # Case rules. Defaults from the IVG as read in 2024 (Art. 18a, 18b, 18c,
    # 14quater) and the IIZ handover agreement; each office checks them.
    early_detection_target_days = models.PositiveSmallIntegerField(
        _("first contact after an early-detection report within (business days)"),
        default=10,
        validators=[MinValueValidator(1)],
    )
    trial_placement_max_days = models.PositiveSmallIntegerField(
        _("trial placement: at most (days)"),
        default=180,
        validators=[MinValueValidator(1)],
        help_text=LAW_TO_VERIFY,
    )
    onboarding_subsidy_max_days = models.PositiveSmallIntegerField(
        _("onboarding subsidy: at most (days)"),
        default=180,
        validators=[MinValueValidator(1)],
        help_text=LAW_TO_VERIFY,
    )
    compensation_window_months = models.PositiveSmallIntegerField(
        _("contribution compensation: within (months after the placement)"),
        default=36,
        validators=[MinValueValidator(1)],
        help_text=LAW_TO_VERIFY,
    )
    compensation_min_job_months = models.PositiveSmallIntegerField(
        _("contribution compensation: job lasted more than (months)"),
        default=3,
        help_text=LAW_TO_VERIFY,
    )
    advice_after_placement_months = models.PositiveSmallIntegerField(
        _("advice after placement: window (months)"),
        default=36,
        validators=[MinValueValidator(1)],
        help_text=LAW_TO_VERIFY,
    )
    re_referral_window_months = models.PositiveSmallIntegerField(
        _("IIZ re-referral guard: window (months)"),
        default=6,
        validators=[MinValueValidator(3), MaxValueValidator(6)],
        help_text=_(
            "A partner referring the same person again this soon after placement "
            "support ended without a job gets a warning (IIZ agreement: 3–6 months)."
        ),
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

    #: The rules an office head sets for their own office (Settings → Office
    #: rules); the code, name, canton and languages stay with the administrators.
    RULE_FIELDS = (
        "reaction_time_target_days",
        "onsite_decision_limit_chf",
        "early_detection_target_days",
        "trial_placement_max_days",
        "onboarding_subsidy_max_days",
        "compensation_window_months",
        "compensation_min_job_months",
        "advice_after_placement_months",
        "re_referral_window_months",
        "contact_due_months",
        "contact_overdue_months",
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["code"]
        permissions = [("change_office_rules", "Can change the own office's rules")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(re_referral_window_months__gte=3)
                & models.Q(re_referral_window_months__lte=6),
                name="office_re_referral_3_to_6",
                violation_error_message=_("The re-referral window is 3 to 6 months."),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    contact_overdue_months__gte=models.F("contact_due_months")
                ),
                name="office_overdue_after_due",
                violation_error_message=_(
                    "A contact cannot be overdue before it is due."
                ),
            ),
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
    decision_limit_chf = models.DecimalField(
        _("on-site decision limit (CHF)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: the office's limit."),
    )
    follow_up_digest = models.BooleanField(
        _("daily e-mail with my follow-ups"), default=True
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return f"{name} ({self.office.code})"

    @property
    def effective_decision_limit_chf(self):
        if self.decision_limit_chf is not None:
            return self.decision_limit_chf
        return self.office.onsite_decision_limit_chf

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.team_id and self.team.office_id != self.office_id:
            raise ValidationError(
                {"team": _("The team belongs to another office.")}, code="team_office"
            )
