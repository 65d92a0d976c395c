"""Chainable, read-only filters. `visible_to` is the office boundary for people.

`Model.objects` stays unscoped for the system (commands, tasks); everything a person
reaches goes through `visible_to(user)` (DESIGN.md, office scoping).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q


def user_office_id(user) -> int | None:
    """The office a staff user works for; None for superusers (they see everything)."""
    profile = getattr(user, "staff_profile", None)
    return profile.office_id if profile is not None else None


def sees_all_offices(user) -> bool:
    return bool(user.is_superuser)


class OfficeScopedQuerySet(models.QuerySet):
    """The one place where a person's office scope is applied.

    Subclasses say what "belongs to an office" means in `for_office`; by default a
    record's own `office_path` (e.g. `office_id`, `newsletter__office_id`)."""

    office_path = "office_id"

    def for_office(self, office_id: int):
        return self.filter(**{self.office_path: office_id})

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if sees_all_offices(user):
            return self.all()
        office_id = user_office_id(user)
        return self.none() if office_id is None else self.for_office(office_id)


class EmployerQuerySet(OfficeScopedQuerySet):
    def for_office(self, office_id: int) -> EmployerQuerySet:
        """Led by this office, or shared with it by the lead office."""
        shared = self.model.shared_with.through.objects.filter(
            employer_id=OuterRef("pk"), office_id=office_id
        )
        return self.filter(Q(office_id=office_id) | Exists(shared))


class ContactPersonQuerySet(OfficeScopedQuerySet):
    def for_office(self, office_id: int) -> ContactPersonQuerySet:
        """Kept by this office, or working for an employer it sees."""
        from .models import Employer, EmployerRole

        employers = Employer.objects.for_office(office_id).values("pk")
        works_for = EmployerRole.objects.filter(
            person_id=OuterRef("pk"), employer_id__in=employers
        )
        return self.filter(Q(office_id=office_id) | Exists(works_for))


class ContactQuerySet(OfficeScopedQuerySet):
    """Contacts belong to the office of the staff member who logged them: with a
    shared employer, each office sees only its own."""


class FollowUpQuerySet(OfficeScopedQuerySet):
    def open(self) -> FollowUpQuerySet:
        return self.filter(done_at__isnull=True)


class RequestQuerySet(OfficeScopedQuerySet):
    def pending(self) -> RequestQuerySet:
        return self.filter(status__in=["open", "in_progress"])

    def queue_order(self) -> RequestQuerySet:
        """Pending first, and among them the one due (or overdue) soonest."""
        from django.db.models import Case, IntegerField, When

        return self.annotate(
            queue_rank=Case(
                When(status__in=["open", "in_progress"], then=0),
                default=1,
                output_field=IntegerField(),
            )
        ).order_by("queue_rank", "due_on", "received_at")


class JobOpportunityQuerySet(OfficeScopedQuerySet):
    def open(self) -> JobOpportunityQuerySet:
        return self.filter(status="open")


class CaseQuerySet(OfficeScopedQuerySet):
    def in_placement_phase(self) -> CaseQuerySet:
        return self.filter(phase__in=["integration", "vocational"])


class MeasureQuerySet(OfficeScopedQuerySet):
    def counted(self) -> MeasureQuerySet:
        """Granted measures only (granted, running, ended): what figures count."""
        return self.filter(status__in=["granted", "running", "ended"])


class PlacementQuerySet(OfficeScopedQuerySet):
    pass


class PartnerContactQuerySet(OfficeScopedQuerySet):
    office_path = "partner__office_id"

    def public_iiz(self) -> PartnerContactQuerySet:
        return self.filter(is_iiz_contact=True, public=True)
