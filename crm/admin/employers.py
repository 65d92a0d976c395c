"""Staff UI for offices, staff, employers, contact persons and their roles."""

import re

import django_filters
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.log_actions import log
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from ..forms import (
    ContactPersonForm,
    EmployerForm,
    EmployerRoleForm,
    ReassignFixedContactForm,
    office_staff,
)
from ..models import (
    Canton,
    ContactPerson,
    CooperationType,
    Employer,
    EmployerRole,
    Intensity,
    Office,
    PersonFunction,
    RelationshipStatus,
    SectorGroup,
    SizeClass,
    StaffProfile,
    Team,
)
from ..querysets import user_office_id
from ..services.employers import employer_reassign_fixed_contact, employer_save
from ..services.staff import staff_profile_save
from .scoping import (
    OfficeScopedBulkActionMixin,
    OfficeScopedViewMixin,
    ScopedDeleteBulkAction,
    scoped_view_classes,
)

# --- Employers -----------------------------------------------------------------------


def _office_staff_for_request(request):
    if request is None:
        return office_staff(None)
    return office_staff(
        None if request.user.is_superuser else user_office_id(request.user)
    )


class EmployerFilterSet(WagtailFilterSet):
    canton = django_filters.MultipleChoiceFilter(
        label=_("canton"), choices=Canton.choices
    )
    size_class = django_filters.MultipleChoiceFilter(
        label=_("size class"), choices=SizeClass.choices
    )
    sector_group = django_filters.MultipleChoiceFilter(
        label=_("sector group"), choices=SectorGroup.choices
    )
    cooperation_type = django_filters.MultipleChoiceFilter(
        label=_("cooperation type"), choices=CooperationType.choices
    )
    intensity = django_filters.MultipleChoiceFilter(
        label=_("intensity"), choices=Intensity.choices
    )
    relationship_status = django_filters.MultipleChoiceFilter(
        label=_("relationship status"), choices=RelationshipStatus.choices
    )
    fixed_contact = django_filters.ModelChoiceFilter(
        label=_("fixed contact person at the IV"),
        queryset=_office_staff_for_request,
    )
    has_fixed_contact = django_filters.BooleanFilter(
        label=_("has a fixed contact person"),
        field_name="fixed_contact",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = Employer
        fields = []


_SCOPED_EMPLOYER = scoped_view_classes(export_permission="crm.export_employer")
_UID_DIGITS = re.compile(r"\D")


class EmployerIndexView(_SCOPED_EMPLOYER["index_view_class"]):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("fixed_contact")

    def search_queryset(self, queryset):
        """Also finds `123456789` or `CHE123456789` in a stored CHE-123.456.789."""
        if not self.is_searching:
            return queryset
        found = super().search_queryset(queryset)
        digits = _UID_DIGITS.sub("", self.search_query)
        if len(digits) >= 3:
            dotted = ".".join(digits[i : i + 3] for i in range(0, len(digits), 3))
            found = found | queryset.filter(uid__contains=dotted)
        return found


class EmployerSaveMixin:
    """Saves through the service, so the admin and the API cannot drift apart."""

    def save_instance(self):
        instance = self.form.save(commit=False)
        employer_save(
            employer=instance,
            by=self.request.user,
            cooperation_reason=self.form.cleaned_data.get("cooperation_reason", ""),
        )
        self.form.save_m2m()
        log(
            instance=instance,
            action="wagtail.edit" if self.form.initial else "wagtail.create",
            content_changed=True,
        )
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            self.produced_error_message = _(
                "The employer could not be saved. See the errors below."
            )
            return self.form_invalid(form)


class EmployerCreateView(EmployerSaveMixin, snippet_views.CreateView):
    pass


class EmployerEditView(EmployerSaveMixin, _SCOPED_EMPLOYER["edit_view_class"]):
    # --- UID register (issue 8): "Look up in the UID register" in the header menu.
    @cached_property
    def header_more_buttons(self):
        from integrations.uid_register.views import employer_header_buttons

        return super().header_more_buttons + employer_header_buttons(
            self.object, self.request.user
        )


class ReassignFixedContactBulkAction(OfficeScopedBulkActionMixin, SnippetBulkAction):
    """Selected employers get a new fixed contact, e.g. when a staff member leaves."""

    display_name = _("Reassign fixed contact")
    action_type = "reassign_fixed_contact"
    aria_label = _("Reassign the fixed contact of the selected employers")
    template_name = "crm/bulk_actions/reassign_fixed_contact.html"
    action_priority = 20
    form_class = ReassignFixedContactForm
    models = [Employer]

    def check_perm(self, obj):
        return self.request.user.has_perm("crm.change_employer")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs["office_id"] = None if user.is_superuser else user_office_id(user)
        return kwargs

    def get_execution_context(self):
        return {
            "new_contact": self.cleaned_form.cleaned_data["new_contact"],
            "new_deputy": self.cleaned_form.cleaned_data.get("new_deputy"),
        }

    @classmethod
    def execute_action(cls, objects, new_contact=None, new_deputy=None, **kwargs):
        return employer_reassign_fixed_contact(
            employers=objects, new_contact=new_contact, new_deputy=new_deputy
        ), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d employer has a new fixed contact person.",
            "%(count)d employers have a new fixed contact person.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class EmployerViewSet(SnippetViewSet):
    model = Employer
    icon = "group"
    menu_label = _("Employers")
    menu_order = 100
    list_display = [
        "legal_name",
        "uid",
        "municipality",
        "canton",
        "size_class",
        "cooperation_type",
        "relationship_status",
        "fixed_contact",
    ]
    filterset_class = EmployerFilterSet
    search_fields = ["legal_name", "other_names", "uid", "municipality", "email"]
    list_export = [
        "legal_name",
        "uid",
        "legal_form",
        "street",
        "postcode",
        "municipality",
        "canton",
        "phone",
        "email",
        "noga_code",
        "sector_group",
        "fte",
        "size_class",
        "language_region",
        "relationship_status",
        "cooperation_type",
        "intensity",
        "fixed_contact",
    ]
    export_filename = "employers"
    list_per_page = 50
    ordering = ["legal_name"]
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = EmployerIndexView
    add_view_class = EmployerCreateView
    edit_view_class = EmployerEditView
    delete_view_class = _SCOPED_EMPLOYER["delete_view_class"]
    history_view_class = _SCOPED_EMPLOYER["history_view_class"]
    usage_view_class = _SCOPED_EMPLOYER["usage_view_class"]
    inspect_view_class = _SCOPED_EMPLOYER["inspect_view_class"]

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldPanel("legal_name"),
                            FieldPanel("other_names"),
                            FieldRowPanel(
                                [FieldPanel("uid"), FieldPanel("legal_form")]
                            ),
                            FieldPanel("register_status"),
                        ],
                        heading=_("Identity"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("street"),
                            FieldRowPanel(
                                [
                                    FieldPanel("postcode"),
                                    FieldPanel("municipality"),
                                    FieldPanel("canton"),
                                ]
                            ),
                            FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                            FieldPanel("website"),
                        ],
                        heading=_("Address"),
                    ),
                ],
                heading=_("Company"),
            ),
            ObjectList(
                [
                    FieldPanel("office"),
                    FieldPanel("relationship_status"),
                    FieldRowPanel(
                        [FieldPanel("fixed_contact"), FieldPanel("deputy_contact")]
                    ),
                    FieldRowPanel(
                        [FieldPanel("cooperation_type"), FieldPanel("intensity")]
                    ),
                    FieldPanel("cooperation_reason"),
                    FieldPanel("shared_with"),
                    FieldPanel("parent"),
                ],
                heading=_("Relationship"),
            ),
            ObjectList(
                [
                    FieldRowPanel(
                        [FieldPanel("noga_code"), FieldPanel("sector_group")]
                    ),
                    FieldRowPanel([FieldPanel("fte"), FieldPanel("size_class")]),
                    FieldRowPanel(
                        [
                            FieldPanel("language_region"),
                            FieldPanel("company_language"),
                            FieldPanel("multi_canton"),
                        ]
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("has_health_management"),
                            FieldPanel("has_case_management"),
                            FieldPanel("has_job_coaching"),
                        ]
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("daily_sickness_insurer"),
                            FieldPanel("daily_sickness_insurer_partner"),
                        ]
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("pension_fund"),
                            FieldPanel("pension_fund_partner"),
                        ]
                    ),
                    FieldPanel("can_offer_adapted_work"),
                    FieldPanel("occupations"),
                ],
                heading=_("Profile"),
            ),
        ],
        base_form_class=EmployerForm,
    )


