from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crm.models import Canton, LegalForm, RegisterStatus

# What staff read when a lookup failed, per UidRegisterError.code.
ERROR_MESSAGES = {
    "not_configured": _("The UID register is not configured."),
    "invalid_uid": _("The UID register does not accept this UID."),
    "not_found": _("The UID register has no entry for this UID."),
    "rate_limited": _(
        "Too many UID register lookups in the last minute. Try again in a minute."
    ),
    "unavailable": _("The UID register cannot be reached right now. Try again later."),
}


class UidRegisterSuggestion(models.Model):
    """What the UID register said about an employer, waiting for staff to accept it.

    Nothing from the register reaches the employer by itself: staff compare the
    values side by side and accept (all or some fields) or dismiss them. A failed
    lookup is kept too, with the reason, so staff see why nothing came.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", pgettext_lazy("suggestion", "accepted")
        DISMISSED = "dismissed", _("dismissed")
        MATCHING = "matching", _("matches the employer")
        FAILED = "failed", _("failed")

    employer = models.ForeignKey(
        "crm.Employer",
        verbose_name=_("employer"),
        on_delete=models.CASCADE,
        related_name="uid_register_suggestions",
    )
    uid = models.CharField(_("UID"), max_length=15)
    fetched_at = models.DateTimeField(_("fetched at"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    error_code = models.CharField(_("error code"), max_length=20, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The register's values, already in the employer's terms.
    legal_name = models.CharField(_("legal name"), max_length=255, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    canton = models.CharField(
        _("canton"), max_length=2, choices=Canton.choices, blank=True
    )
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, blank=True
    )
    legal_form_code = models.CharField(
        _("legal form code (eCH-0097)"), max_length=4, blank=True
    )
    noga_code = models.CharField(_("NOGA 2008 code"), max_length=7, blank=True)
    register_status = models.CharField(
        _("register status"), max_length=12, choices=RegisterStatus.choices, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    applied_fields = models.JSONField(_("applied fields"), default=list, blank=True)

    class Meta:
        verbose_name = _("UID register suggestion")
        verbose_name_plural = _("UID register suggestions")
        ordering = ["-fetched_at", "-pk"]
        indexes = [models.Index(fields=["employer", "status", "-fetched_at"])]

    def __str__(self) -> str:
        return f"{self.uid} {self.get_status_display()} {self.fetched_at:%Y-%m-%d}"

    @property
    def error_message(self) -> str:
        if not self.error_code:
            return ""
        return str(ERROR_MESSAGES.get(self.error_code, ERROR_MESSAGES["unavailable"]))

    @property
    def street_line(self) -> str:
        return " ".join(part for part in (self.street, self.house_number) if part)
