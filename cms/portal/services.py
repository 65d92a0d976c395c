"""Writes of the employer portal: invitations, accounts, access requests and proposed
changes. Each checks everything first and saves nothing unless all of it is valid;
e-mails leave after the transaction commits.

Changes to the CRM go through the CRM's services (`employer_save`, `contact_log`), so
the portal, the admin and the API cannot drift apart.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from stdnum.ch import uid as stdnum_uid
from stdnum.exceptions import ValidationError as StdnumError

from crm.models import (
    Channel,
    ContactPerson,
    Employer,
    EmployerRole,
    InitiatedBy,
    Request,
    SizeClass,
    StartingPoint,
    Topic,
)
from crm.services.contacts import contact_log
from crm.services.employers import employer_save

from ..models import (
    AccessRequest,
    ChangeProposal,
    PortalAccount,
    PortalInvitation,
    ReviewStatus,
)

INVITATION_SALT = "cms.portal.invitation"
#: Fields an employer may propose to change; identity (name, UID) comes from the
#: commercial register and is changed by staff.
CHANGEABLE_FIELDS = [
    "street",
    "postcode",
    "municipality",
    "phone",
    "email",
    "website",
    "fte",
    "company_language",
    "occupations",
]
#: Free-mail providers: an access request needs an address at the company.
FREEMAIL_DOMAINS = {
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "hotmail.ch",
    "outlook.com",
    "live.com",
    "yahoo.com",
    "yahoo.de",
    "gmx.ch",
    "gmx.net",
    "gmx.de",
    "icloud.com",
    "me.com",
    "protonmail.com",
    "proton.me",
}


class InvitationInvalid(Exception):
    """The link is broken, expired or used; `message` says which, for the person."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- E-mail ----------------------------------------------------------------------


def _person_language(person: ContactPerson | None) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    for code in (person.languages or []) if person else []:
        if code in codes:
            return code
    return settings.LANGUAGE_CODE


def _portal_url(name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(name, kwargs=kwargs or None)


def portal_mail(*, template: str, to: str, language: str, context: dict) -> None:
    """Sends `cms/email/<template>.subject.txt` + `.txt` in `language`, on commit.

    Portal e-mails name the employer and link to the portal; they never carry
    staff-only data or anything about insured persons."""
    with translation.override(language):
        subject = render_to_string(f"cms/email/{template}.subject.txt", context)
        body = render_to_string(f"cms/email/{template}.txt", context)
    subject = " ".join(subject.split())
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    )


# --- Invitations and accounts ------------------------------------------------------


def invitation_token(invitation: PortalInvitation) -> str:
    return signing.dumps([invitation.pk, invitation.nonce], salt=INVITATION_SALT)


@transaction.atomic
def invitation_send(
    *,
    person: ContactPerson,
    employer: Employer,
    email: str = "",
    invited_by: AbstractBaseUser | None,
) -> PortalInvitation:
    """Invites a contact person of `employer` to the portal by e-mail."""
    email = (email or person.email).strip().lower()
    if not email:
        raise ValidationError(
            {"email": _("This contact person has no e-mail address.")}, code="no_email"
        )
    if not EmployerRole.objects.filter(employer=employer, person=person).exists():
        raise ValidationError(
            _("%(person)s has no role at %(employer)s."),
            code="not_at_employer",
            params={"person": person, "employer": employer},
        )
    if PortalAccount.objects.filter(person=person).exists():
        raise ValidationError(
            _("%(person)s already has a portal account."),
            code="has_account",
            params={"person": person},
        )
    if get_user_model().objects.filter(username__iexact=email).exists():
        raise ValidationError(
            {"email": _("A login with this e-mail address exists already.")},
            code="email_taken",
        )
    now = timezone.now()
    invitation = PortalInvitation.objects.create(
        office=employer.office,
        employer=employer,
        person=person,
        email=email,
        invited_by=invited_by,
        created_at=now,
        expires_at=now + timedelta(days=settings.PORTAL_INVITATION_DAYS),
    )
    language = _person_language(person)
    portal_mail(
        template="invitation",
        to=email,
        language=language,
        context={
            "person": person,
            "employer_name": employer.legal_name,
            "url": _portal_url(
                "portal:invitation", language, token=invitation_token(invitation)
            ),
            "days": settings.PORTAL_INVITATION_DAYS,
        },
    )
    return invitation


