"""schemathesis against /api/v1/openapi.json on a live test server: no answer is a
server error, and every answer matches the schema (DESIGN.md, issue 8).

Runs on SQLite as on PostgreSQL. Examples per operation are bounded (positive and
negative generation, no shrinking) so that the whole run stays well under a minute.
"""

from datetime import timedelta

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from crm.models import ContactPerson, EmployerRole
from crm.services.cases import case_create
from crm.services.contacts import contact_log
from crm.services.opportunities import opportunity_report
from crm.services.placements import placement_record

from .conftest import VALID_UIDS, make_employer, make_office, make_staff, token_for

EXAMPLES = {GenerationMode.POSITIVE: 15, GenerationMode.NEGATIVE: 6}


def office_data() -> str:
    """A BE office with one of everything the API serves, a VD office beside it;
    returns a BE token."""
    be, vd = make_office("BE", "BE", "de"), make_office("VD", "VD", "fr")
    staff = make_staff(be, "be.anna")
    make_staff(vd, "vd.luc")
    employer = make_employer(be, "Berner Maschinenbau AG", VALID_UIDS[0], fte=30)
    make_employer(vd, "Horlogerie Vaudoise SA", VALID_UIDS[1])
    person = ContactPerson.objects.create(
        office=be, first_name="Erika", last_name="Muster", languages=["de"]
    )
    EmployerRole.objects.create(
        employer=employer, person=person, function="hr", is_fixed_contact=True
    )
    case = case_create(
        staff=staff, case_number="BE-1", aim="keep_job", employer=employer
    )
    contact_log(
        employer=employer,
        staff=staff,
        occurred_on=timezone.localdate() - timedelta(days=2),
        channel="visit",
        case_related=True,
        initiated_by="office",
        topics=["employee_integration"],
        participants=[person],
        case=case,
    )
    opportunity = opportunity_report(
        employer=employer, person=person, kind="job", title="Logistiker/in"
    )
    placement_record(
        case=case, staff=staff, start_on=timezone.localdate(), opportunity=opportunity
    )
    return token_for(be)


@pytest.mark.django_db(transaction=True)
def test_every_operation_answers_within_its_schema(live_server, settings):
    # given an office with data, a token, and a rate limit that fuzzing cannot hit
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "100000/min"},
    }
    headers = {"Authorization": f"Bearer {office_data()}"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    # when schemathesis calls every operation with generated requests
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        for mode, examples in EXAMPLES.items():

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def call(case):
                case.call_and_validate(
                    base_url=live_server.url,
                    headers=headers,
                    checks=[not_a_server_error, response_schema_conformance],
                )

            try:
                call()
            except Exception as exc:  # noqa: BLE001  (collected, reported below)
                failures.append(f"{operation.label} [{mode.value}]: {exc}")
    # then no answer was a server error or broke the schema
    assert len(operations) == 17
    assert not failures, "\n\n".join(failures)
