"""Contacts (Kontakt), their optional quality rating and the follow-ups they create.

The central record of the CRM (study §7.1 item 6): every interaction between an office
and an employer, case-related or case-independent. Writes go through
`crm.services.contacts.contact_log`; these models only hold fields, constraints and
cheap checks.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import MultipleChoiceField

from ..querysets import ContactQuerySet, FollowUpQuerySet
from .choices import NO_HEALTH_DATA
from .employer import Employer
from .office import Office
from .person import ContactPerson


class Channel(models.TextChoices):
    """Forms of contact (study Tab. 6, §3.2.2, §5.3)."""

    VISIT = "visit", _("visit on site")
    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail")
    LETTER = "letter", _("personal letter")
    QUESTIONNAIRE = "questionnaire", _("employer questionnaire")
    OWN_EVENT = "own_event", _("own event")
    THIRD_PARTY_EVENT = "third_party_event", _("third-party event or fair")
    WRITTEN_INFO = "written_info", _("non-personalised written information")
    HOTLINE = "hotline", _("hotline")
    PORTAL = "portal", _("contact form / portal")
    INFORMAL = "informal", _("informal")


class InitiatedBy(models.TextChoices):
    """Who made the contact (study Tab. 9)."""

    EMPLOYER = "employer", _("employer")
    OFFICE = "office", _("IV office")
    INSURED = "insured", _("insured person")
    OTHER = "other", _("other")


class StartingPoint(models.TextChoices):
    """How the contact came about (study §5.2, Ausgangspunkt)."""

    SHARED_CONCERN = "shared_concern", _("shared concern")
    GOOD_CASE_WORK = "good_case_work", _("good case handling")
    OCCASION = "occasion", _("occasion or activity")
    ADVICE_REQUEST = (
        "advice_request",
        _("request for advice, assessment assignment or employer questionnaire"),
    )
    ACQUISITION = "acquisition", _("case-independent acquisition")
    PROMPT_CASE_CONTACT = "prompt_case_contact", _("prompt contact in a case")


class Topic(models.TextChoices):
    """What the contact was about (study A-Tab. 30, §5.2–5.5); several per contact."""

    INFORMATION = "information", _("information or training")
    EMPLOYEE_INTEGRATION = (
        "employee_integration",
        _("support with integrating employees"),
    )
    IN_COMPANY_INTEGRATION = (
        "in_company_integration",
        _("in-company integration concern"),
    )
    INTEGRATION_POTENTIAL = (
        "integration_potential",
        _("recognising integration potential"),
    )
    INTENSIFY_COOPERATION = "intensify_cooperation", _("intensifying the cooperation")
    JOB_ACQUISITION = "job_acquisition", _("acquiring jobs and trial places")
    SERVICE_PRESENTATION = "service_presentation", _("presenting the IV's services")
    VACANCY_REPORT = "vacancy_report", _("vacancy report")
    COMPLAINT = "complaint", _("complaint")
    THANKS = "thanks", _("thanks or gift")


#: The eight marks of contact quality (study §4.1), in the study's order:
#: four functional-organisational, then four ethical-moral ones.
QUALITY_MARKS: list[tuple[str, str]] = [
    ("transparency", _("transparency")),
    ("goal_orientation", _("goal orientation")),
    ("continuity", _("continuity")),
    ("ability_to_decide", _("ability to decide")),
    ("trust", _("trust")),
    ("commitment", _("commitment")),
    ("reliability", _("reliability")),
    ("empathy", _("empathy")),
]
QUALITY_MARK_NAMES: list[str] = [name for name, _label in QUALITY_MARKS]


class Contact(models.Model):
    """One interaction between an office and an employer (Kontakt).

    `office` is the office of the staff member who logged it: with an employer shared
    between offices, each office sees only its own contacts.
    """

    Channel = Channel
    InitiatedBy = InitiatedBy
    StartingPoint = StartingPoint
    Topic = Topic

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        # A contact is history: merge employers instead of deleting them.
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    occurred_on = models.DateField(_("date"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="contacts_logged",
    )
    participants = models.ManyToManyField(
        ContactPerson,
        verbose_name=_("participants at the employer"),
        blank=True,
        related_name="contacts",
    )
    staff_participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("other staff members"),
        blank=True,
        related_name="contacts_joined",
    )
    case_related = models.BooleanField(
        _("case-related"),
        default=False,
        help_text=_("Arises from an insurance case; otherwise case-independent."),
    )
    case = models.ForeignKey(
        "crm.CaseReference",
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        help_text=_("For a case-related contact: the case it belongs to."),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    initiated_by = models.CharField(
        _("initiated by"), max_length=10, choices=InitiatedBy.choices
    )
    starting_point = models.CharField(
        _("starting point"), max_length=20, choices=StartingPoint.choices, blank=True
    )
    topics = MultipleChoiceField(_("topics"), item_choices=Topic.choices)
    outcome = models.TextField(_("outcome"), blank=True, help_text=NO_HEALTH_DATA)
    notes = models.TextField(_("notes"), blank=True, help_text=NO_HEALTH_DATA)
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_on", "-created_at"]
        indexes = [
            # The employer page's timeline, per office, newest first.
            models.Index(
                fields=["employer", "office", "-occurred_on"],
                name="contact_timeline_idx",
            ),
            # Derived fields: last (case-independent) contact of an employer.
            models.Index(
                fields=["employer", "case_related", "-occurred_on"],
                name="contact_employer_kind_idx",
            ),
            # Dashboard: recent contacts of an office / a staff member.
            models.Index(fields=["office", "-occurred_on"], name="contact_office_idx"),
            models.Index(fields=["staff", "-occurred_on"], name="contact_staff_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_channel_display()} – {self.employer}"

    def clean(self) -> None:
        if self.occurred_on and self.occurred_on > timezone.localdate():
            raise ValidationError(
                {
                    "occurred_on": ValidationError(
                        _(
                            "A contact cannot be in the future: log it once it has "
                            "taken place, or enter the next appointment as a "
                            "follow-up."
                        ),
                        code="contact_in_future",
                    )
                }
            )


def _mark_field(label) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (very poor) to 5 (very good); empty when you cannot judge."),
    )


class ContactQualityRating(models.Model):
    """The optional rating of one contact on the study's eight marks (§4.1).

    Each mark is 1–5 or empty ("cannot judge", as in the study's scales); a rating
    needs at least one mark.
    """

    contact = models.OneToOneField(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="rating",
    )
    transparency = _mark_field(_("transparency"))
    goal_orientation = _mark_field(_("goal orientation"))
    continuity = _mark_field(_("continuity"))
    ability_to_decide = _mark_field(_("ability to decide"))
    trust = _mark_field(_("trust"))
    commitment = _mark_field(_("commitment"))
    reliability = _mark_field(_("reliability"))
    empathy = _mark_field(_("empathy"))

    class Meta:
        verbose_name = _("contact-quality rating")
        verbose_name_plural = _("contact-quality ratings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{name}__isnull": True})
                | models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                name=f"rating_{name}_1_to_5",
                violation_error_message=_("Marks go from 1 to 5."),
            )
            for name in QUALITY_MARK_NAMES
        ]

    def __str__(self) -> str:
        return f"{self.contact}: {self.mean}"

    @property
    def marks(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in QUALITY_MARK_NAMES}

    @property
    def mean(self) -> float | None:
        given = [value for value in self.marks.values() if value is not None]
        return sum(given) / len(given) if given else None

    def clean(self) -> None:
        if self.mean is None:
            raise ValidationError(
                _("Give at least one mark, or leave the rating out."),
                code="rating_empty",
            )


class FollowUp(models.Model):
    """Something a staff member has to do with an employer by a date (next appointment).

    Usually created by logging a contact; open until `done_at` is set.
    """

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("from contact"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    placement = models.ForeignKey(
        "crm.Placement",
        verbose_name=_("from placement"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    due_on = models.DateField(_("due on"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    note = models.TextField(_("what to do"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]
        indexes = [
            # "My follow-ups due" (dashboard, daily digest): open ones only.
            models.Index(
                fields=["assignee", "due_on"],
                condition=models.Q(done_at__isnull=True),
                name="followup_open_assignee_idx",
            ),
            models.Index(
                fields=["employer", "due_on"],
                condition=models.Q(done_at__isnull=True),
                name="followup_open_employer_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.due_on} {self.employer} → {self.assignee}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None
