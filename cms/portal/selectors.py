"""Reads for the portal. Everything a portal user reaches goes through
`portal_employers(user)`: the employers their contact person has a role at."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from crm.models import Employer, JobOpportunity, Request

from ..models import ChangeProposal, PortalAccount

#: The only employer fields a portal page or e-mail shows. Cooperation type and
#: intensity, relationship status, quality score, contact dates and internal notes
#: are staff-only and never leave the admin.
PUBLIC_EMPLOYER_FIELDS = [
    "legal_name",
    "uid",
    "street",
    "postcode",
    "municipality",
    "canton",
    "phone",
    "email",
    "website",
    "fte",
    "company_language",
    "occupations",
]


def portal_account(user: AbstractBaseUser) -> PortalAccount | None:
    if not user.is_authenticated or user.is_staff or user.is_superuser:
        return None
    try:
        return user.portal_account
    except PortalAccount.DoesNotExist:
        return None


def portal_employers(user: AbstractBaseUser) -> QuerySet[Employer]:
    account = portal_account(user)
    if account is None or not account.person.is_active:
        return Employer.objects.none()
    return Employer.objects.filter(roles__person_id=account.person_id).order_by(
        "legal_name"
    )


def portal_employer_get(user: AbstractBaseUser, pk: int) -> Employer:
    """The employer if the portal user is linked to it; a 404 otherwise."""
    return get_object_or_404(
        portal_employers(user).select_related("fixed_contact__staff_card__photo"),
        pk=pk,
    )


def portal_requests(user: AbstractBaseUser) -> QuerySet[Request]:
    return Request.objects.filter(employer__in=portal_employers(user)).select_related(
        "employer"
    )


def portal_opportunities(user: AbstractBaseUser) -> QuerySet[JobOpportunity]:
    return JobOpportunity.objects.filter(
        employer__in=portal_employers(user)
    ).select_related("employer")


def portal_proposals(user: AbstractBaseUser) -> QuerySet[ChangeProposal]:
    return ChangeProposal.objects.filter(
        employer__in=portal_employers(user)
    ).select_related("employer")
