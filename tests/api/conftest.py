"""Fixtures for the REST API: offices BE and VD, their staff, employers and tokens."""

import pytest
from rest_framework.test import APIClient

from crm.models import StaffRole
from integrations.api.services import api_token_create
from tests.crm import conftest as crm
from tests.crm.conftest import VALID_UIDS, make_employer, make_office, make_staff

__all__ = ["VALID_UIDS", "make_employer", "make_office", "make_staff"]

# The CRM tests' fixtures, as they are.
office_be = crm.office_be
office_vd = crm.office_vd
be_staff = crm.be_staff
vd_staff = crm.vd_staff
be_employer = crm.be_employer
vd_employer = crm.vd_employer


def token_for(office, name="case management", **kwargs) -> str:
    return api_token_create(office=office, name=name, **kwargs).raw


def bearer_client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    return client


@pytest.fixture
def be_token(office_be) -> str:
    return token_for(office_be)


@pytest.fixture
def be_api(be_token) -> APIClient:
    return bearer_client(be_token)


@pytest.fixture
def be_read_only_api(office_be) -> APIClient:
    return bearer_client(token_for(office_be, name="reporting", read_only=True))


@pytest.fixture
def vd_api(office_vd) -> APIClient:
    return bearer_client(token_for(office_vd))


@pytest.fixture
def be_editor(office_be):
    return make_staff(office_be, "be.edith", role=StaffRole.INTEGRATION)
