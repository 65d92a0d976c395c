"""The daily e-mail to each staff member with their follow-ups due (switchable off)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from ..models import FollowUp
from ..selectors import follow_ups_visible_to

TEMPLATE = "crm/email/follow_up_digest"


def follow_up_digest_recipients(today: date) -> list[int]:
    """Ids of active staff with an e-mail address, the digest switched on and at
    least one open follow-up due today or earlier."""
    return list(
        FollowUp.objects.open()
        .filter(
            due_on__lte=today,
            assignee__is_active=True,
            assignee__staff_profile__follow_up_digest=True,
        )
        .exclude(assignee__email="")
        .order_by("assignee_id")
        .values_list("assignee_id", flat=True)
        .distinct()
    )


def follow_up_digest_send(*, user_id: int, today: date) -> bool:
    """Mails one staff member their open follow-ups due by `today`, in their admin
    language. Checks the opt-out again (it may have changed since the run started).
    Returns whether a mail went out."""
    user = (
        get_user_model()
        .objects.select_related("staff_profile")
        .filter(pk=user_id, is_active=True, staff_profile__follow_up_digest=True)
        .exclude(email="")
        .first()
    )
    if user is None:
        return False
    follow_ups = list(
        follow_ups_visible_to(user)
        .open()
        .filter(assignee=user, due_on__lte=today)
        .select_related("employer")
        .order_by("due_on", "employer__legal_name", "pk")
    )
    if not follow_ups:
        return False
    with translation.override(_language(user)):
        context = _context(user, follow_ups, today)
        subject = " ".join(render_to_string(f"{TEMPLATE}.subject.txt", context).split())
        text = render_to_string(f"{TEMPLATE}.txt", context)
        html = render_to_string(f"{TEMPLATE}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return True


def _language(user) -> str:
    profile = UserProfile.objects.filter(user=user).first()
    return profile.get_preferred_language() if profile else settings.LANGUAGE_CODE


def _context(user, follow_ups: list[FollowUp], today: date) -> dict:
    site = settings.SITE_URL
    return {
        "user": user,
        "today": today,
        "follow_ups": [
            {
                "follow_up": follow_up,
                "overdue": follow_up.due_on < today,
                "url": site
                + reverse("crm_employer_overview", args=[follow_up.employer_id]),
            }
            for follow_up in follow_ups
        ],
        "overdue_count": sum(1 for follow_up in follow_ups if follow_up.due_on < today),
        "dashboard_url": site + reverse("wagtailadmin_home"),
        "settings_url": site + reverse("crm_my_settings"),
    }
