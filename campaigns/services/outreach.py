"""Outreach campaigns: build the target list from a segment, assign it to staff,
record outcomes as case-independent contacts (crm.services.contacts.contact_log)."""

from __future__ import annotations

from itertools import cycle

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import EmployerRole, InitiatedBy, StartingPoint, Topic
from crm.services.contacts import contact_log

from ..models import OutreachCampaign, OutreachTarget, Subscription
from ..selectors import segment_employers

Assignment = OutreachCampaign.Assignment
Kind = OutreachCampaign.Kind

# How an outcome is logged per campaign kind. The CRM's starting points (study
# §5.2) have no "reactivation": winning back a known employer is an activity of
# the office, not the acquisition of a new one.
CONTACT_KIND = {
    Kind.ACQUISITION: (StartingPoint.ACQUISITION, Topic.SERVICE_PRESENTATION),
    Kind.REACTIVATION: (StartingPoint.OCCASION, Topic.INTENSIFY_COOPERATION),
}


def _assignee_for(campaign, employer, staff: list, rotation, by_language) -> object:
    fixed = employer.fixed_contact_id in {user.pk for user in staff}
    if campaign.assignment == Assignment.FIXED_CONTACT and fixed:
        return next(u for u in staff if u.pk == employer.fixed_contact_id)
    if campaign.assignment == Assignment.REGION:
        speakers = by_language.get(employer.language_region)
        if speakers:
            return next(speakers)
    return next(rotation)


@transaction.atomic
def outreach_targets_build(campaign: OutreachCampaign) -> int:
    """Adds the segment's employers not yet on the list, each assigned to a staff
    member: the employer's fixed contact, a staff member speaking the employer's
    language region, or evenly in turn. Returns how many were added."""
    staff = list(campaign.staff.select_related("staff_profile").order_by("pk"))
    if not staff:
        raise ValidationError(_("Choose the staff who work on this campaign."))
    existing = set(campaign.targets.values_list("employer_id", flat=True))
    by_language = {}
    for language in ("de", "fr", "it"):
        speakers = [
            user
            for user in staff
            if language
            in getattr(getattr(user, "staff_profile", None), "languages", [])
        ]
        if speakers:
            by_language[language] = cycle(speakers)
    rotation = cycle(staff)
    employers = segment_employers(campaign.segment).order_by("legal_name", "pk")
    persons = _contact_persons(campaign, employers)
    targets = [
        OutreachTarget(
            campaign=campaign,
            employer=employer,
            person_id=persons.get(employer.pk),
            assignee=_assignee_for(campaign, employer, staff, rotation, by_language),
        )
        for employer in employers
        if employer.pk not in existing
    ]
    OutreachTarget.objects.bulk_create(targets)
    return len(targets)


def _contact_persons(campaign: OutreachCampaign, employers) -> dict[int, int]:
    """Whom to ask for, per employer: the fixed contact for the IV, else the first
    active contact person who subscribed to one of the office's lists (opted in),
    else the first active contact person."""
    opted_in = Subscription.objects.filter(
        person_id=OuterRef("person_id"),
        mailing_list__office_id=campaign.office_id,
        status=Subscription.Status.ACTIVE,
    )
    roles = (
        EmployerRole.objects.filter(
            employer__in=employers.values("pk"), person__is_active=True
        )
        .annotate(opted_in=Exists(opted_in))
        .order_by("employer_id", "-is_fixed_contact", "-opted_in", "pk")
        .values_list("employer_id", "person_id")
    )
    persons: dict[int, int] = {}
    for employer_id, person_id in roles:
        persons.setdefault(employer_id, person_id)
    return persons


@transaction.atomic
def outreach_outcome_record(
    target: OutreachTarget, *, status: str, staff: AbstractBaseUser, notes: str = ""
) -> OutreachTarget:
    """One click: sets the target's status and logs a case-independent contact."""
    if (
        status not in OutreachTarget.Status.values
        or status == OutreachTarget.Status.OPEN
    ):
        raise ValidationError({"status": _("Choose an outcome.")})
    campaign = target.campaign
    label = OutreachTarget.Status(status).label
    starting_point, topic = CONTACT_KIND[campaign.kind]
    contact = contact_log(
        employer=target.employer,
        staff=staff,
        occurred_on=timezone.localdate(),
        channel=campaign.channel,
        case_related=False,
        initiated_by=InitiatedBy.OFFICE,
        starting_point=starting_point,
        topics=[topic],
        participants=[target.person] if target.person_id else [],
        outcome=f"{campaign.name}: {label}",
        notes=notes,
    )
    target.status = status
    target.last_contact = contact
    target.save(update_fields=["status", "last_contact", "updated_at"])
    return target


def outreach_progress(campaign: OutreachCampaign) -> dict:
    """Targets per status, overall and per staff member."""
    from django.db.models import Count

    rows = campaign.targets.values(
        "assignee_id", "assignee__first_name", "assignee__last_name", "status"
    ).annotate(n=Count("pk"))
    overall = dict.fromkeys(OutreachTarget.Status.values, 0)
    per_staff: dict[int | None, dict] = {}
    for row in rows:
        overall[row["status"]] += row["n"]
        entry = per_staff.setdefault(
            row["assignee_id"],
            {
                "name": f"{row['assignee__first_name'] or ''} "
                f"{row['assignee__last_name'] or ''}".strip()
                or str(_("unassigned")),
                **dict.fromkeys(OutreachTarget.Status.values, 0),
            },
        )
        entry[row["status"]] += row["n"]
    for entry in [overall, *per_staff.values()]:
        total = sum(entry[key] for key in OutreachTarget.Status.values)
        done = total - entry[OutreachTarget.Status.OPEN]
        entry["total"] = total
        entry["percent"] = round(100 * done / total) if total else 0
    return {"overall": overall, "per_staff": list(per_staff.values())}


def call_sheet_rows(campaign: OutreachCampaign, assignee=None) -> list[list[str]]:
    """The call sheet: one row per target, with whom to call and how to reach them."""
    targets = campaign.targets.select_related("employer", "person", "assignee")
    if assignee is not None:
        targets = targets.filter(assignee=assignee)
    header = [
        str(_("Employer")),
        str(_("Phone")),
        str(_("Municipality")),
        str(_("Contact person")),
        str(_("Contact person's phone")),
        str(_("E-mail")),
        str(_("Assigned to")),
        str(_("Status")),
        str(_("Last case-independent contact")),
    ]
    rows = [header]
    for target in targets.order_by("employer__legal_name", "pk"):
        person = target.person
        rows.append(
            [
                target.employer.legal_name,
                str(target.employer.phone or ""),
                target.employer.municipality,
                str(person) if person else "",
                str(person.phone or "") if person else "",
                person.email if person else target.employer.email,
                target.assignee.get_full_name() if target.assignee else "",
                target.get_status_display(),
                str(target.employer.last_case_independent_contact_on or ""),
            ]
        )
    return rows
