"""The two demo portal users of `seed_demo`: the first one gets a 404 for every
portal URL the second one can see, in every language, for GET and POST."""

import re
from collections import deque

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cms.models import ChangeProposal, PortalAccount
from crm.demo import DEMO_PASSWORD, demo_seed
from crm.demo.portal import PORTAL_USERS
from crm.models import JobOpportunity, Request

pytestmark = pytest.mark.django_db

FIRST, SECOND = (row[0] for row in PORTAL_USERS)
#: Links a crawl must not follow: they change state on GET-less forms or leave.
NOT_CRAWLED = ("/logout/",)


def portal_log_in(email: str) -> Client:
    """A client logged in through the portal's login form, like a person."""
    client = Client()
    response = client.post(
        reverse("portal:login"), {"username": email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def portal_links(html: str) -> set[str]:
    """Portal links and form targets, without their language prefix."""
    links = re.findall(r'(?:href|action)="(?:/[a-z]{2})?(/portal/[^"#?]*)', html)
    return {link for link in links if not link.endswith(NOT_CRAWLED)}


def crawl(client: Client) -> set[str]:
    """Every portal page reachable by links from the dashboard, in its language."""
    seen: set[str] = set()
    queue = deque(["/portal/"])
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        queue.extend(portal_links(response.content.decode()) - seen)
    return seen


def reversed_urls(account: PortalAccount) -> set[str]:
    """The id-carrying portal URLs of everything of the account's employers, without
    a language prefix (whatever language the last response left active)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _reversed_urls(account)


def _reversed_urls(account: PortalAccount) -> set[str]:
    employers = list(account.person.employers.values_list("pk", flat=True))
    names = [
        "company", "change", "colleagues", "cases", "request_new", "opportunity_new",
    ]  # fmt: skip
    urls = {
        reverse(f"portal:{name}", kwargs={"employer_id": pk})
        for name in names
        for pk in employers
    }
    records = {
        "request": Request.objects.filter(employer__in=employers),
        "opportunity": JobOpportunity.objects.filter(employer__in=employers),
        "proposal": ChangeProposal.objects.filter(employer__in=employers),
    }
    for name, queryset in records.items():
        urls |= {
            reverse(f"portal:{name}", args=[pk])
            for pk in queryset.values_list("pk", flat=True)
        }
    return urls


def in_every_language(urls: set[str]) -> set[str]:
    prefixes = [f"/{code}" for code, _name in settings.LANGUAGES[1:]]
    return urls | {prefix + url for url in urls for prefix in prefixes}


@pytest.fixture
def demo(db):
    """The demo data, and the second user's company with a request and a proposed
    change made through the portal (the seed gives it a reported apprenticeship)."""
    demo_seed(employers=12, contacts=False)
    second = portal_log_in(SECOND)
    account = PortalAccount.objects.get(user__username=SECOND)
    employer = account.person.employers.get()
    second.post(
        reverse("portal:request_new", args=[employer.pk]),
        {
            "kind": "advice",
            "subject": "hiring",
            "message": "Wir möchten eine Lehrstelle für eine Person mit IV anbieten.",
        },
    )
    second.post(
        reverse("portal:change", args=[employer.pk]),
        {"street": "Seftigenstrasse 212", "postcode": employer.postcode or "3084"},
    )
    assert Request.objects.filter(employer=employer).exists()
    assert ChangeProposal.objects.filter(employer=employer).exists()
    return second, account, employer


def test_first_demo_user_gets_404_for_every_url_of_the_second(demo):
    second, account, employer = demo
    seen = crawl(second)
    with_ids = {url for url in seen if re.search(r"/\d+/", url)}
    urls = in_every_language(with_ids | reversed_urls(account))
    # The crawl found the pages of each kind, not just the dashboard.
    kinds = {re.sub(r"\d+", "N", url) for url in with_ids}
    assert {
        "/portal/companies/N/",
        "/portal/companies/N/change/",
        "/portal/companies/N/requests/new/",
        "/portal/requests/N/",
        "/portal/opportunities/N/",
        "/portal/changes/N/",
    } <= kinds, kinds

    first = portal_log_in(FIRST)
    gets = {url: first.get(url).status_code for url in sorted(urls)}
    posts = {url: first.post(url, {"street": "x"}).status_code for url in sorted(urls)}

    assert set(gets.values()) == {404}, gets
    assert set(posts.values()) == {404}, posts
    assert {second.get(url).status_code for url in with_ids} == {200}
    # The pages without ids that the first user does see never name the second's
    # company.
    for url in in_every_language(seen - with_ids):
        response = first.get(url)
        assert response.status_code == 200, url
        assert employer.legal_name not in response.content.decode(), url
