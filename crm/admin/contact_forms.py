"""Forms of the contact screens. They only collect input: `contact_log` validates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from ..case_selectors import may_see_cases
from ..models import (
    NO_HEALTH_DATA,
    QUALITY_MARKS,
    CaseReference,
    Channel,
    ContactPerson,
    Employer,
    InitiatedBy,
    StaffProfile,
    StartingPoint,
    Topic,
)

MARK_CHOICES = [("", "–")] + [(str(value), str(value)) for value in range(1, 6)]


def office_staff(office_id: int) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True, staff_profile__office_id=office_id)
        .order_by("last_name", "first_name", "username")
    )


class StaffChoiceMixin:
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


class StaffChoiceField(StaffChoiceMixin, forms.ModelChoiceField):
    pass


class StaffMultipleChoiceField(StaffChoiceMixin, forms.ModelMultipleChoiceField):
    pass


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, case: CaseReference) -> str:
        return case.case_number


class ContactLogForm(forms.Form):
    """Everything `contact_log` takes, laid out to log a phone call in a minute.

    The case field exists only for roles that may see cases, and offers only the
    office's cases."""

    occurred_on = forms.DateField(label=_("Date"), widget=AdminDateInput)
    case_related = forms.TypedChoiceField(
        label=_("Kind of contact"),
        choices=[("0", _("case-independent")), ("1", _("case-related"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    case = CaseChoiceField(
        label=_("Case"),
        queryset=CaseReference.objects.none(),
        required=False,
        help_text=_("For a case-related contact: the case it was about."),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", "–")] + Channel.choices
    )
    initiated_by = forms.ChoiceField(
        label=_("Initiated by"), choices=InitiatedBy.choices, initial=InitiatedBy.OFFICE
    )
    starting_point = forms.ChoiceField(
        label=_("Starting point"),
        choices=[("", "–")] + StartingPoint.choices,
        required=False,
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants at the employer"),
        queryset=ContactPerson.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    staff_participants = StaffMultipleChoiceField(
        label=_("Other staff members"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=NO_HEALTH_DATA,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_HEALTH_DATA,
    )
    follow_up_on = forms.DateField(
        label=_("Next appointment"),
        required=False,
        widget=AdminDateInput,
        help_text=_("Creates a follow-up that reminds the assignee."),
    )
    follow_up_assignee = StaffChoiceField(
        label=_("Assigned to"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("me"),
    )
    follow_up_note = forms.CharField(label=_("What to do"), required=False)

    def __init__(self, *args, employer: Employer, user, office_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("occurred_on", timezone.localdate())
        self.fields["participants"].queryset = ContactPerson.objects.filter(
            roles__employer=employer, is_active=True
        ).order_by("last_name", "first_name")
        staff = office_staff(office_id)
        self.fields["staff_participants"].queryset = staff.exclude(pk=user.pk)
        self.fields["follow_up_assignee"].queryset = staff
        if may_see_cases(user):
            self.fields["case"].queryset = CaseReference.objects.filter(
                office_id=office_id
            ).order_by("case_number")
        else:
            del self.fields["case"]
        for name, label in QUALITY_MARKS:
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=MARK_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
            )

    @property
    def mark_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _label in QUALITY_MARKS]

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["rating"] = {name: data.pop(name) for name, _label in QUALITY_MARKS}
        data["participants"] = list(data["participants"])
        data["staff_participants"] = list(data["staff_participants"])
        return data

    def add_service_errors(self, error: ValidationError) -> None:
        """Shows the service's errors at their fields (or above the form)."""
        for field, messages in error.update_error_dict({}).items():
            target = field if field in self.fields else None
            if field == NON_FIELD_ERRORS:
                target = None
            for message in messages:
                self.add_error(target, message)


class EmployerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Employer"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name, UID or municipality")}),
    )


class FollowUpDigestForm(forms.ModelForm):
    class Meta:
        model = StaffProfile
        fields = ["follow_up_digest"]
        help_texts = {
            "follow_up_digest": _(
                "Every morning at 06:30, a mail with your follow-ups due today or "
                "earlier. Nothing is sent on days without any."
            )
        }
