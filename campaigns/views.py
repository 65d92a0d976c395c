"""Public newsletter pages: sign-up, confirmation, one-click unsubscribe, the
preference centre, and the tracking pixel and click redirect under /t/.

None needs a login or a cookie: the signed token in the URL is the only proof.
The unsubscribe POST is CSRF-exempt on purpose (RFC 8058: the mail program posts
`List-Unsubscribe=One-Click` without any cookie); the token protects it instead.
"""

from __future__ import annotations

import base64

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from crm.models import Language

from .forms import SignupForm
from .models import Delivery, MailingList, SubscriptionSource
from .services.subscriptions import (
    preferences_get,
    preferences_token_read,
    preferences_update,
    subscription_confirm,
    subscription_from_confirm_token,
    subscription_request,
)
from .services.suppression import unsubscribe
from .services.tracking import click_target, open_record
from .tokens import TokenInvalid, token_read

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _language(request: HttpRequest, default: str = "de") -> str:
    wanted = request.GET.get("lang") or default
    return wanted if wanted in Language.values else "de"


@never_cache
def signup(request: HttpRequest, office: str, slug: str) -> HttpResponse:
    mailing_list = get_object_or_404(
        MailingList, office__code=office.upper(), slug=slug, is_public=True
    )
    with translation.override(_language(request)):
        form = SignupForm(
            request.POST or None, initial={"language": _language(request)}
        )
        if request.method == "POST" and form.is_valid():
            subscription_request(
                mailing_list=mailing_list,
                source=SubscriptionSource.SITE,
                **form.cleaned_data,
            )
            return TemplateResponse(
                request, "campaigns/public/signup_sent.html", {"list": mailing_list}
            ).render()
        return TemplateResponse(
            request,
            "campaigns/public/signup.html",
            {"list": mailing_list, "form": form},
        ).render()


@never_cache
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: link scanners in mail gateways follow GET
    links, and must not confirm on the person's behalf."""
    try:
        subscription = subscription_from_confirm_token(token)
    except TokenInvalid:
        return TemplateResponse(
            request, "campaigns/public/invalid.html", status=400
        ).render()
    with translation.override(subscription.language):
        if request.method == "POST":
            subscription_confirm(subscription)
            template = "campaigns/public/confirmed.html"
        else:
            template = "campaigns/public/confirm.html"
        return TemplateResponse(
            request, template, {"subscription": subscription}
        ).render()


@csrf_exempt
@never_cache
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        (delivery_id,) = token_read("unsubscribe", token)
        delivery = Delivery.objects.select_related("newsletter__mailing_list").get(
            pk=int(delivery_id)
        )
    except (TokenInvalid, ValueError, Delivery.DoesNotExist):
        return TemplateResponse(
            request, "campaigns/public/invalid.html", status=400
        ).render()
    mailing_list = delivery.newsletter.mailing_list
    with translation.override(delivery.language):
        if request.method == "POST":
            unsubscribe(email=delivery.email, mailing_list=mailing_list, detail="link")
            template = "campaigns/public/unsubscribed.html"
        else:
            template = "campaigns/public/unsubscribe.html"
        return TemplateResponse(
            request,
            template,
            {"list": mailing_list, "email": delivery.email, "token": token},
        ).render()


@never_cache
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    try:
        office_id, email = preferences_token_read(token)
    except TokenInvalid:
        return TemplateResponse(
            request, "campaigns/public/invalid.html", status=400
        ).render()
    language = _language(request)
    saved = False
    if request.method == "POST":
        chosen = {int(pk) for pk in request.POST.getlist("list") if pk.isdigit()}
        preferences_update(
            office_id=office_id,
            email=email,
            list_ids=chosen,
            language=language,
            source=SubscriptionSource.PREFERENCES,
        )
        saved = True
    with translation.override(language):
        return TemplateResponse(
            request,
            "campaigns/public/preferences.html",
            {
                "email": email,
                "lists": preferences_get(office_id, email),
                "saved": saved,
            },
        ).render()


def open_pixel(request: HttpRequest, token: str) -> HttpResponse:
    open_record(token)
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response


def click(request: HttpRequest, token: str) -> HttpResponse:
    try:
        url = click_target(token)
    except TokenInvalid as exc:
        raise Http404 from exc
    return HttpResponseRedirect(url)
