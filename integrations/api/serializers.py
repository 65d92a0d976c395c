"""What the API reads and writes. Writes end in the CRM's services (views call
them), so the API validates exactly as the admin does."""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from crm.models import (
    CaseReference,
    Contact,
    ContactPerson,
    Employer,
    EmployerRole,
    JobOpportunity,
    Placement,
)
from crm.models.choices import Language
from crm.validators import validate_uid

from .permissions import request_office_id

User = get_user_model()


def uid_from_query(value: str) -> str | None:
    """`CHE-123.456.789`, `CHE123456789`, `123456789`, `123.456.789` → canonical."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) != 9:
        return None
    return f"CHE-{digits[:3]}.{digits[3:6]}.{digits[6:]}"


@extend_schema_field({"type": "string", "nullable": True, "example": "CHE-123.456.789"})
class UidField(serializers.CharField):
    """Accepts the UID with or without CHE, dots and dash; always gives it back as
    `CHE-123.456.789`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.validators.append(validate_uid)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        return uid_from_query(value) or value

    def run_validation(self, data=serializers.empty):
        if data == "":
            return None
        return super().run_validation(data)


@extend_schema_field({"type": "string", "example": "+41 31 123 45 67"})
class PhoneField(PhoneNumberField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return str(value) if value else ""


@extend_schema_field({"type": "string", "example": "info@example.ch"})
class OptionalEmailField(serializers.EmailField):
    """An e-mail address or "" (the schema's `format: email` would refuse "")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)


@extend_schema_field({"type": "string", "example": "https://www.example.ch"})
class OptionalUrlField(serializers.URLField):
    """A URL or ""."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)


class PlausibleDateField(serializers.DateField):
    """A date between 1900 and 2999: services add months and years to it."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not date(1900, 1, 1) <= day <= date(2999, 12, 31):
            raise serializers.ValidationError(_("Give a date between 1900 and 2999."))
        return day


class OfficeScopedMixin:
    """A relation field whose choices are the calling office's records only."""

    def __init__(self, *, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        office_id = request_office_id(request) if request is not None else None
        if office_id is None:
            return self.queryset.none()
        return self.scope(self.queryset.all(), office_id)


class ScopedPrimaryKeyField(OfficeScopedMixin, serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": _("No record with id {pk_value} in your office."),
    }


class ScopedSlugField(OfficeScopedMixin, serializers.SlugRelatedField):
    default_error_messages = {
        "does_not_exist": _("No record with {slug_name} '{value}' in your office."),
    }

    def to_internal_value(self, data):
        # A NUL character cannot be in any stored value, and PostgreSQL refuses it
        # in a query parameter (a 500 found by schemathesis): answer "not found".
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data[:50])
        return super().to_internal_value(data)


def in_scope(queryset, office_id):
    return queryset.for_office(office_id)


def led_by(queryset, office_id):
    return queryset.filter(office_id=office_id)


def staff_of(queryset, office_id):
    return queryset.filter(staff_profile__office_id=office_id, is_active=True)


def employer_field(scope=in_scope, **kwargs) -> ScopedPrimaryKeyField:
    kwargs.setdefault("help_text", _("The employer's id."))
    return ScopedPrimaryKeyField(queryset=Employer.objects.all(), scope=scope, **kwargs)


def staff_field(**kwargs) -> ScopedSlugField:
    return ScopedSlugField(
        queryset=User.objects.all(),
        scope=staff_of,
        slug_field="username",
        help_text=_(
            "Username of the staff member of your office. Required with a token; "
            "signed-in staff act as themselves."
        ),
        **kwargs,
    )


def case_field(**kwargs) -> ScopedSlugField:
    return ScopedSlugField(
        queryset=CaseReference.objects.all(),
        scope=led_by,
        slug_field="case_number",
        help_text=_("The case number in your case-management system."),
        **kwargs,
    )


# --- Employers ------------------------------------------------------------------------


class EmployerSerializer(serializers.ModelSerializer):
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    uid = UidField(
        validators=[
            UniqueValidator(
                queryset=Employer.objects.all(),
                message=_("An employer with this UID is already recorded."),
            )
        ],
        help_text=_("Swiss enterprise number; CHE-123.456.789 or its nine digits."),
    )
    phone = PhoneField()
    email = OptionalEmailField()
    website = OptionalUrlField()
    fixed_contact = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    cooperation_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Why the cooperation type or intensity changes (then required)."),
    )

    class Meta:
        model = Employer
        fields = [
            "id",
            "office",
            "uid",
            "legal_name",
            "other_names",
            "legal_form",
            "register_status",
            "street",
            "postcode",
            "municipality",
            "canton",
            "phone",
            "email",
            "website",
            "noga_code",
            "sector_group",
            "fte",
            "size_class",
            "language_region",
            "multi_canton",
            "company_language",
            "has_health_management",
            "has_case_management",
            "has_job_coaching",
            "daily_sickness_insurer",
            "pension_fund",
            "can_offer_adapted_work",
            "occupations",
            "relationship_status",
            "cooperation_type",
            "intensity",
            "cooperation_reason",
            "fixed_contact",
            "last_contact_on",
            "last_case_independent_contact_on",
            "contact_due_on",
            "contact_overdue_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "last_contact_on",
            "last_case_independent_contact_on",
            "contact_due_on",
            "contact_overdue_on",
            "created_at",
            "updated_at",
        ]


