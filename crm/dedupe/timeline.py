"""Merges on the employer page's timeline (crm.selectors' pluggable sources)."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from crm.models import Employer
from crm.selectors import TimelineFilters, TimelineItem

from .models import Kind, Merge
from .services.merge import moved_summary


class MergeTimelineSource:
    """ "Merged with …" on the survivor's timeline; neither case-related nor a
    channel, so only shown without those filters."""

    kind = "merge"

    def queryset(
        self, employer: Employer, *, office_id: int | None, filters: TimelineFilters
    ) -> QuerySet | None:
        if filters.case_related is not None or filters.channel:
            return None
        merges = Merge.objects.filter(kind=Kind.EMPLOYER, survivor_id=employer.pk)
        if office_id is not None:
            merges = merges.filter(office_id=office_id)
        return merges.select_related("merged_by", "undone_by").order_by(
            "-merged_at", "-pk"
        )

    def sort_key(self, merge: Merge) -> tuple[date, datetime]:
        return (timezone.localdate(merge.merged_at), merge.merged_at)

    def item(self, merge: Merge, *, may_see_case_related: bool) -> TimelineItem:
        details = [
            (label, str(count)) for label, count in moved_summary(merge) if count
        ]
        if merge.undone_at:
            when = timezone.localtime(merge.undone_at)
            undone = date_format(when, "SHORT_DATETIME_FORMAT")
            details.append((_("Undone"), f"{undone} – {_name(merge.undone_by)}"))
        return TimelineItem(
            kind=self.kind,
            kind_label=_("Merge"),
            occurred_on=timezone.localdate(merge.merged_at),
            recorded_at=merge.merged_at,
            title=_("Merged with %(duplicate)s (#%(id)s)")
            % {"duplicate": merge.duplicate_label, "id": merge.duplicate_id},
            icon="resubmit",
            staff_name=_name(merge.merged_by),
            details=tuple((str(label), text) for label, text in details),
        )


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