# --- Contact persons and roles -------------------------------------------------------


class ContactPersonFilterSet(WagtailFilterSet):
    function = django_filters.MultipleChoiceFilter(
        label=_("function"),
        field_name="roles__function",
        choices=PersonFunction.choices,
        distinct=True,
    )
    is_fixed_contact = django_filters.BooleanFilter(
        label=_("fixed contact for the IV"),
        field_name="roles__is_fixed_contact",
        distinct=True,
    )

    class Meta:
        model = ContactPerson
        fields = ["is_active"]


_SCOPED_PERSON = scoped_view_classes(export_permission="crm.export_employer")


class ContactPersonViewSet(SnippetViewSet):
    model = ContactPerson
    icon = "user"
    menu_label = _("Contact persons")
    menu_order = 110
    list_display = ["full_name", "email", "phone", "is_active"]
    filterset_class = ContactPersonFilterSet
    search_fields = ["first_name", "last_name", "email"]
    list_export = ["first_name", "last_name", "email", "phone", "mobile", "languages"]
    export_filename = "contact-persons"
    list_per_page = 50
    inspect_view_enabled = True
    copy_view_enabled = False
    add_view_class = snippet_views.CreateView
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
            FieldRowPanel(
                [FieldPanel("email"), FieldPanel("phone"), FieldPanel("mobile")]
            ),
            FieldPanel("languages"),
            FieldPanel("is_active"),
            FieldPanel("office"),
        ],
        base_form_class=ContactPersonForm,
    )
    index_view_class = _SCOPED_PERSON["index_view_class"]
    edit_view_class = _SCOPED_PERSON["edit_view_class"]
    delete_view_class = _SCOPED_PERSON["delete_view_class"]
    history_view_class = _SCOPED_PERSON["history_view_class"]
    usage_view_class = _SCOPED_PERSON["usage_view_class"]
    inspect_view_class = _SCOPED_PERSON["inspect_view_class"]


