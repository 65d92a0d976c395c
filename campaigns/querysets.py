"""Office scope of campaign records, as in crm.querysets: `objects` is unscoped for
the system, `visible_to(user)` is what a person reaches."""

from __future__ import annotations

from django.db import models

from crm.querysets import sees_all_offices, user_office_id


class OfficeScopedQuerySet(models.QuerySet):
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


class ListScopedQuerySet(OfficeScopedQuerySet):
    office_path = "mailing_list__office_id"


class NewsletterScopedQuerySet(OfficeScopedQuerySet):
    office_path = "newsletter__office_id"


class CampaignScopedQuerySet(OfficeScopedQuerySet):
    office_path = "campaign__office_id"
