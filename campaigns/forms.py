from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import Language


class SignupForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
