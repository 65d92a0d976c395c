from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import translation

from cms.portal.views import portal_required

from .models import SubscriptionSource
from .services.subscriptions import preferences_get, preferences_update


@portal_required
def portal_preferences(request: HttpRequest) -> HttpResponse:
    person = request.portal_account.person
    email = person.email or request.user.email
    saved = False
    if request.method == "POST":
        chosen = {int(pk) for pk in request.POST.getlist("list") if pk.isdigit()}
        preferences_update(
            office_id=person.office_id,
            email=email,
            list_ids=chosen,
            language=translation.get_language()[:2],
            source=SubscriptionSource.PORTAL,
        )
        saved = True
    return TemplateResponse(
        request,
        "campaigns/portal/preferences.html",
        {
            "email": email,
            "lists": preferences_get(person.office_id, email),
            "saved": saved,
        },
    )
