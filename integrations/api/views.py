"""The endpoints of /api/v1/. Every queryset is the calling office's; every write
goes through the CRM service the admin uses."""

from __future__ import annotations

import json

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import mixins, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from crm.models import (
    Contact,
    ContactPerson,
    Employer,
    EmployerRole,
    JobOpportunity,
    Placement,
)
from crm.services.contacts import contact_log
from crm.services.employers import employer_save
from crm.services.opportunities import opportunity_report
from crm.services.placements import placement_record

from . import filters, serializers
from .authentication import BearerTokenAuthentication
from .permissions import (
    OfficeApiPermission,
    request_office,
    request_office_id,
    request_token,
)
from .problems import (
    PROBLEM_TYPES,
    IdempotencyKeyInUse,
    IdempotencyKeyReused,
    problem_exception_handler,
    problem_json_response,
)
from .services import (
    idempotency_key_get,
    idempotency_key_store,
    request_fingerprint,
)
from .throttling import TokenRateThrottle

IDEMPOTENCY_KEY_MAX = 255

IDEMPOTENCY_HEADER = OpenApiParameter(
    name="Idempotency-Key",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=str(
        _(
            "Any unique string (e.g. a UUID). The same key with the same body within "
            "24 hours returns the first answer again instead of creating a second "
            "record; with another body it is refused (422)."
        )
    ),
)


def activate_request_language(request: HttpRequest) -> None:
    """Messages in the client's Accept-Language (de, fr, it, en); German without.

    LocaleMiddleware gives every unprefixed path the default language, which suits
    pages but not a machine client that asks for another one."""
    language = translation.get_language_from_request(request)
    translation.activate(language)
    request.LANGUAGE_CODE = language


class ApiPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500


