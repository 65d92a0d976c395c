"""Admin forms for the CRM: limit choices to the person's office, explain errors."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import ContactPerson, Employer, EmployerRole, Office
from .querysets import user_office_id
from .validators import uid_normalise


def office_staff(office_id: int | None):
    users = get_user_model().objects.filter(is_active=True, staff_profile__isnull=False)
    if office_id is not None:
        users = users.filter(staff_profile__office_id=office_id)
    return users.order_by("last_name", "first_name")


class EmployerForm(WagtailAdminModelForm):
    cooperation_reason = forms.CharField(
        label=_("Reason for the cooperation type / intensity"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required when the type or intensity changes; kept in the history."
        ),
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        user = for_user
        own_office = user_office_id(user) if user is not None else None
        is_super = bool(user is not None and user.is_superuser)
        if not is_super and self.instance.office_id is None and own_office:
            self.instance.office_id = own_office
        lead_office = self.instance.office_id or own_office
        if "office" in self.fields and not is_super:
            self.fields["office"].disabled = True
            self.fields["office"].queryset = Office.objects.filter(pk=lead_office)
            self.initial.setdefault("office", lead_office)
        staff = office_staff(None if is_super and not lead_office else lead_office)
        for name in ("fixed_contact", "deputy_contact"):
            if name in self.fields:
                self.fields[name].queryset = staff
        if "parent" in self.fields and user is not None:
            parents = Employer.objects.visible_to(user)
            if self.instance.pk:
                parents = parents.exclude(pk=self.instance.pk)
            self.fields["parent"].queryset = parents
        for name in ("daily_sickness_insurer_partner", "pension_fund_partner"):
            # Partners are kept per office: offer only the office's own.
            if name in self.fields and not is_super:
                self.fields[name].queryset = self.fields[name].queryset.filter(
                    office_id=lead_office
                )
        if "shared_with" in self.fields and not is_super:
            if self.instance.pk and self.instance.office_id != own_office:
                self.fields["shared_with"].disabled = True
                self.fields["shared_with"].help_text = _(
                    "Only the lead office can change with whom this employer is shared."
                )
            self.fields["shared_with"].queryset = Office.objects.exclude(pk=lead_office)

    def clean_uid(self):
        raw = self.cleaned_data.get("uid") or ""
        if not raw.strip():
            return None
        uid = uid_normalise(raw)
        existing = Employer.objects.filter(uid=uid).exclude(pk=self.instance.pk).first()
        if existing is not None:
            user = self.for_user
            if (
                user is not None
                and Employer.objects.visible_to(user).filter(pk=existing.pk).exists()
            ):
                url = reverse("wagtailsnippets_crm_employer:edit", args=[existing.pk])
                raise ValidationError(
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("An employer with this UID already exists:"),
                        url,
                        existing.legal_name,
                    ),
                    code="uid_duplicate",
                )
            raise ValidationError(
                _(
                    "An employer with this UID is already registered by another "
                    "office. Ask that office to share it with yours."
                ),
                code="uid_duplicate_other_office",
            )
        return uid

    def clean(self):
        data = super().clean()
        changed = any(
            name in self.fields
            and (data.get(name) or "") != (self.initial.get(name) or "")
            for name in ("cooperation_type", "intensity")
        )
        if changed and not (data.get("cooperation_reason") or "").strip():
            self.add_error(
                "cooperation_reason",
                _("Say why the cooperation type or intensity changes."),
            )
        return data

    def _post_clean(self):
        # The model's unique check would repeat our clearer UID message.
        super()._post_clean()
        if "uid" in self._errors and len(self._errors["uid"]) > 1:
            self._errors["uid"] = self._errors["uid"][:1]


class ContactPersonForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        own_office = user_office_id(for_user) if for_user is not None else None
        is_super = bool(for_user is not None and for_user.is_superuser)
        if not is_super and self.instance.office_id is None and own_office:
            self.instance.office_id = own_office
        if "office" in self.fields and not is_super:
            self.fields["office"].disabled = True
            self.fields["office"].queryset = Office.objects.filter(pk=own_office)
            self.initial.setdefault("office", self.instance.office_id or own_office)


class EmployerRoleForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None:
            self.fields["employer"].queryset = Employer.objects.visible_to(for_user)
            self.fields["person"].queryset = ContactPerson.objects.visible_to(for_user)

    class Meta:
        model = EmployerRole
        fields = ["employer", "person", "function", "is_fixed_contact"]


class ReassignFixedContactForm(forms.Form):
    new_contact = forms.ModelChoiceField(
        label=_("New fixed contact person"), queryset=get_user_model().objects.none()
    )
    new_deputy = forms.ModelChoiceField(
        label=_("New deputy (optional)"),
        queryset=get_user_model().objects.none(),
        required=False,
    )

    def __init__(self, *args, office_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        staff = office_staff(office_id)
        self.fields["new_contact"].queryset = staff
        self.fields["new_deputy"].queryset = staff

    def clean(self):
        data = super().clean()
        if data.get("new_deputy") and data.get("new_deputy") == data.get("new_contact"):
            self.add_error(
                "new_deputy", _("The deputy cannot be the fixed contact person.")
            )
        return data
