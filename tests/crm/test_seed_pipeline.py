"""The write-behind path of large seeds: a writer thread with its own transaction."""

import pytest

from crm import demo
from crm.demo import _office_employers_seed, _staff_seed
from crm.models import Contact, ContactPerson, Employer


@pytest.mark.django_db(transaction=True)
def test_pipelined_seed_writes_the_same_rows_as_the_inline_one():
    # given offices and staff committed (the writer thread has its own connection)
    result = demo.DemoResult()
    offices = _staff_seed(result)
    job = (0, offices[0].pk, 25, 11, True)

    # when one office's employers are written behind the drawing thread
    created, _seconds = _office_employers_seed([job], pipelined=True)

    # then every table got its rows, and they are valid
    assert created["employers"] == Employer.objects.count() == 25
    assert created["contacts"] == Contact.objects.count() > 0
    for employer in Employer.objects.all()[:10]:
        employer.full_clean()
    for person in ContactPerson.objects.all()[:20]:
        person.full_clean()


@pytest.mark.django_db(transaction=True)
def test_a_failing_write_is_raised_and_leaves_nothing_behind(monkeypatch):
    result = demo.DemoResult()
    offices = _staff_seed(result)

    def broken(drafts, counts, seconds=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "chunk_write", broken)

    with pytest.raises(RuntimeError, match="disk full"):
        _office_employers_seed([(0, offices[0].pk, 2500, 11, True)], pipelined=True)
    assert not Employer.objects.exists()
