"""Employer requests (Anfrage): a question or a call-back wish, with a clock.

An employer asks for advice or a call-back (in the portal, later by phone or at an
event); the office answers within its reaction-time target
(`Office.reaction_time_target_days`, counted in business days without the office
canton's public holidays: `crm.services.requests.reaction_due_on`). Writes go through
`crm.services.requests`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..querysets import RequestQuerySet
from .employer import Employer
from .office import Office
from .person import ContactPerson


class Request(models.Model):
    """An employer's request for advice or a call-back (Anfrage)."""

    class Kind(models.TextChoices):
        ADVICE = "advice", _("advice")
        CALLBACK = "callback", _("call-back")

    class Subject(models.TextChoices):
        UNCLEAR_SITUATION = (
            "unclear_situation",
            _("an employee's situation is unclear (absences, performance)"),
        )
        EARLY_DETECTION = "early_detection", _("early detection and reporting")
        RETURN_TO_WORK = "return_to_work", _("return to work after illness or accident")
        HIRING = "hiring", _("hiring someone with the IV's support")
        PREVENTION = "prevention", _("health at work and prevention")
        OTHER = "other", _("something else")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("portal")
        PHONE = "phone", _("phone")
        EMAIL = "email", _("e-mail")
        HOTLINE = "hotline", _("hotline")

    class Status(models.TextChoices):
        OPEN = "open", _("received")
        IN_PROGRESS = "in_progress", _("in progress")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

        @classmethod
        def pending(cls) -> list[str]:
            return [cls.OPEN, cls.IN_PROGRESS]

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    person = models.ForeignKey(
        ContactPerson,
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.PORTAL
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The staff member who took a phone, e-mail or hotline request."),
    )
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    message = models.TextField(_("message"))
    callback_phone = models.CharField(
        _("phone for the call-back"), max_length=30, blank=True
    )
    callback_time = models.CharField(
        _("best time for the call-back"), max_length=100, blank=True
    )
    attachment = models.FileField(
        _("attachment"), upload_to="requests/%Y/%m/", blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_on = models.DateField(
        _("answer due on"),
        help_text=_("Reaction-time target of the office, in business days."),
    )
    answer = models.TextField(
        _("answer"), blank=True, help_text=_("The employer reads this in the portal.")
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    internal_note = models.TextField(
        _("internal note"),
        blank=True,
        help_text=_("Staff only; never shown to the employer."),
    )

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("employer request")
        verbose_name_plural = _("employer requests")
        ordering = ["-received_at"]
        indexes = [
            # The staff queue: pending requests of an office, the most urgent first.
            models.Index(
                fields=["office", "status", "due_on"], name="request_queue_idx"
            ),
            models.Index(
                fields=["employer", "-received_at"], name="request_employer_idx"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} – {self.employer} ({self.received_at:%d.%m.%Y})"
        )

    @property
    def is_pending(self) -> bool:
        return self.status in self.Status.pending()

    def is_overdue_on(self, day) -> bool:
        answered_on = timezone.localdate(self.answered_at) if self.answered_at else None
        return (answered_on or day) > self.due_on

    @property
    def is_overdue(self) -> bool:
        return self.is_pending and timezone.localdate() > self.due_on
