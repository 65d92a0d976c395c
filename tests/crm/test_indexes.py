"""What staff filter and sort on is served by an index (EXPLAIN on PostgreSQL).

The planner prefers a sequential scan on the few rows of a test database, so each
check turns sequential scans off: the question is whether an index *can* answer the
query, which is what keeps it fast at 100,000 employers (see `bench employer_page`).
"""

import pytest
from django.db import connection

from crm.models import Contact, Employer, FollowUp
from tests.conftest import postgres_problem, require_service

from .conftest import make_employer, make_staff


@pytest.fixture
def explain(db):
    problem = postgres_problem()
    require_service("PostgreSQL", problem is None, problem or "")

    def plan(queryset) -> str:
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())

    return plan


def index_columns(name: str) -> str:
    """The column list of an index, as PostgreSQL prints its definition."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
        definition = cursor.fetchone()[0]
    return definition[definition.index("(") :]


@pytest.fixture
def data(office_be):
    staff = make_staff(office_be, "be.idx")
    employer = make_employer(office_be, "Index AG", fixed_contact=staff)
    return office_be, staff, employer


def test_employer_list_by_office_and_canton_uses_an_index(explain, data):
    office, _staff, _employer = data

    plan = explain(Employer.objects.filter(office=office, canton="BE"))

    assert "Index" in plan and "Seq Scan" not in plan


def test_employer_name_search_uses_the_trigram_index(explain, data):
    plan = explain(Employer.objects.filter(legal_name__icontains="maschin"))

    assert "crm_employer_legal_name_trgm" in plan


def test_contact_person_search_uses_the_trigram_index(explain, data):
    from crm.models import ContactPerson

    plan = explain(ContactPerson.objects.filter(email__icontains="muster"))

    assert "crm_contactperson_email_trgm" in plan


def test_timeline_of_an_employer_uses_an_index(explain, data):
    office, _staff, employer = data

    plan = explain(
        Contact.objects.filter(employer=employer, office=office).order_by(
            "-occurred_on"
        )[:20]
    )

    assert "Index Cond" in plan and "Seq Scan" not in plan
    assert (
        index_columns("contact_timeline_idx")
        == "(employer_id, office_id, occurred_on DESC)"
    )


def test_my_open_follow_ups_use_the_partial_index(explain, data):
    _office, staff, _employer = data

    plan = explain(
        FollowUp.objects.filter(assignee=staff, done_at__isnull=True).order_by("due_on")
    )

    assert "followup_open_assignee_idx" in plan


def test_employers_due_for_contact_use_an_index(explain, data):
    office, _staff, _employer = data

    plan = explain(
        Employer.objects.filter(office=office, contact_due_on__lte="2026-01-01")
    )

    assert "Index Cond" in plan and "Seq Scan" not in plan
    assert index_columns("employer_contact_due_idx") == "(office_id, contact_due_on)"
