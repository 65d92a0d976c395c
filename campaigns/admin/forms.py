"""Admin forms that keep choices inside the person's office."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from crm.models import ContactPerson, Language, Office
from crm.querysets import user_office_id

from ..models import LegalBasis, MailingList, Segment

SCOPED_CHOICES = {
    "mailing_list": MailingList,
    "segment": Segment,
    "include_segments": Segment,
    "exclude_segments": Segment,
}


class OfficeScopedForm(WagtailAdminModelForm):
    """`office` and every list/segment choice limited to the user's office."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        user = for_user
        if user is None:
            return
        self._scope_choices(user)

    def _scope_choices(self, user) -> None:
        office_id = None if user.is_superuser else user_office_id(user)
        if "office" in self.fields and office_id is not None:
            self.fields["office"].queryset = Office.objects.filter(pk=office_id)
            self.fields["office"].initial = office_id
            self.fields["office"].empty_label = None
        for name, model in SCOPED_CHOICES.items():
            if name in self.fields:
                self.fields[name].queryset = model.objects.visible_to(user)
        if "staff" in self.fields:
            staff = get_user_model().objects.filter(is_active=True)
            if office_id is not None:
                staff = staff.filter(staff_profile__office_id=office_id)
            self.fields["staff"].queryset = staff.exclude(staff_profile=None)
        # Plain selects, not snippet choosers: the choices are few and scoped.
        for name in ("office", "mailing_list", "segment"):
            if name in self.fields:
                field = self.fields[name]
                field.widget = forms.Select()
                field.widget.choices = field.choices
        for name in ("include_segments", "exclude_segments"):
            if name in self.fields and self.instance.pk:
                field = self.fields[name]
                field.queryset = field.queryset.exclude(pk=self.instance.pk)


class StaffSubscriptionForm(forms.Form):
    """Staff add a contact person to a list; the legal basis is required."""

    mailing_list = forms.ModelChoiceField(MailingList.objects.none(), label=_("List"))
    person = forms.ModelChoiceField(ContactPerson.objects.none(), label=_("Person"))
    language = forms.ChoiceField(choices=Language.choices, label=_("Language"))
    legal_basis = forms.ChoiceField(choices=LegalBasis.choices, label=_("Legal basis"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mailing_list"].queryset = MailingList.objects.visible_to(user)
        self.fields["person"].queryset = ContactPerson.objects.visible_to(user).exclude(
            email=""
        )
