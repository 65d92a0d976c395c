"""core.bulk: the COPY/executemany write path used by imports and the seed."""

import pytest

from core import bulk
from crm.models import Team
from tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_progress_may_query_the_database_between_batches(monkeypatch):
    # Given a write in batches of 2 whose progress callback reads the database
    # (on PostgreSQL a query while a COPY is open used to wait forever)
    monkeypatch.setattr(bulk, "BATCH", 2)
    office = OfficeFactory(code="BE")
    ids = bulk.ids_reserve(Team, 5)
    rows = [[pk, office.pk, f"Team {n}"] for n, pk in enumerate(ids)]
    seen = []

    def progress(done, of):
        seen.append((done, of, Team.objects.filter(office=office).count()))

    # When the rows are written
    bulk.rows_insert(Team, ["id", "office_id", "name"], rows, progress=progress)

    # Then progress came after each batch, and each batch was in the table by then
    assert seen == [(2, 5, 2), (4, 5, 4), (5, 5, 5)]
    names = Team.objects.filter(office=office).order_by("name")
    assert list(names.values_list("name", flat=True)) == [f"Team {n}" for n in range(5)]
