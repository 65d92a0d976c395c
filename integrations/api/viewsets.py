"""API tokens in the Wagtail admin (Settings → API tokens): list, create (the token
is shown once), rename or revoke. Office-scoped like every admin list."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from crm.admin.scoping import OfficeScopedViewMixin
from crm.models import Office
from crm.querysets import sees_all_offices, user_office_id

from .models import ApiToken
from .services import api_token_create, api_token_revoke


def token_state(token: ApiToken) -> str:
    if token.revoked_at is not None:
        return str(_("revoked"))
    if not token.is_usable():
        return str(_("expired"))
    return str(_("active"))


class TokenCreateForm(forms.ModelForm):
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"),
        required=False,
        min_value=0,
        max_value=3650,
        help_text=_(
            "Empty: the default (a year, API_TOKEN_DEFAULT_DAYS). 0: the token does "
            "not expire; revoke it when it is no longer used."
        ),
    )

    class Meta:
        model = ApiToken
        fields = ["name", "office", "read_only"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if for_user is not None and not sees_all_offices(for_user):
            self.fields["office"].queryset = Office.objects.filter(
                pk=user_office_id(for_user)
            )
            self.fields["office"].initial = user_office_id(for_user)


class TokenEditForm(forms.ModelForm):
    revoke = forms.BooleanField(
        label=_("Revoke this token"),
        required=False,
        help_text=_("Calls with it are refused from now on. This cannot be undone."),
    )

    class Meta:
        model = ApiToken
        fields = ["name"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)


class TokenIndexView(OfficeScopedViewMixin, generic.IndexView):
    pass


class TokenCreateView(generic.CreateView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}

    def form_valid(self, form):
        try:
            issued = api_token_create(
                office=form.cleaned_data["office"],
                name=form.cleaned_data["name"],
                read_only=form.cleaned_data["read_only"],
                expires_in_days=form.cleaned_data.get("expires_in_days"),
                by=self.request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        log(instance=issued.token, action="wagtail.create", content_changed=True)
        return TemplateResponse(
            self.request,
            "api/token_created.html",
            {
                "token": issued.token,
                "raw": issued.raw,
                "index_url": reverse(self.index_url_name),
            },
        )


class TokenEditView(OfficeScopedViewMixin, generic.EditView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}

    def save_instance(self):
        token = self.form.save()
        if self.form.cleaned_data.get("revoke"):
            api_token_revoke(token=token)
            log(instance=token, action="api.token_revoke")
        else:
            log(instance=token, action="wagtail.edit", content_changed=True)
        return token


class TokenDeleteView(OfficeScopedViewMixin, generic.DeleteView):
    pass


class ApiTokenViewSet(ModelViewSet):
    model = ApiToken
    name = "api_tokens"
    url_prefix = "api-tokens"
    icon = "key"
    menu_label = _("API tokens")
    add_to_settings_menu = True
    index_view_class = TokenIndexView
    add_view_class = TokenCreateView
    edit_view_class = TokenEditView
    delete_view_class = TokenDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "name",
        Column("office", label=_("Office"), accessor=lambda token: token.office.code),
        Column("prefix", label=_("Token starts with")),
        BooleanColumn("read_only", label=_("Read only")),
        Column("state", label=_("State"), accessor=token_state),
        "expires_at",
        "last_used_at",
        "created_at",
    ]
    list_filter = ["read_only"]
    search_fields = ["name", "prefix"]

    def get_form_class(self, for_update: bool = False):
        return TokenEditForm if for_update else TokenCreateForm
