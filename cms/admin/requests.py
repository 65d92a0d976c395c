"""The staff queue of employer requests (pending first, the most urgent on top) and
the list of job opportunities, both scoped to the staff member's office.

Staff also enter requests that came by phone, e-mail or the hotline
(`request_record`, the same reaction-time clock as the portal's) and record job
opportunities themselves (`opportunity_report`, source "staff"). In both add forms
the employer is chosen among the office's employers only (the chooser modal is
scoped in crm/admin/scoping.py; the form field is scoped here, so a forged id is
"not one of the available choices"); the office is the staff member's, never chosen.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import log
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from crm.admin.scoping import OfficeScopedViewMixin, scoped_view_classes
from crm.models import EmployerRole, JobOpportunity, Office, Request
from crm.querysets import user_office_id
from crm.services.opportunities import opportunity_report
from crm.services.requests import request_answer, request_record

from ..portal.services import request_answered_mail

_SCOPED_REQUEST = scoped_view_classes()
_SCOPED_OPPORTUNITY = scoped_view_classes(export_permission="crm.export_employer")


class DueColumn(Column):
    """The due date, flagged when a pending request is overdue."""

    cell_template_name = "cms/admin/due_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["overdue"] = instance.is_pending and (
            timezone.localdate() > instance.due_on
        )
        context["due_on"] = instance.due_on
        return context


class RequestIndexView(_SCOPED_REQUEST["index_view_class"]):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("employer", "person")

    def order_queryset(self, queryset):
        if self.request.GET.get("ordering"):
            return super().order_queryset(queryset)
        return queryset.queue_order()


class ForbiddenMixin:
    """A role without the permission gets a 403 page that says so (Wagtail would
    redirect to the dashboard with a message)."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return TemplateResponse(request, "cms/admin/forbidden.html", status=403)


class RequestAnswerView(ForbiddenMixin, OfficeScopedViewMixin, snippet_views.EditView):
    """Answering is editing status, answer and note, through `request_answer`."""

    # The default name is the model's, "request", which would hide the HTTP request
    # from the admin templates.
    context_object_name = "employer_request"

    def save_instance(self):
        instance = self.form.instance
        data = self.form.cleaned_data
        first_answer = instance.answered_at is None and bool(data["answer"].strip())
        request = request_answer(
            request=Request.objects.get(pk=instance.pk),
            staff=self.request.user,
            answer=data["answer"],
            status=data["status"],
            internal_note=data["internal_note"],
        )
        if first_answer:
            request_answered_mail(request)
        return request

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)


class ScopedChoicesMixin:
    """Foreign-key choices of the form only within the user's office scope."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        for field in form.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset.visible_to(self.request.user)
        return form


class ServiceCreateView(ForbiddenMixin, ScopedChoicesMixin, snippet_views.CreateView):
    """A create view whose form is saved by a service: `create(data)` returns the
    saved object; a ValidationError from the service goes back onto the form."""

    def create(self, data: dict):
        raise NotImplementedError

    def save_instance(self):
        instance = self.create(self.form.cleaned_data)
        log(instance=instance, action="wagtail.create", content_changed=True)
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


#: The channels by which staff take a request; portal requests come in by themselves.
STAFF_CHANNELS = [
    (value, label)
    for value, label in Request.Channel.choices
    if value != Request.Channel.PORTAL
]


class RequestRecordForm(WagtailAdminModelForm):
    """A request taken by phone, e-mail or at the hotline."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "channel" in self.fields:
            self.fields["channel"].choices = STAFF_CHANNELS
            self.fields["channel"].initial = Request.Channel.PHONE
        if "received_at" in self.fields:
            self.fields["received_at"].initial = timezone.now
            self.fields["received_at"].show_hidden_initial = False
        if "person" in self.fields:
            self.fields["person"].help_text = _(
                "Optional: the employer's contact person who asked."
            )

    def clean(self):
        cleaned = super().clean()
        employer, person = cleaned.get("employer"), cleaned.get("person")
        if (
            employer is not None
            and person is not None
            and not EmployerRole.objects.filter(
                employer=employer, person=person
            ).exists()
        ):
            self.add_error("person", _("This person does not work for the employer."))
        received_at = cleaned.get("received_at")
        if received_at and received_at > timezone.now():
            self.add_error(
                "received_at", _("The receipt time cannot be in the future.")
            )
        if (
            cleaned.get("kind") == Request.Kind.CALLBACK
            and not (cleaned.get("callback_phone") or "").strip()
        ):
            self.add_error(
                "callback_phone", _("Give the number to call back for a call-back.")
            )
        return cleaned


class RequestRecordView(ServiceCreateView):
    """Staff enter a phone, e-mail or hotline request; its clock starts in
    `request_record` (working days without the canton's public holidays)."""

    page_title = _("New request by phone, e-mail or hotline")

    def create(self, data: dict):
        return request_record(
            staff=self.request.user,
            employer=data["employer"],
            person=data.get("person"),
            channel=data["channel"],
            kind=data["kind"],
            subject=data["subject"],
            message=data["message"],
            callback_phone=data.get("callback_phone", ""),
            callback_time=data.get("callback_time", ""),
            received_at=data.get("received_at"),
        )


REQUEST_RECORD_PANEL = ObjectList(
    [
        FieldRowPanel([FieldPanel("channel"), FieldPanel("received_at")]),
        FieldPanel("employer"),
        FieldPanel("person"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("subject")]),
        FieldPanel("message"),
        FieldRowPanel([FieldPanel("callback_phone"), FieldPanel("callback_time")]),
    ],
    base_form_class=RequestRecordForm,
)