def invitation_from_token(token: str) -> PortalInvitation:
    """The invitation behind a link, or InvitationInvalid saying what is wrong."""
    try:
        pk, nonce = signing.loads(token, salt=INVITATION_SALT)
        invitation = PortalInvitation.objects.select_related("person", "employer").get(
            pk=pk, nonce=nonce
        )
    except (signing.BadSignature, ValueError, TypeError, PortalInvitation.DoesNotExist):
        raise InvitationInvalid(
            _(
                "This invitation link is not valid. Copy the whole link from the "
                "e-mail, or ask your contact at the IV office for a new invitation."
            )
        ) from None
    if invitation.accepted_at is not None:
        raise InvitationInvalid(
            _(
                "This invitation has already been used. Log in with your e-mail "
                "address and password, or reset your password."
            )
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid(
            _(
                "This invitation has expired. Ask your contact at the IV office for "
                "a new one."
            )
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> AbstractBaseUser:
    """Creates the portal login of an invited person; the link then stops working."""
    invitation = invitation_from_token(token)
    # Lock the row: two tabs submitting the same link create one account.
    invitation = PortalInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationInvalid(_("This invitation has already been used."))
    person = invitation.person
    user = get_user_model()(
        username=invitation.email,
        email=invitation.email,
        first_name=person.first_name,
        last_name=person.last_name,
        is_staff=False,
        is_superuser=False,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    PortalAccount.objects.create(user=user, person=person)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


# --- Access requests (own and colleagues') -----------------------------------------


def _uid_normalise(value: str) -> str:
    try:
        return stdnum_uid.format(stdnum_uid.validate(value))
    except StdnumError:
        raise ValidationError(
            {
                "uid": _(
                    "This is not a valid UID. It looks like CHE-123.456.789; you "
                    "find it on uid.admin.ch or on your invoices."
                )
            },
            code="uid_invalid",
        ) from None


@transaction.atomic
def access_request_submit(
    *,
    uid: str,
    first_name: str,
    last_name: str,
    email: str,
    function: str,
    phone: str = "",
    message: str = "",
    proposed_by: PortalAccount | None = None,
    employer: Employer | None = None,
) -> AccessRequest:
    """Records a request for portal access, for staff to approve.

    Without `employer`, the UID must belong to an employer the IV knows.
    """
    email = email.strip().lower()
    if employer is None:
        uid = _uid_normalise(uid)
        employer = Employer.objects.filter(uid=uid).first()
        if employer is None:
            raise ValidationError(
                {
                    "uid": _(
                        "We have no employer with this UID on file. Check the "
                        "number, or call us: we will set up your company first."
                    )
                },
                code="uid_unknown",
            )
    if email.rsplit("@", 1)[-1] in FREEMAIL_DOMAINS:
        raise ValidationError(
            {"email": _("Use your work e-mail address at the company.")},
            code="freemail",
        )
    duplicate = AccessRequest.objects.filter(
        employer=employer, email=email, status=ReviewStatus.PENDING
    )
    if duplicate.exists():
        raise ValidationError(
            {"email": _("A request for this address is already waiting for review.")},
            code="duplicate",
        )
    access_request = AccessRequest(
        office=employer.office,
        employer=employer,
        uid=employer.uid or "",
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        phone=phone.strip(),
        function=function,
        message=message.strip(),
        proposed_by=proposed_by,
    )
    access_request.full_clean()
    access_request.save()
    return access_request


@transaction.atomic
def access_request_approve(
    *, access_request: AccessRequest, staff: AbstractBaseUser
) -> PortalInvitation:
    """Links (or creates) the contact person and role, then sends the invitation."""
    if access_request.status != ReviewStatus.PENDING:
        raise ValidationError(_("This request has been reviewed already."))
    employer = access_request.employer
    person = ContactPerson.objects.filter(
        roles__employer=employer, email__iexact=access_request.email
    ).first() or ContactPerson.objects.create(
        office=employer.office,
        first_name=access_request.first_name,
        last_name=access_request.last_name,
        email=access_request.email,
        languages=[employer.company_language or employer.language_region or "de"],
    )
    EmployerRole.objects.get_or_create(
        employer=employer, person=person, defaults={"function": access_request.function}
    )
    invitation = invitation_send(
        person=person, employer=employer, email=access_request.email, invited_by=staff
    )
    _reviewed(access_request, staff, ReviewStatus.APPROVED)
    return invitation


@transaction.atomic
def access_request_reject(
    *, access_request: AccessRequest, staff: AbstractBaseUser, note: str = ""
) -> AccessRequest:
    if access_request.status != ReviewStatus.PENDING:
        raise ValidationError(_("This request has been reviewed already."))
    access_request.review_note = note
    _reviewed(access_request, staff, ReviewStatus.REJECTED)
    return access_request


def _reviewed(obj, staff: AbstractBaseUser, status: str) -> None:
    obj.status = status
    obj.reviewed_by = staff
    obj.reviewed_at = timezone.now()
    obj.save()


# --- Proposed changes of company data ----------------------------------------------


def _comparable(value: Any) -> Any:
    if value is None:
        return ""
    return str(value)


@transaction.atomic
def change_propose(
    *,
    account: PortalAccount,
    employer: Employer,
    values: dict[str, Any],
    comment: str = "",
) -> ChangeProposal:
    """Records the fields that differ from what is on file, for staff to review.

    The proposal is checked against the employer's rules now (e.g. a valid phone
    number), so the employer hears about a mistake at once, not after review."""
    changes = {
        name: {"old": _comparable(getattr(employer, name)), "new": _comparable(value)}
        for name, value in values.items()
        if name in CHANGEABLE_FIELDS
        and _comparable(value) != _comparable(getattr(employer, name))
    }
    if not changes:
        raise ValidationError(
            _("Nothing differs from what we have on file: change a field first."),
            code="no_changes",
        )
    trial = Employer.objects.get(pk=employer.pk)
    _apply(trial, changes)
    trial.full_clean(exclude=["uid"])
    proposal = ChangeProposal.objects.create(
        office=employer.office,
        employer=employer,
        proposed_by=account,
        changes=changes,
        comment=comment.strip(),
    )
    return proposal


def _apply(employer: Employer, changes: dict[str, dict[str, str]]) -> None:
    for name, change in changes.items():
        field = Employer._meta.get_field(name)
        value = change["new"]
        if value == "" and field.null:
            value = None
        setattr(employer, name, field.to_python(value) if value is not None else None)
    if "fte" in changes:
        employer.size_class = SizeClass.for_fte(employer.fte) if employer.fte else ""


@transaction.atomic
def change_approve(*, proposal: ChangeProposal, staff: AbstractBaseUser) -> Employer:
    """Applies the change to the employer (with its history) and logs the
    case-independent contact it was, through the portal."""
    if proposal.status != ReviewStatus.PENDING:
        raise ValidationError(_("This change has been reviewed already."))
    employer = Employer.objects.select_for_update().get(pk=proposal.employer_id)
    _apply(employer, proposal.changes)
    employer_save(employer=employer, by=staff)
    labels = ", ".join(
        str(Employer._meta.get_field(name).verbose_name) for name in proposal.changes
    )
    person = proposal.proposed_by.person if proposal.proposed_by else None
    contact_log(
        employer=employer,
        staff=staff,
        occurred_on=timezone.localdate(),
        channel=Channel.PORTAL,
        case_related=False,
        initiated_by=InitiatedBy.EMPLOYER,
        starting_point=StartingPoint.OCCASION,
        topics=[Topic.INFORMATION],
        participants=[person] if person else [],
        notes=str(_("Company data changed in the portal: %(fields)s"))
        % {"fields": labels},
    )
    _reviewed(proposal, staff, ReviewStatus.APPROVED)
    _proposal_mail(proposal)
    return employer


@transaction.atomic
def change_reject(
    *, proposal: ChangeProposal, staff: AbstractBaseUser, note: str = ""
) -> ChangeProposal:
    if proposal.status != ReviewStatus.PENDING:
        raise ValidationError(_("This change has been reviewed already."))
    proposal.review_note = note.strip()
    _reviewed(proposal, staff, ReviewStatus.REJECTED)
    _proposal_mail(proposal)
    return proposal


def _proposal_mail(proposal: ChangeProposal) -> None:
    account = proposal.proposed_by
    if account is None or not account.user.email:
        return
    language = _person_language(account.person)
    portal_mail(
        template="proposal_reviewed",
        to=account.user.email,
        language=language,
        context={
            "proposal": proposal,
            "employer_name": proposal.employer.legal_name,
            "approved": proposal.status == ReviewStatus.APPROVED,
            "url": _portal_url(
                "portal:company", language, employer_id=proposal.employer_id
            ),
        },
    )


def request_answered_mail(request: Request) -> None:
    """Tells the person who asked that the answer is in the portal (the answer itself
    stays behind the login)."""
    person = request.person
    account = getattr(person, "portal_account", None) if person else None
    if account is None or not account.user.email:
        return
    language = _person_language(person)
    portal_mail(
        template="request_answered",
        to=account.user.email,
        language=language,
        context={
            "employer_name": request.employer.legal_name,
            "url": _portal_url("portal:request", language, pk=request.pk),
        },
    )
