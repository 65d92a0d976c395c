"""Office scope of campaign records, as in crm.querysets: `objects` is unscoped for
the system, `visible_to(user)` is what a person reaches."""

from __future__ import annotations

from crm.querysets import OfficeScopedQuerySet

__all__ = ["OfficeScopedQuerySet"]


class ListScopedQuerySet(OfficeScopedQuerySet):
    office_path = "mailing_list__office_id"


class NewsletterScopedQuerySet(OfficeScopedQuerySet):
    office_path = "newsletter__office_id"


class CampaignScopedQuerySet(OfficeScopedQuerySet):
    office_path = "campaign__office_id"
