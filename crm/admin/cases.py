"""Staff UI for cases, measures, placements, partners, agreements, IIZ handovers and
complaints: snippet viewsets scoped to the office (crm/admin/scoping.py), whose
create views go through the services, plus the two matching lists."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django.views.decorators.debug import (
    sensitive_post_parameters,
    sensitive_variables,
)
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from ..ahv import ahv_validate
from ..case_selectors import cases_for_opportunity, opportunities_for_case
from ..forms import office_staff
from ..models import (
    Agreement,
    CaseReference,
    Complaint,
    EarlyDetectionReport,
    Handover,
    JobOpportunity,
    Measure,
    PartnerContact,
    PartnerOrganisation,
    Placement,
)
from ..querysets import user_office_id
from ..services.cases import (
    case_ahv_set,
    case_create,
    early_detection_report_record,
    early_detection_report_update,
)
from ..services.complaints import complaint_record, complaint_update
from ..services.measures import (
    APPROVE_PERMISSION,
    measure_approve,
    measure_duration_warning,
    measure_edit_check,
    measure_plan,
    measure_status_set,
)
from ..services.partners import (
    handover_ahv_set,
    handover_re_referral_warning,
    handover_record,
    partner_contact_changed,
)
from ..services.placements import (
    placement_duration_warning,
    placement_record,
    placement_update,
)
from .scoping import scoped_queryset, scoped_view_classes


def _limit_choices_to_scope(form, user) -> None:
    """Foreign-key choices offer only records the user's office sees; people
    (specialist, coordinator, responsible) only active staff of that office,
    never portal users."""
    office_id = None if user.is_superuser else user_office_id(user)
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        if hasattr(queryset, "visible_to"):
            field.queryset = queryset.visible_to(user)
        elif queryset.model is get_user_model():
            field.queryset = office_staff(office_id)


class ScopedFormMixin:
    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        _limit_choices_to_scope(form, self.request.user)
        return form


class ServiceCreateView(ScopedFormMixin, snippet_views.CreateView):
    """Creates through a service: `create(form_data)` returns the saved object."""

    def create(self, data: dict):
        raise NotImplementedError

    def save_instance(self):
        data = {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name in self.form.fields
        }
        return self.create(data)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            return service_error(self, form, error)


def service_error(view, form, error: ValidationError, field: str | None = None):
    """A service refused the form's data: show why on the form, as Wagtail does
    for its own validation errors (the views' error message is set then)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(field, error)
    view.produced_error_code = "validation_error"
    view.produced_error_message = view.get_error_message()
    return view.form_invalid(form)


class ServiceEditMixin:
    """Edits through a service: `update(instance, data)` saves the record as it is
    in the database with the form's data and returns it; the form saves nothing."""

    def update(self, instance, data: dict):
        raise NotImplementedError

    def save_instance(self):
        data = {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name in self.form.fields
        }
        instance = self.update(self.model.objects.get(pk=self.object.pk), data)
        self.has_content_changes = self.form.has_changed()
        log(
            instance=instance,
            action="wagtail.edit",
            content_changed=self.has_content_changes,
        )
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            return service_error(self, form, error)


class OfficeCreateView(ServiceCreateView):
    """Plain records: they belong to the staff member's office."""

    def create(self, data: dict):
        instance = self.form.instance
        office_id = user_office_id(self.request.user)
        if office_id is None:
            raise PermissionDenied
        instance.office_id = office_id
        instance.full_clean()
        # form.save() writes the many-to-many choices too (agreement parties)
        return self.form.save()


def _scoped_views(create_view=OfficeCreateView, edit_mixins=()) -> dict:
    views = scoped_view_classes()
    views.pop("copy_view_class")
    views["edit_view_class"] = type(
        "ScopedFormEditView",
        (*edit_mixins, ScopedFormMixin, views["edit_view_class"]),
        {},
    )
    views["add_view_class"] = create_view
    return views


def scoped_viewset(model_, *, create_view=OfficeCreateView, edit_mixins=(), **attrs):
    """A SnippetViewSet for `model_` whose every view loads through the scope.

    `form_fields` become the form's panels: a SnippetViewSet ignores
    `form_fields` and would otherwise offer every editable field (the office, the
    approval flag) in its forms."""
    form_fields = attrs.pop("form_fields", None)
    if form_fields and "edit_handler" not in attrs:
        attrs["edit_handler"] = ObjectList([FieldPanel(name) for name in form_fields])
    return type(
        f"{model_.__name__}ViewSet",
        (SnippetViewSet,),
        {
            "model": model_,
            "copy_view_enabled": False,
            **_scoped_views(create_view, edit_mixins),
            **attrs,
        },
    )


# --- Cases ------------------------------------------------------------------------


class WriteOnlyInput(forms.TextInput):
    """A text input that never renders its value: a form shown again after an error
    does not put the AHV number back into the page."""

    def format_value(self, value):
        return None


class AhvFormMixin:
    """An optional, write-only AHV number, checked here (EAN-13) so the error shows
    at the field; the service hashes it and drops the clear number."""

    @method_decorator(sensitive_variables("number"))
    def clean_ahv_number(self) -> str:
        number = self.cleaned_data.get("ahv_number", "").strip()
        if number:
            ahv_validate(number)
        return number


class SensitiveAhvViewMixin:
    """Error reports (the 500 mail, the debug page) show the posted AHV number as
    stars, like a password, and no local variable of the saving code below this
    view: the form's data passes through several of them."""

    @method_decorator(sensitive_post_parameters("ahv_number"))
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    @method_decorator(sensitive_variables())
    def save_instance(self):
        return super().save_instance()


def ahv_number_field(help_text) -> forms.CharField:
    return forms.CharField(
        label=_("AHV number"),
        required=False,
        help_text=help_text,
        widget=WriteOnlyInput(attrs={"autocomplete": "off"}),
    )


class CaseAdminForm(AhvFormMixin, WagtailAdminModelForm):
    ahv_number = ahv_number_field(
        _(
            "Only to match the case with a partner. Checked, then kept as a keyed "
            "hash: it is never shown again."
        )
    )


class CaseCreateView(SensitiveAhvViewMixin, ServiceCreateView):
    def create(self, data: dict):
        return case_create(staff=self.request.user, **data)


class CaseAhvEditMixin(SensitiveAhvViewMixin):
    @method_decorator(sensitive_variables("number"))
    def save_instance(self):
        instance = super().save_instance()
        number = self.form.cleaned_data.get("ahv_number")
        if number:
            case_ahv_set(case=instance, ahv_number=number)
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            return service_error(self, form, error, field="ahv_number")


CASE_FIELDS = [
    "case_number",
    "employer",
    "aim",
    "phase",
    "integration_specialist",
    "case_officer",
    "consent_given_on",
    "consent_scope",
    "consent_withdrawn_on",
    "region",
    "occupation",
    "max_physical_load",
    "max_psychological_load",
    "max_workload_percent",
]

CaseViewSet = scoped_viewset(
    CaseReference,
    create_view=CaseCreateView,
    edit_mixins=(CaseAhvEditMixin,),
    icon="folder-open-inverse",
    menu_label=_("Cases"),
    menu_order=10,
    list_display=["case_number", "employer", "aim", "phase", "integration_specialist"],
    list_filter=["phase", "aim"],
    search_fields=["case_number"],
    edit_handler=ObjectList(
        [FieldPanel(name) for name in CASE_FIELDS] + [FieldPanel("ahv_number")],
        base_form_class=CaseAdminForm,
    ),
)


class ReportCreateView(ServiceCreateView):
    def create(self, data: dict):
        return early_detection_report_record(**data)


class ReportEditMixin(ServiceEditMixin):
    """A new received date moves the due date, and so met / missed."""

    def update(self, instance, data: dict):
        return early_detection_report_update(
            report=instance, staff=self.request.user, **data
        )


def report_target(report: EarlyDetectionReport) -> str:
    met = report.target_met
    if met is None:
        return pgettext("early-detection target", "open")
    if met:
        return pgettext("early-detection target", "met")
    return pgettext("early-detection target", "missed")


EarlyDetectionReportViewSet = scoped_viewset(
    EarlyDetectionReport,
    create_view=ReportCreateView,
    edit_mixins=(ReportEditMixin,),
    icon="warning",
    menu_label=_("Early-detection reports"),
    menu_order=20,
    list_display=["case", "reporter", "received_on", "first_contact_on",
                  "first_contact_due_on",
                  Column("target", label=_("First contact target"),
                         accessor=report_target)],
    list_filter=["reporter"],
    form_fields=["case", "reporter", "received_on", "first_contact_on"],
)  # fmt: skip


class MeasureCreateView(ServiceCreateView):
    def create(self, data: dict):
        return measure_plan(staff=self.request.user, **data)


class MeasureStatusEditMixin:
    """Edits pass the duration rules and the decision limit again
    (`measure_edit_check`); status changes go through the status flow of
    `measure_status_set`."""

    def save_instance(self):
        new_status = self.form.cleaned_data.get("status")
        old = Measure.objects.get(pk=self.object.pk)
        self.form.instance.status = old.status
        measure_edit_check(
            measure=self.form.instance,
            before=old,
            staff=self.request.user,
            new_status=new_status or "",
        )
        instance = super().save_instance()
        if new_status and new_status != old.status:
            measure_status_set(
                measure=instance, staff=self.request.user, status=new_status
            )
        warning = measure_duration_warning(instance)
        if warning:
            messages.warning(self.request, warning)
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            return service_error(self, form, error)


MEASURE_FIELDS = ["case", "employer", "kind", "status", "start_on", "end_on",
                  "amount_chf", "decided_on_site", "provider", "placement",
                  "outcome"]  # fmt: skip


class MeasureAdminForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        case, placement = cleaned.get("case"), cleaned.get("placement")
        if case is not None and placement is not None and placement.case != case:
            self.add_error(
                "placement",
                _("The placement belongs to another case: choose one of this case's."),
            )
        return cleaned


MeasureViewSet = scoped_viewset(
    Measure,
    create_view=MeasureCreateView,
    edit_mixins=(MeasureStatusEditMixin,),
    icon="clipboard-list",
    menu_label=_("Measures"),
    menu_order=30,
    list_display=["kind", "case", "employer", "status", "start_on", "amount_chf",
                  "needs_approval"],
    list_filter=["kind", "status", "needs_approval"],
    edit_handler=ObjectList(
        [FieldPanel(name) for name in MEASURE_FIELDS],
        base_form_class=MeasureAdminForm,
    ),
)  # fmt: skip


class PlacementCreateView(ServiceCreateView):
    def create(self, data: dict):
        return placement_record(staff=self.request.user, **data)


class PlacementEditMixin(ServiceEditMixin):
    """The outcome closes the placement (`placement_close`); a new start moves the
    retention follow-ups and the advice window (`placement_update`). A trial
    placement closed after running too long is saved with a warning."""

    def update(self, instance, data: dict):
        placement = placement_update(
            placement=instance, staff=self.request.user, **data
        )
        warning = placement_duration_warning(placement)
        if warning:
            messages.warning(self.request, warning)
        return placement


class PlacementAdminForm(WagtailAdminModelForm):
    """A chosen job opportunity gives the employer and the kind, so both may stay
    empty then; without one, `placement_record` asks for the employer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("employer", "kind"):
            self.fields[name].required = False


PLACEMENT_FIELDS = ["case", "opportunity", "employer", "kind", "start_on", "end_on",
                    "outcome"]  # fmt: skip

PlacementViewSet = scoped_viewset(
    Placement,
    create_view=PlacementCreateView,
    edit_mixins=(PlacementEditMixin,),
    icon="user",
    menu_label=_("Placements"),
    menu_order=40,
    list_display=["case", "employer", "kind", "start_on", "end_on", "outcome",
                  "advice_until"],
    list_filter=["kind", "outcome"],
    edit_handler=ObjectList(
        [FieldPanel(name) for name in PLACEMENT_FIELDS],
        base_form_class=PlacementAdminForm,
    ),
)  # fmt: skip


# --- Partners ---------------------------------------------------------------------

PartnerViewSet = scoped_viewset(
    PartnerOrganisation,
    icon="site",
    menu_label=_("Partner organisations"),
    menu_order=50,
    list_display=["name", "kind", "municipality"],
    list_filter=["kind"],
    search_fields=["name", "municipality"],
    form_fields=["name", "kind", "municipality", "phone", "email", "website",
                 "notes"],
)  # fmt: skip


class PartnerContactCreateView(ServiceCreateView):
    def create(self, data: dict):
        instance = self.form.instance
        instance.full_clean()
        instance.save()
        partner_contact_changed()
        return instance


class PartnerContactEditMixin:
    def save_instance(self):
        instance = super().save_instance()
        partner_contact_changed()
        return instance


PartnerContactViewSet = scoped_viewset(
    PartnerContact,
    create_view=PartnerContactCreateView,
    edit_mixins=(PartnerContactEditMixin,),
    icon="user",
    menu_label=_("Partner contact persons"),
    menu_order=60,
    list_display=["last_name", "first_name", "partner", "is_iiz_contact", "public"],
    list_filter=["is_iiz_contact", "public"],
    search_fields=["last_name", "first_name"],
    form_fields=["partner", "first_name", "last_name", "function", "phone", "email",
                 "is_iiz_contact", "public"],
)  # fmt: skip

AgreementViewSet = scoped_viewset(
    Agreement,
    icon="doc-full",
    menu_label=_("Agreements"),
    menu_order=70,
    list_display=["title", "kind", "valid_from", "valid_until", "responsible"],
    list_filter=["kind"],
    search_fields=["title"],
    form_fields=["kind", "title", "employers", "partners", "scope", "interfaces",
                 "channels", "deadlines", "valid_from", "valid_until",
                 "renewal_notice_days", "responsible"],
)  # fmt: skip


class HandoverAdminForm(AhvFormMixin, WagtailAdminModelForm):
    ahv_number = ahv_number_field(
        _(
            "Optional, to recognise a person the same partner refers again without a "
            "case. Checked, then kept as a keyed hash: it is never shown again."
        )
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.ahv_hash:
            self.fields["ahv_number"].help_text = _(
                "An AHV number is on file (as a keyed hash). Enter one only to "
                "replace it."
            )


class HandoverCreateView(SensitiveAhvViewMixin, ServiceCreateView):
    def create(self, data: dict):
        handover, warning = handover_record(staff=self.request.user, **data)
        if warning:
            messages.warning(self.request, warning)
        return handover


class HandoverWarningEditMixin(SensitiveAhvViewMixin):
    @method_decorator(sensitive_variables("number"))
    def save_instance(self):
        instance = super().save_instance()
        number = self.form.cleaned_data.get("ahv_number")
        if number:
            handover_ahv_set(handover=instance, ahv_number=number)
        warning = handover_re_referral_warning(instance)
        if warning:
            messages.warning(self.request, warning)
        return instance


HANDOVER_FIELDS = [
    "partner",
    "case",
    "ahv_number",
    "situation",
    "direction",
    "referred_on",
    "office_coordinator",
    "partner_coordinator",
    "network_meeting_on",
    "joint_goal_agreement",
    "written_request",
    "partner_measures",
    "support_outcome",
    "support_ended_on",
]

HandoverViewSet = scoped_viewset(
    Handover,
    create_view=HandoverCreateView,
    edit_mixins=(HandoverWarningEditMixin,),
    icon="resubmit",
    menu_label=_("IIZ handovers"),
    menu_order=80,
    list_display=[
        "partner",
        "situation",
        "direction",
        "referred_on",
        "support_outcome",
    ],
    list_filter=["situation", "direction", "support_outcome"],
    edit_handler=ObjectList(
        [FieldPanel(name) for name in HANDOVER_FIELDS],
        base_form_class=HandoverAdminForm,
    ),
)


class ComplaintCreateView(ServiceCreateView):
    def create(self, data: dict):
        return complaint_record(staff=self.request.user, **data)


class ComplaintEditMixin(ServiceEditMixin):
    def update(self, instance, data: dict):
        return complaint_update(complaint=instance, staff=self.request.user, **data)


ComplaintViewSet = scoped_viewset(
    Complaint,
    create_view=ComplaintCreateView,
    edit_mixins=(ComplaintEditMixin,),
    icon="warning",
    menu_label=_("Complaints"),
    menu_order=90,
    list_display=["employer", "received_on", "channel", "employer_informed_on"],
    list_filter=["channel"],
    form_fields=["employer", "received_on", "channel", "subject", "measures_taken",
                 "employer_informed_on"],
)  # fmt: skip


class CasesGroup(SnippetViewSetGroup):
    menu_label = _("Cases and partners")
    menu_icon = "folder-open-inverse"
    menu_order = 120
    items = (
        CaseViewSet,
        EarlyDetectionReportViewSet,
        MeasureViewSet,
        PlacementViewSet,
        PartnerViewSet,
        PartnerContactViewSet,
        AgreementViewSet,
        HandoverViewSet,
        ComplaintViewSet,
    )


register_snippet(CasesGroup)


# --- Matching ---------------------------------------------------------------------


def case_matching(request: HttpRequest, pk: int) -> HttpResponse:
    """Open job opportunities that fit a case."""
    if not request.user.has_perm("crm.view_casereference"):
        raise PermissionDenied
    case = get_object_or_404(scoped_queryset(CaseReference, request.user), pk=pk)
    return TemplateResponse(
        request,
        "crm/matching.html",
        {"case": case, "opportunities": opportunities_for_case(case)},
    )


def opportunity_matching(request: HttpRequest, pk: int) -> HttpResponse:
    """Cases in placement phase that fit an open job opportunity."""
    if not request.user.has_perm("crm.view_casereference"):
        raise PermissionDenied
    opportunity = get_object_or_404(
        scoped_queryset(JobOpportunity, request.user).select_related("employer"),
        pk=pk,
    )
    return TemplateResponse(
        request,
        "crm/matching.html",
        {"opportunity": opportunity, "cases": cases_for_opportunity(opportunity)},
    )


def measure_approval(request: HttpRequest, pk: int) -> HttpResponse:
    """A team lead or the office head approves a measure decided on site above the
    decision limit: GET asks, POST approves."""
    if not request.user.has_perm(APPROVE_PERMISSION):
        raise PermissionDenied
    measure = get_object_or_404(
        scoped_queryset(Measure, request.user).select_related("case", "employer"),
        pk=pk,
    )
    edit_url = reverse("wagtailsnippets_crm_measure:edit", args=[measure.pk])
    if request.method == "POST":
        try:
            measure_approve(measure=measure, staff=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Approved: %(measure)s") % {"measure": measure})
        return redirect(edit_url)
    return TemplateResponse(
        request,
        "crm/measure_approval.html",
        {"measure": measure, "edit_url": edit_url},
    )


@hooks.register("register_admin_urls")
def register_matching_urls():
    return [
        path(
            "crm/measures/<int:pk>/approval/",
            measure_approval,
            name="crm_measure_approval",
        ),
        path("crm/cases/<int:pk>/matching/", case_matching, name="crm_case_matching"),
        path(
            "crm/opportunities/<int:pk>/matching/",
            opportunity_matching,
            name="crm_opportunity_matching",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def matching_buttons(snippet, user, next_url=None):
    if not user.has_perm("crm.view_casereference"):
        return []
    if isinstance(snippet, Measure):
        if not (snippet.awaiting_approval and user.has_perm(APPROVE_PERMISSION)):
            return []
        url = reverse("crm_measure_approval", args=[snippet.pk])
        return [ListingButton(_("Approve"), url, icon_name="tick", priority=20)]
    if isinstance(snippet, CaseReference):
        url = reverse("crm_case_matching", args=[snippet.pk])
    elif isinstance(snippet, JobOpportunity):
        url = reverse("crm_opportunity_matching", args=[snippet.pk])
    else:
        return []
    return [ListingButton(_("Matching"), url, icon_name="link", priority=20)]
