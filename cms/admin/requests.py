"""The staff queue of employer requests (pending first, the most urgent on top) and
the list of job opportunities, both scoped to the staff member's office."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from crm.admin.scoping import OfficeScopedViewMixin, scoped_view_classes
from crm.models import JobOpportunity, Request
from crm.services.requests import request_answer

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


class RequestAnswerView(OfficeScopedViewMixin, snippet_views.EditView):
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
        "status",
        DueColumn("due_on", label=_("answer due on")),
        "received_at",
    ]
    list_filter = ["status", "kind", "subject"]
    search_fields = ["employer__legal_name", "message"]
    copy_view_enabled = False
    index_view_class = RequestIndexView
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


class OpportunityIndexView(_SCOPED_OPPORTUNITY["index_view_class"]):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("employer")


class JobOpportunityViewSet(SnippetViewSet):
    model = JobOpportunity
    icon = "suitcase"
    menu_label = _("Job opportunities")
    menu_order = 20
    list_display = ["title", "employer", "kind", "status", "source", "reported_on"]
    list_filter = ["kind", "status", "source"]
    search_fields = ["title", "employer__legal_name", "location"]
    list_export = [
        "title",
        "employer",
        "kind",
        "status",
        "workload_percent",
        "location",
    ]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("employer", read_only=True),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
            FieldPanel("title"),
            FieldPanel("description"),
            FieldRowPanel(
                [
                    FieldPanel("workload_percent"),
                    FieldPanel("location"),
                    FieldPanel("start_on"),
                ]
            ),
            FieldPanel("adapted_work_possible"),
        ]
    )
    index_view_class = OpportunityIndexView
    edit_view_class = _SCOPED_OPPORTUNITY["edit_view_class"]
    delete_view_class = _SCOPED_OPPORTUNITY["delete_view_class"]
    history_view_class = _SCOPED_OPPORTUNITY["history_view_class"]
    usage_view_class = _SCOPED_OPPORTUNITY["usage_view_class"]
    inspect_view_class = _SCOPED_OPPORTUNITY["inspect_view_class"]