class EmployerRoleScopedMixin(OfficeScopedViewMixin):
    def get_base_queryset(self):
        visible = Employer.objects.visible_to(self.request.user)
        return EmployerRole.objects.filter(employer__in=visible).select_related(
            "employer", "person"
        )

    def get_object(self, *args, **kwargs):
        obj = super(OfficeScopedViewMixin, self).get_object(*args, **kwargs)
        if not self.get_base_queryset().filter(pk=obj.pk).exists():
            from django.http import Http404

            raise Http404
        return obj


class EmployerRoleViewSet(SnippetViewSet):
    model = EmployerRole
    icon = "link"
    menu_label = _("Roles at employers")
    menu_order = 120
    list_display = ["person", "employer", "function", "is_fixed_contact"]
    list_filter = ["function", "is_fixed_contact"]
    search_fields = ["person__last_name", "person__email", "employer__legal_name"]
    copy_view_enabled = False
    index_view_class = type(
        "RoleIndexView", (EmployerRoleScopedMixin, snippet_views.IndexView), {}
    )
    edit_view_class = type(
        "RoleEditView", (EmployerRoleScopedMixin, snippet_views.EditView), {}
    )
    delete_view_class = type(
        "RoleDeleteView", (EmployerRoleScopedMixin, snippet_views.DeleteView), {}
    )
    history_view_class = type(
        "RoleHistoryView", (EmployerRoleScopedMixin, snippet_views.HistoryView), {}
    )
    usage_view_class = type(
        "RoleUsageView", (EmployerRoleScopedMixin, snippet_views.UsageView), {}
    )
    edit_handler = ObjectList(
        [
            FieldPanel("employer"),
            FieldPanel("person"),
            FieldRowPanel([FieldPanel("function"), FieldPanel("is_fixed_contact")]),
        ],
        base_form_class=EmployerRoleForm,
    )


class CRMGroup(SnippetViewSetGroup):
    menu_label = _("CRM")
    menu_icon = "group"
    menu_order = 100
    items = (EmployerViewSet, ContactPersonViewSet, EmployerRoleViewSet)


# --- Offices and staff (system administrators) ---------------------------------------


class StaffProfileSaveMixin:
    def save_instance(self):
        instance = self.form.save(commit=False)
        staff_profile_save(profile=instance)
        return instance


class OfficeViewSet(SnippetViewSet):
    model = Office
    icon = "home"
    menu_label = _("Offices")
    list_display = ["code", "name", "canton", "reaction_time_target_days"]
    copy_view_enabled = False


class TeamViewSet(SnippetViewSet):
    model = Team
    icon = "group"
    menu_label = _("Teams")
    list_display = ["name", "office"]
    list_filter = ["office"]
    copy_view_enabled = False


class StaffProfileViewSet(SnippetViewSet):
    model = StaffProfile
    icon = "user"
    menu_label = _("Staff")
    list_display = ["user", "office", "team", "role"]
    list_filter = ["office", "role"]
    search_fields = ["user__last_name", "user__username", "user__email"]
    copy_view_enabled = False
    add_view_class = type(
        "StaffCreateView", (StaffProfileSaveMixin, snippet_views.CreateView), {}
    )
    edit_view_class = type(
        "StaffEditView", (StaffProfileSaveMixin, snippet_views.EditView), {}
    )


class OfficeGroup(SnippetViewSetGroup):
    menu_label = _("Offices")
    menu_icon = "home"
    menu_order = 900
    items = (OfficeViewSet, TeamViewSet, StaffProfileViewSet)


register_snippet(CRMGroup)
register_snippet(OfficeGroup)


hooks.register("register_bulk_action", ReassignFixedContactBulkAction)


# Registered after the snippets app's own bulk delete, so it replaces it for these
# models: the stock one would load (and name) objects from other offices.
class CRMDeleteBulkAction(ScopedDeleteBulkAction):
    models = [Employer, ContactPerson]


hooks.register("register_bulk_action", CRMDeleteBulkAction, order=100)
