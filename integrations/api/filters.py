"""List filters (query parameters) of the API, documented in the OpenAPI schema."""

from __future__ import annotations

from datetime import UTC, datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import Contact, ContactPerson, Employer, JobOpportunity, Placement
from crm.models.choices import Canton

from .permissions import request_office_id
from .serializers import uid_from_query


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class EmployerFilter(django_filters.FilterSet):
    uid = django_filters.CharFilter(
        method="filter_uid",
        max_length=30,
        help_text=_("CHE-123.456.789, or the nine digits in any form."),
    )
    name = django_filters.CharFilter(
        field_name="legal_name",
        lookup_expr="icontains",
        max_length=200,
        help_text=_("Part of the legal name, any case."),
    )
    canton = django_filters.ChoiceFilter(choices=Canton.choices)
    updated_since = django_filters.IsoDateTimeFilter(
        method="filter_updated_since",
        help_text=_("Only employers changed at or after this time (ISO 8601)."),
    )

    class Meta:
        model = Employer
        fields = ["uid", "name", "canton", "updated_since"]

    def filter_updated_since(self, queryset, name, value: datetime):
        # In UTC: PostgreSQL takes offsets up to ±15:59 only, ISO 8601 up to ±23:59.
        try:
            value = value.astimezone(UTC)
        except OverflowError:  # beyond year 9999 in UTC: nothing changed since
            return queryset.none()
        return queryset.filter(updated_at__gte=value)

    def filter_uid(self, queryset, name, value):
        uid = uid_from_query(value)
        return queryset.filter(uid=uid) if uid else queryset.none()


class ContactPersonFilter(django_filters.FilterSet):
    employer = IdFilter(method="filter_employer", help_text=_("The employer's id."))
    email = django_filters.CharFilter(
        field_name="email", lookup_expr="iexact", max_length=254
    )

    class Meta:
        model = ContactPerson
        fields = ["employer", "email"]

    def filter_employer(self, queryset, name, value):
        """Only through employers the office sees: a person's other jobs are not
        the office's business."""
        office_id = request_office_id(self.request)
        visible = Employer.objects.for_office(office_id).filter(pk=value)
        return queryset.filter(roles__employer__in=visible).distinct()


class ContactFilter(django_filters.FilterSet):
    employer = IdFilter(field_name="employer_id")
    case = django_filters.CharFilter(
        field_name="case__case_number", max_length=40, help_text=_("Case number.")
    )
    occurred_since = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="gte"
    )

    class Meta:
        model = Contact
        fields = ["employer", "case", "occurred_since"]


class JobOpportunityFilter(django_filters.FilterSet):
    employer = IdFilter(field_name="employer_id")
    status = django_filters.ChoiceFilter(choices=JobOpportunity.Status.choices)

    class Meta:
        model = JobOpportunity
        fields = ["employer", "status"]


class PlacementFilter(django_filters.FilterSet):
    employer = IdFilter(field_name="employer_id")
    case = django_filters.CharFilter(field_name="case__case_number", max_length=40)

    class Meta:
        model = Placement
        fields = ["employer", "case"]