class ApiViewMixin:
    """Authentication, permissions, limits and errors of every endpoint; set here,
    not in REST_FRAMEWORK defaults, so Wagtail's own DRF views stay as they are."""

    authentication_classes = [BearerTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, OfficeApiPermission]
    throttle_classes = [TokenRateThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    pagination_class = ApiPagination
    filter_backends = [DjangoFilterBackend]

    def initial(self, request: Request, *args, **kwargs) -> None:
        activate_request_language(request._request)
        super().initial(request, *args, **kwargs)

    def get_exception_handler(self):
        return problem_exception_handler

    @property
    def office_id(self) -> int | None:
        return request_office_id(self.request)

    def acting_staff(self, serializer):
        """The staff member a write is recorded for: named in the body, or the
        signed-in staff member themselves."""
        staff = serializer.validated_data.get("staff")
        if staff is not None:
            return staff
        if request_token(self.request) is None:
            return self.request.user
        raise ValidationError(
            {"staff": [_("Name the staff member of your office (username).")]}
        )


class IdempotentCreateMixin:
    """`Idempotency-Key` on POST: a repeated request gets the stored answer.

    The key is stored in the same transaction as the record, so a record exists
    if and only if its key does. Two requests racing with one key: the second
    waits for the first (unique constraint), then replays its answer.
    """

    def create(self, request: Request, *args, **kwargs) -> Response:
        return self.idempotent(
            request,
            lambda: super(IdempotentCreateMixin, self).create(request, *args, **kwargs),
        )

    def idempotency_fingerprint(self, request: Request) -> str:
        return request_fingerprint(request.method, request.path, request.data)

    def idempotent(self, request: Request, handle) -> Response:
        """`handle()` once per key: its answer is stored with the key, in the same
        transaction as what it writes; a repeated key replays the answer."""
        token = request_token(request)
        key = request.headers.get("Idempotency-Key")
        if token is None or key is None:
            return handle()
        key = key.strip()
        if not key or len(key) > IDEMPOTENCY_KEY_MAX:
            raise ValidationError(
                {
                    "Idempotency-Key": [
                        _("Send 1 to %(max)s characters.")
                        % {"max": IDEMPOTENCY_KEY_MAX}
                    ]
                }
            )
        fingerprint = self.idempotency_fingerprint(request)
        stored = idempotency_key_get(token=token, key=key)
        if stored is not None:
            return self._replay(stored, fingerprint)
        try:
            with transaction.atomic():
                response = handle()
                idempotency_key_store(
                    token=token,
                    key=key,
                    method=request.method,
                    path=request.path,
                    fingerprint=fingerprint,
                    status_code=response.status_code,
                    body=json.loads(JSONRenderer().render(response.data)),
                )
        except IntegrityError:
            # Another request with this key (or the same record) came first.
            stored = idempotency_key_get(token=token, key=key)
            if stored is None:
                raise IdempotencyKeyInUse from None
            return self._replay(stored, fingerprint)
        return response

    def _replay(self, stored, fingerprint: str) -> Response:
        if stored.request_hash != fingerprint:
            raise IdempotencyKeyReused
        return Response(
            stored.response_body,
            status=stored.status_code,
            headers={"Idempotent-Replayed": "true"},
        )


# --- Employers ------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=str(_("List employers")), tags=["employers"]),
    retrieve=extend_schema(summary=str(_("Get an employer")), tags=["employers"]),
    create=extend_schema(
        summary=str(_("Create an employer")),
        tags=["employers"],
        parameters=[IDEMPOTENCY_HEADER],
    ),
    update=extend_schema(summary=str(_("Replace an employer")), tags=["employers"]),
    partial_update=extend_schema(
        summary=str(_("Change some fields of an employer")), tags=["employers"]
    ),
)
class EmployerViewSet(
    ApiViewMixin,
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Employers led by or shared with your office."""

    serializer_class = serializers.EmployerSerializer
    filterset_class = filters.EmployerFilter
    queryset = Employer.objects.all()

    def get_queryset(self):
        if self.office_id is None:
            return Employer.objects.none()
        return (
            Employer.objects.for_office(self.office_id)
            .select_related("office", "fixed_contact")
            .order_by("legal_name", "pk")
        )

    def _save(self, serializer, employer: Employer) -> None:
        data = dict(serializer.validated_data)
        reason = data.pop("cooperation_reason", "")
        for name, value in data.items():
            setattr(employer, name, value)
        token = request_token(self.request)
        by = None if token else self.request.user
        if token is not None:
            # The history names people; a token is not one (django-simple-history
            # would otherwise take request.user, the token's ApiClient).
            employer._history_user = None
            employer._change_reason = f"API: {token}"
        serializer.instance = employer_save(
            employer=employer, by=by, cooperation_reason=reason
        )

    def perform_create(self, serializer) -> None:
        self._save(serializer, Employer(office=request_office(self.request)))

    def perform_update(self, serializer) -> None:
        self._save(serializer, serializer.instance)


# --- Contact persons ------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=str(_("List contact persons")), tags=["contact persons"]
    ),
    retrieve=extend_schema(
        summary=str(_("Get a contact person")), tags=["contact persons"]
    ),
)
class ContactPersonViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Contact persons your office keeps or who work for employers it sees."""

    serializer_class = serializers.ContactPersonSerializer
    filterset_class = filters.ContactPersonFilter
    queryset = ContactPerson.objects.all()

    def get_queryset(self):
        if self.office_id is None:
            return ContactPerson.objects.none()
        visible_employers = Employer.objects.for_office(self.office_id).values("pk")
        roles = EmployerRole.objects.filter(employer__in=visible_employers).order_by(
            "employer_id"
        )
        return (
            ContactPerson.objects.for_office(self.office_id)
            .prefetch_related(
                Prefetch("roles", queryset=roles, to_attr="roles_in_scope")
            )
            .order_by("last_name", "first_name", "pk")
        )


# --- Contacts -------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=str(_("List contacts")), tags=["contacts"]),
    retrieve=extend_schema(summary=str(_("Get a contact")), tags=["contacts"]),
    create=extend_schema(
        summary=str(_("Log a contact")),
        description=str(
            _(
                "Logs a contact, usually a case-related one with the case number of "
                "your case-management system. Validated like a contact logged in the "
                "admin."
            )
        ),
        tags=["contacts"],
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class ContactViewSet(
    ApiViewMixin,
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Contacts your office logged."""

    serializer_class = serializers.ContactSerializer
    filterset_class = filters.ContactFilter
    queryset = Contact.objects.all()

    def get_queryset(self):
        if self.office_id is None:
            return Contact.objects.none()
        contacts = Contact.objects.for_office(self.office_id)
        user = self.request.user
        if request_token(self.request) is None and not user.has_perm(
            "crm.view_case_related"
        ):
            contacts = contacts.filter(case_related=False)
        return (
            contacts.select_related("staff", "case")
            .prefetch_related("participants")
            .order_by("-occurred_on", "-pk")
        )

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = contact_log(
            employer=data["employer"],
            staff=self.acting_staff(serializer),
            occurred_on=data["occurred_on"],
            channel=data["channel"],
            case_related=data.get("case_related", True),
            initiated_by=data["initiated_by"],
            starting_point=data.get("starting_point", ""),
            topics=data.get("topics", []),
            participants=data.get("participants", []),
            outcome=data.get("outcome", ""),
            notes=data.get("notes", ""),
            follow_up_on=data.get("follow_up_on"),
            follow_up_note=data.get("follow_up_note", ""),
            case=data.get("case"),
        )


# --- Job opportunities ----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=str(_("List job opportunities")), tags=["job opportunities"]
    ),
    retrieve=extend_schema(
        summary=str(_("Get a job opportunity")), tags=["job opportunities"]
    ),
    create=extend_schema(
        summary=str(_("Record a job opportunity")),
        tags=["job opportunities"],
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class JobOpportunityViewSet(
    ApiViewMixin,
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Job opportunities of your office's employers."""

    serializer_class = serializers.JobOpportunitySerializer
    filterset_class = filters.JobOpportunityFilter
    queryset = JobOpportunity.objects.all()

    def get_queryset(self):
        if self.office_id is None:
            return JobOpportunity.objects.none()
        return JobOpportunity.objects.for_office(self.office_id).order_by(
            "-reported_on", "-pk"
        )

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = opportunity_report(
            employer=data["employer"],
            person=None,
            kind=data["kind"],
            title=data["title"],
            description=data.get("description", ""),
            occupation=data.get("occupation", ""),
            region=data.get("region", ""),
            physical_load=data.get("physical_load"),
            psychological_load=data.get("psychological_load"),
            workload_percent=data.get("workload_percent"),
            location=data.get("location", ""),
            start_on=data.get("start_on"),
            adapted_work_possible=data.get("adapted_work_possible", False),
            source=JobOpportunity.Source.API,
        )


# --- Placements -----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=str(_("List placements")), tags=["placements"]),
    retrieve=extend_schema(summary=str(_("Get a placement")), tags=["placements"]),
    create=extend_schema(
        summary=str(_("Record a placement")),
        description=str(
            _(
                "Places a case with an employer (or into one of its job "
                "opportunities) and plans the retention follow-ups."
            )
        ),
        tags=["placements"],
        parameters=[IDEMPOTENCY_HEADER],
    ),
)
class PlacementViewSet(
    ApiViewMixin,
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Placements of your office's cases."""

    serializer_class = serializers.PlacementSerializer
    filterset_class = filters.PlacementFilter
    queryset = Placement.objects.all()

    def get_queryset(self):
        if self.office_id is None:
            return Placement.objects.none()
        return (
            Placement.objects.for_office(self.office_id)
            .select_related("case", "staff")
            .order_by("-start_on", "-pk")
        )

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = placement_record(
            case=data["case"],
            staff=self.acting_staff(serializer),
            start_on=data["start_on"],
            opportunity=data.get("opportunity"),
            employer=data.get("employer"),
            kind=data.get("kind", ""),
            end_on=data.get("end_on"),
        )


# --- Plain Django views ---------------------------------------------------------------


def problem_type(request: HttpRequest, slug: str) -> JsonResponse:
    """What a problem `type` URI means, for people following the link."""
    if slug not in PROBLEM_TYPES:
        raise Http404
    title, description = PROBLEM_TYPES[slug]
    return JsonResponse(
        {
            "type": request.build_absolute_uri(),
            "title": title,
            "description": description,
        },
        json_dumps_params={"ensure_ascii": False},
    )


class SchemaView(SpectacularJSONAPIView):
    """/api/v1/openapi.json, in the client's Accept-Language (or ?lang=)."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        activate_request_language(request._request)
        return super().get(request, *args, **kwargs)


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Unknown paths under /api/v1/ answer 404 as a problem detail, not HTML."""
    activate_request_language(request)
    return problem_json_response(request, 404)
