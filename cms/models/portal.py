"""The employer portal's records: accounts of employers' contact persons, invitations,
access requests (also for colleagues), proposed changes to company data, and the
public contact card of staff (phone, photo) shown as the employer's fixed contact.

A portal user is a Django user *without* staff status or groups, linked to one
`ContactPerson`; they see exactly the employers that person has an `EmployerRole`
at (`cms.portal.selectors.portal_employers`). Writes go through
`cms.portal.services`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import ContactPerson, Employer, Office, PersonFunction
from crm.querysets import sees_all_offices, user_office_id


class OfficeScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if sees_all_offices(user):
            return self.all()
        office_id = user_office_id(user)
        return self.none() if office_id is None else self.filter(office_id=office_id)

    def pending(self):
        return self.filter(status="pending")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("waiting for review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("declined")


def _nonce() -> str:
    return secrets.token_urlsafe(16)


class PortalAccount(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="portal_account",
    )
    person = models.OneToOneField(
        ContactPerson,
        verbose_name=_("contact person"),
        on_delete=models.CASCADE,
        related_name="portal_account",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("portal account")
        verbose_name_plural = _("portal accounts")

    def __str__(self) -> str:
        return f"{self.person} <{self.user.email}>"


class PortalInvitation(models.Model):
    """A signed, expiring, one-time link that lets a contact person set a password."""

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        ContactPerson,
        verbose_name=_("contact person"),
        on_delete=models.CASCADE,
        related_name="portal_invitations",
    )
    email = models.EmailField(_("e-mail"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    nonce = models.CharField(max_length=32, default=_nonce, editable=False)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal invitation")
        verbose_name_plural = _("portal invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.person} <{self.email}>"


class AccessRequest(models.Model):
    """Someone asks for portal access for an employer: themselves (with the company's
    UID and a work e-mail) or a colleague (proposed by a portal user). Staff approve."""

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.CASCADE,
        related_name="portal_access_requests",
    )
    uid = models.CharField(_("UID"), max_length=15)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("work e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    function = models.CharField(
        _("function"), max_length=20, choices=PersonFunction.choices
    )
    message = models.TextField(_("message"), blank=True)
    proposed_by = models.ForeignKey(
        PortalAccount,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="colleague_proposals",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("internal note"), blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal access request")
        verbose_name_plural = _("portal access requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["office", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} – {self.employer}"


class ChangeProposal(models.Model):
    """Company data an employer proposes to change; staff approve or decline.

    `changes` maps field names to {"old": value on file then, "new": proposed}.
    """

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.CASCADE,
        related_name="change_proposals",
    )
    proposed_by = models.ForeignKey(
        PortalAccount,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="change_proposals",
    )
    changes = models.JSONField(_("changes"))
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("message to the employer"), blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["office", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.employer} ({self.created_at:%d.%m.%Y})"


class StaffCard(models.Model):
    """What employers see of a staff member as their fixed contact: phone and photo."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="staff_card",
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(_("direct phone"), max_length=30, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("staff contact card")
        verbose_name_plural = _("staff contact cards")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()
