"""Portal forms. Each works without JavaScript; errors come back in the visitor's
language, next to the field."""

from __future__ import annotations

import filetype
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from crm.models import (
    CompanyLanguage,
    Employer,
    JobOpportunity,
    LoadLevel,
    PersonFunction,
    Request,
)

from .selectors import portal_account

ALLOWED_UPLOAD_TYPES = {"application/pdf", "image/jpeg", "image/png"}


class PortalLoginForm(AuthenticationForm):
    """E-mail and password; staff accounts cannot log in here (they use /admin/)."""

    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "This e-mail address and password do not match a portal account. "
            "Both are case-sensitive; after five failed attempts the login is "
            "locked for 15 minutes."
        ),
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if portal_account(user) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_login"], code="invalid_login"
            )


class PortalPasswordResetForm(PasswordResetForm):
    """Mails a reset link only to portal accounts (staff reset theirs in the admin)."""

    def get_users(self, email):
        return [
            user
            for user in super().get_users(email)
            if portal_account(user) is not None
        ]


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits, not a common word."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif cleaned.get("password1"):
            try:
                password_validation.validate_password(cleaned["password1"])
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class AccessRequestForm(forms.Form):
    uid = forms.CharField(
        label=_("UID of your company"),
        max_length=20,
        help_text=_("e.g. CHE-123.456.789"),
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Work e-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    function = forms.ChoiceField(label=_("Function"), choices=PersonFunction.choices)
    message = forms.CharField(
        label=_("Message to the IV office"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ColleagueForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Work e-mail"))
    function = forms.ChoiceField(label=_("Function"), choices=PersonFunction.choices)


class ChangeProposalForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    comment = forms.CharField(
        label=_("Comment for the IV office"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    class Meta:
        model = Employer
        fields = [
            "street",
            "postcode",
            "municipality",
            "phone",
            "email",
            "website",
            "fte",
            "company_language",
            "occupations",
        ]
        widgets = {"occupations": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company_language"].choices = [
            ("", "–"),
            *CompanyLanguage.choices,
        ]
        self.fields["phone"] = PhoneNumberField(
            label=_("Phone"), required=False, region="CH"
        )
        if self.instance.pk:
            self.initial["phone"] = self.instance.phone

    def validate_unique(self) -> None:
        """Nothing to check: the proposal does not touch unique fields."""


def _check_upload(upload) -> None:
    limit = settings.PORTAL_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is %(size)s; files up to %(limit)s are accepted."),
            code="too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
        )
    head = upload.read(261)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_UPLOAD_TYPES:
        raise forms.ValidationError(
            _("Attach a PDF, JPEG or PNG file."), code="file_type"
        )


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What would you like?"),
        choices=Request.Kind.choices,
        widget=forms.RadioSelect,
        initial=Request.Kind.CALLBACK,
    )
    subject = forms.ChoiceField(label=_("Subject"), choices=Request.Subject.choices)
    message = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Describe the situation in a few sentences. Please do not write health "
            "details, diagnoses or AHV numbers: we discuss those in person."
        ),
        error_messages={"required": _("Write your question, so that we can prepare.")},
    )
    callback_phone = forms.CharField(
        label=_("Phone for the call-back"), max_length=30, required=False
    )
    callback_time = forms.CharField(
        label=_("Best time to call"),
        max_length=100,
        required=False,
        help_text=_("e.g. weekday mornings"),
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 5 MB."),
    )

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(
                _("Write your question, so that we can prepare."), code="required"
            )
        return message

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            _check_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("kind") == Request.Kind.CALLBACK
            and not cleaned.get("callback_phone", "").strip()
        ):
            self.add_error(
                "callback_phone", _("Give the number we should call you back on.")
            )
        return cleaned


# The load profile of a place in the employer's words; matching compares the levels
# (crm.models.LoadLevel: 1 low, 2 medium, 3 high) with what a person can take on.
PHYSICAL_LOAD_CHOICES = [
    ("", _("I don't know / not stated")),
    (LoadLevel.LOW, _("Light: mostly sitting, or light work")),
    (LoadLevel.MEDIUM, _("Medium: standing and walking, lifting now and then")),
    (LoadLevel.HIGH, _("Heavy: lifting and carrying, hard physical work")),
]
PSYCHOLOGICAL_LOAD_CHOICES = [
    ("", _("I don't know / not stated")),
    (LoadLevel.LOW, _("Low: clear, steady tasks, little time pressure")),
    (LoadLevel.MEDIUM, _("Medium: some time pressure or customer contact")),
    (LoadLevel.HIGH, _("High: much time pressure, responsibility or conflict")),
]


class OpportunityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=JobOpportunity.Kind.choices)
    title = forms.CharField(label=_("Job title"), max_length=200)
    description = forms.CharField(
        label=_("Tasks and requirements"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    workload_percent = forms.IntegerField(
        label=_("Workload (%)"), min_value=5, max_value=100, required=False
    )
    location = forms.CharField(label=_("Place of work"), max_length=200, required=False)
    region = forms.CharField(
        label=_("Region (optional)"),
        max_length=100,
        required=False,
        help_text=_(
            "For example Bern-Mittelland or Emmental: it helps us find people who "
            "live nearby."
        ),
    )
    start_on = forms.DateField(
        label=_("Start"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    physical_load = forms.TypedChoiceField(
        label=_("How physically demanding is the work? (optional)"),
        choices=PHYSICAL_LOAD_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    psychological_load = forms.TypedChoiceField(
        label=_("How mentally demanding is the work? (optional)"),
        choices=PSYCHOLOGICAL_LOAD_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    adapted_work_possible = forms.BooleanField(
        label=_("Adapted or light duties are possible"), required=False
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )
