"""Job opportunities: an employer reports one (portal), staff record one (admin) or a
system sends one (API); staff move it along."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from ..models import ContactPerson, Employer, JobOpportunity, Office


@transaction.atomic
def opportunity_report(
    *,
    employer: Employer,
    person: ContactPerson | None,
    kind: str,
    title: str,
    description: str = "",
    occupation: str = "",
    physical_load: int | None = None,
    psychological_load: int | None = None,
    region: str = "",
    workload_percent: int | None = None,
    location: str = "",
    start_on: date | None = None,
    adapted_work_possible: bool = False,
    source: str = JobOpportunity.Source.PORTAL,
    office: Office | None = None,
) -> JobOpportunity:
    """Records an open job opportunity, for the employer's lead office unless
    `office` is given (staff record places for their own office, which may share
    the employer). Raises ValidationError (nothing saved) on bad input."""
    opportunity = JobOpportunity(
        office=office or employer.office,
        employer=employer,
        reported_by=person,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        occupation=occupation.strip(),
        physical_load=physical_load,
        psychological_load=psychological_load,
        region=region.strip(),
        workload_percent=workload_percent,
        location=location.strip(),
        start_on=start_on,
        adapted_work_possible=adapted_work_possible,
        source=source,
        reported_on=timezone.localdate(),
    )
    opportunity.full_clean()
    opportunity.save()
    return opportunity
