"""The forms of the import steps: upload, column mapping, confirmation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import Office

from .specs import SPECS, Spec

# Who may import a resource: whoever may add its records (see crm/roles.py).
IMPORT_PERMISSIONS = {
    "employers": "crm.add_employer",
    "persons": "crm.add_contactperson",
    "contacts": "crm.add_contact",
    "opportunities": "crm.add_jobopportunity",
    "partners": "crm.add_partnerorganisation",
}
# Who may export it: the export permission, and seeing its records at all.
EXPORT_PERMISSIONS = {
    "employers": ("crm.export_employer", "crm.view_employer"),
    "persons": ("crm.export_employer", "crm.view_contactperson"),
    "contacts": ("crm.export_employer", "crm.view_contact"),
    "opportunities": ("crm.export_employer", "crm.view_jobopportunity"),
    "partners": ("crm.export_employer", "crm.view_partnerorganisation"),
}


def importable(user) -> list[str]:
    return [name for name in SPECS if user.has_perm(IMPORT_PERMISSIONS[name])]


def exportable(user) -> list[str]:
    return [name for name in SPECS if user.has_perms(EXPORT_PERMISSIONS[name])]


def resource_choices(names: list[str]) -> list[tuple[str, str]]:
    return [(name, str(SPECS[name].label).capitalize()) for name in names]


class UploadForm(forms.Form):
    resource = forms.ChoiceField(label=_("Data"))
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (comma, semicolon or tab; UTF-8 or Windows-1252) or XLSX, with a "
            "header line in German, French or English."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = resource_choices(importable(user))
        if user.is_superuser:
            # Superusers belong to no office: they say which one the data is for.
            self.fields["office"] = forms.ModelChoiceField(
                label=_("Office"), queryset=Office.objects.order_by("code")
            )


class MappingForm(forms.Form):
    """One choice per header the import did not recognise: a column, or ignore it."""

    def __init__(self, *args, spec: Spec, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Ignore this column"))] + [
            (column.name, str(column.label)) for column in spec.columns()
        ]
        self.headers = headers
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False
            )

    def mapping(self) -> dict[str, str]:
        return {
            header: self.cleaned_data[f"column_{index}"]
            for index, header in enumerate(self.headers)
        }


class ConfirmForm(forms.Form):
    partial = forms.BooleanField(
        label=_("Write the valid rows only (rows with errors are left out)"),
        required=False,
    )