# --- Contact persons ------------------------------------------------------------------


class EmployerRoleSerializer(serializers.ModelSerializer):
    employer = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = EmployerRole
        fields = ["employer", "function", "is_fixed_contact"]


class ContactPersonSerializer(serializers.ModelSerializer):
    email = OptionalEmailField(read_only=True)
    phone = PhoneField(read_only=True)
    mobile = PhoneField(read_only=True)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), read_only=True
    )
    roles = EmployerRoleSerializer(
        source="roles_in_scope",
        many=True,
        read_only=True,
        help_text=_("Roles at employers your office sees."),
    )

    class Meta:
        model = ContactPerson
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "mobile",
            "languages",
            "is_active",
            "roles",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# --- Contacts -------------------------------------------------------------------------


class ContactSerializer(serializers.ModelSerializer):
    employer = employer_field()
    staff = staff_field(required=False)
    case = case_field(required=False, allow_null=True)
    case_related = serializers.BooleanField(
        default=True, help_text=_("Defaults to true: the API logs case work.")
    )
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=Contact.Topic.choices),
        required=False,
        max_length=len(Contact.Topic.choices),
    )
    participants = ScopedPrimaryKeyField(
        queryset=ContactPerson.objects.all(),
        scope=in_scope,
        many=True,
        required=False,
        help_text=_("Ids of contact persons of the employer who took part."),
    )
    follow_up_on = serializers.DateField(
        write_only=True,
        required=False,
        allow_null=True,
        help_text=_("The next appointment: creates a follow-up for the staff member."),
    )
    follow_up_note = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=2000
    )

    class Meta:
        model = Contact
        fields = [
            "id",
            "employer",
            "occurred_on",
            "staff",
            "channel",
            "case_related",
            "case",
            "initiated_by",
            "starting_point",
            "topics",
            "participants",
            "outcome",
            "notes",
            "follow_up_on",
            "follow_up_note",
            "created_at",
        ]
        read_only_fields = ["created_at"]


# --- Job opportunities ----------------------------------------------------------------


class JobOpportunitySerializer(serializers.ModelSerializer):
    employer = employer_field(
        scope=led_by, help_text=_("The id of an employer your office leads.")
    )
    workload_percent = serializers.IntegerField(
        required=False, allow_null=True, min_value=5, max_value=100
    )

    class Meta:
        model = JobOpportunity
        fields = [
            "id",
            "employer",
            "kind",
            "title",
            "description",
            "occupation",
            "region",
            "physical_load",
            "psychological_load",
            "workload_percent",
            "location",
            "start_on",
            "adapted_work_possible",
            "status",
            "source",
            "reported_on",
            "created_at",
        ]
        # Occupation, region and load profile stay writable: matching compares them.
        read_only_fields = [
            "status",
            "source",
            "reported_on",
            "created_at",
        ]


# --- Placements -----------------------------------------------------------------------


class PlacementSerializer(serializers.ModelSerializer):
    case = case_field()
    staff = staff_field(required=False)
    employer = employer_field(
        required=False,
        help_text=_("The employer's id; taken from the job opportunity when given."),
    )
    opportunity = ScopedPrimaryKeyField(
        queryset=JobOpportunity.objects.all(),
        scope=led_by,
        required=False,
        allow_null=True,
    )
    kind = serializers.ChoiceField(
        choices=JobOpportunity.Kind.choices, required=False, allow_blank=True
    )
    start_on = PlausibleDateField()
    end_on = PlausibleDateField(required=False, allow_null=True)

    class Meta:
        model = Placement
        fields = [
            "id",
            "case",
            "employer",
            "opportunity",
            "kind",
            "start_on",
            "end_on",
            "outcome",
            "advice_until",
            "staff",
            "created_at",
        ]
        read_only_fields = ["outcome", "advice_until", "created_at"]
