"""Import tests reuse the CRM builders (offices, staff, employers)."""

from tests.crm.conftest import (  # noqa: F401 - fixtures
    be_employer,
    be_staff,
    make_employer,
    make_office,
    make_staff,
    office_be,
    office_vd,
    vd_employer,
    vd_staff,
)
