from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import translation

from cms.portal.views import portal_required

from .services.subscriptions import (
    portal_preferences_update,
    preferences_get,
    preferences_pending,
)


@portal_required
def portal_preferences(request: HttpRequest) -> HttpResponse:
    """The contact person's newsletters. A new tick sends a confirmation mail to the
    contact person's address (double opt-in); unticking unsubscribes at once."""
    person = request.portal_account.person
    email = person.email
    saved = False
    requested = []
    if request.method == "POST" and email:
        chosen = {int(pk) for pk in request.POST.getlist("list") if pk.isdigit()}
        requested = portal_preferences_update(
            person=person,
            list_ids=chosen,
            language=translation.get_language()[:2],
        )
        saved = True
    pending = preferences_pending(person.office_id, email) if email else set()
    lists = preferences_get(person.office_id, email) if email else []
    return TemplateResponse(
        request,
        "campaigns/portal/preferences.html",
        {
            "email": email,
            "lists": [
                (mailing_list, subscribed, mailing_list.pk in pending)
                for mailing_list, subscribed in lists
            ],
            "requested": requested,
            "saved": saved,
        },
    )
