from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from core.fields import MultipleChoiceField

from ..querysets import ContactPersonQuerySet
from .choices import Language, PersonFunction
from .employer import Employer
from .office import Office


class ContactPerson(models.Model):
    """A person at one or more employers (Kontaktperson)."""

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="contact_persons",
        help_text=_("The office that keeps this person's record."),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    mobile = PhoneNumberField(_("mobile"), blank=True)
    languages = MultipleChoiceField(_("languages"), item_choices=Language.choices)
    is_active = models.BooleanField(_("active"), default=True)
    employers = models.ManyToManyField(
        Employer,
        through="EmployerRole",
        verbose_name=_("employers"),
        related_name="contact_persons",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ContactPersonQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["office", "last_name"]),
            # Segments check a role's person (active, languages) from the index alone.
            models.Index(
                fields=["id", "is_active", "languages"],
                name="contactperson_segment_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return str(self)


class EmployerRole(models.Model):
    """What a contact person is at one employer, and whether the IV's contact there."""

    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.CASCADE,
        related_name="roles",
    )
    person = models.ForeignKey(
        ContactPerson,
        verbose_name=_("contact person"),
        on_delete=models.CASCADE,
        related_name="roles",
    )
    function = models.CharField(
        _("function"), max_length=20, choices=PersonFunction.choices
    )
    is_fixed_contact = models.BooleanField(_("fixed contact for the IV"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role at an employer")
        verbose_name_plural = _("roles at employers")
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "person"], name="employerrole_unique_person"
            ),
            models.UniqueConstraint(
                fields=["employer"],
                condition=models.Q(is_fixed_contact=True),
                name="employerrole_one_fixed_contact",
                violation_error_message=_(
                    "This employer already has a fixed contact for the IV."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_function_display()} @ {self.employer}"