class RequestDeleteView(_SCOPED_REQUEST["delete_view_class"]):
    context_object_name = "employer_request"  # not "request": see RequestAnswerView


class RequestViewSet(SnippetViewSet):
    model = Request
    icon = "help"
    menu_label = _("Employer requests")
    menu_order = 10
    list_display = [
        "employer",
        "kind",
        "subject",
        "channel",
        "status",
        DueColumn("due_on", label=_("answer due on")),
        "received_at",
    ]
    list_filter = ["status", "kind", "subject", "channel"]
    search_fields = ["employer__legal_name", "message"]
    copy_view_enabled = False
    index_view_class = RequestIndexView
    add_view_class = RequestRecordView
    edit_view_class = RequestAnswerView
    delete_view_class = RequestDeleteView
    history_view_class = _SCOPED_REQUEST["history_view_class"]
    usage_view_class = _SCOPED_REQUEST["usage_view_class"]
    inspect_view_class = _SCOPED_REQUEST["inspect_view_class"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("employer", read_only=True),
                            FieldPanel("person", read_only=True),
                        ]
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("kind", read_only=True),
                            FieldPanel("subject", read_only=True),
                        ]
                    ),
                    FieldPanel("message", read_only=True),
                    FieldRowPanel(
                        [
                            FieldPanel("callback_phone", read_only=True),
                            FieldPanel("callback_time", read_only=True),
                        ]
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("channel", read_only=True),
                            FieldPanel("received_at", read_only=True),
                            FieldPanel("due_on", read_only=True),
                        ]
                    ),
                    FieldPanel("attachment", read_only=True),
                ],
                heading=_("Request"),
            ),
            FieldPanel("status"),
            FieldPanel("answer"),
            FieldPanel("internal_note"),
        ]
    )

    def get_add_view_kwargs(self, **kwargs):
        # The add form is not the answer form: it takes the request itself.
        panel = REQUEST_RECORD_PANEL.bind_to_model(self.model)
        return super().get_add_view_kwargs(
            panel=panel, form_class=panel.get_form_class(), **kwargs
        )


class OpportunityIndexView(_SCOPED_OPPORTUNITY["index_view_class"]):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("employer")


class OpportunityRecordView(ServiceCreateView):
    """Staff record a place an employer told them about (source "staff"), for
    their own office."""

    page_title = _("New job opportunity")

    def create(self, data: dict):
        office_id = user_office_id(self.request.user)
        return opportunity_report(
            employer=data["employer"],
            person=None,
            kind=data["kind"],
            title=data["title"],
            description=data.get("description", ""),
            occupation=data.get("occupation", ""),
            physical_load=data.get("physical_load"),
            psychological_load=data.get("psychological_load"),
            region=data.get("region", ""),
            workload_percent=data.get("workload_percent"),
            location=data.get("location", ""),
            start_on=data.get("start_on"),
            adapted_work_possible=data.get("adapted_work_possible", False),
            source=JobOpportunity.Source.STAFF,
            office=Office.objects.get(pk=office_id) if office_id else None,
        )


class OpportunityEditView(
    ForbiddenMixin, ScopedChoicesMixin, _SCOPED_OPPORTUNITY["edit_view_class"]
):
    pass


def _opportunity_panels(employer: FieldPanel, kind_row: list) -> list:
    """What staff record about a place: the same in the add and the edit form."""
    return [
        employer,
        FieldRowPanel(kind_row),
        FieldRowPanel([FieldPanel("title"), FieldPanel("occupation")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("physical_load"), FieldPanel("psychological_load")]
                ),
                FieldPanel("adapted_work_possible"),
            ],
            heading=_("Load profile"),
        ),
        FieldRowPanel(
            [
                FieldPanel("workload_percent"),
                FieldPanel("region"),
                FieldPanel("location"),
                FieldPanel("start_on"),
            ]
        ),
    ]


OPPORTUNITY_RECORD_PANEL = ObjectList(
    _opportunity_panels(FieldPanel("employer"), [FieldPanel("kind")])
)


class JobOpportunityViewSet(SnippetViewSet):
    model = JobOpportunity
    icon = "suitcase"
    menu_label = _("Job opportunities")
    menu_order = 20
    list_display = [
        "title",
        "employer",
        "kind",
        "region",
        "status",
        "source",
        "reported_on",
    ]
    list_filter = ["kind", "status", "source"]
    search_fields = ["title", "occupation", "employer__legal_name", "location"]
    list_export = [
        "title",
        "employer",
        "kind",
        "occupation",
        "status",
        "source",
        "physical_load",
        "psychological_load",
        "workload_percent",
        "region",
        "location",
        "start_on",
    ]
    copy_view_enabled = False
    edit_handler = ObjectList(
        _opportunity_panels(
            FieldPanel("employer", read_only=True),
            [FieldPanel("kind"), FieldPanel("status")],
        )
    )
    index_view_class = OpportunityIndexView
    add_view_class = OpportunityRecordView
    edit_view_class = OpportunityEditView
    delete_view_class = _SCOPED_OPPORTUNITY["delete_view_class"]
    history_view_class = _SCOPED_OPPORTUNITY["history_view_class"]
    usage_view_class = _SCOPED_OPPORTUNITY["usage_view_class"]
    inspect_view_class = _SCOPED_OPPORTUNITY["inspect_view_class"]

    def get_add_view_kwargs(self, **kwargs):
        # The employer is chosen when adding; afterwards it stays.
        panel = OPPORTUNITY_RECORD_PANEL.bind_to_model(self.model)
        return super().get_add_view_kwargs(
            panel=panel, form_class=panel.get_form_class(), **kwargs
        )
