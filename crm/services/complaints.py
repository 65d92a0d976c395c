"""Complaints: recorded, worked on, and the employer told what was done."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ..models import Complaint, Employer
from .cases import check_same_office, staff_office


@transaction.atomic
def complaint_record(
    *,
    employer: Employer,
    staff: AbstractBaseUser,
    received_on: date,
    channel: str,
    subject: str,
    measures_taken: str = "",
    employer_informed_on: date | None = None,
) -> Complaint:
    complaint = Complaint(
        office=staff_office(staff, fallback=employer.office),
        employer=employer,
        received_on=received_on,
        channel=channel,
        subject=subject.strip(),
        measures_taken=measures_taken.strip(),
        employer_informed_on=employer_informed_on,
        recorded_by=staff,
    )
    complaint.full_clean()
    complaint.save()
    return complaint


@transaction.atomic
def complaint_inform(
    *, complaint: Complaint, measures_taken: str, informed_on: date
) -> Complaint:
    """Records what was done and the day the employer was told."""
    complaint.measures_taken = measures_taken.strip()
    complaint.employer_informed_on = informed_on
    complaint.full_clean()
    complaint.save()
    return complaint


@transaction.atomic
def complaint_update(
    *,
    complaint: Complaint,
    staff: AbstractBaseUser,
    employer: Employer,
    received_on: date,
    channel: str,
    subject: str,
    measures_taken: str = "",
    employer_informed_on: date | None = None,
) -> Complaint:
    """Saves an edited complaint (the admin edit form) of the staff member's office."""
    check_same_office(staff, complaint.office_id)
    complaint.employer = employer
    complaint.received_on = received_on
    complaint.channel = channel
    complaint.subject = subject.strip()
    complaint.measures_taken = measures_taken.strip()
    complaint.employer_informed_on = employer_informed_on
    complaint.full_clean()
    complaint.save()
    return complaint
