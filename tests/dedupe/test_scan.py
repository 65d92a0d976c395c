"""The duplicate scan: which pairs staff get to review, and which never again."""

from crm.dedupe.models import DuplicateCandidate, Kind
from crm.dedupe.services import duplicate_scan
from crm.dedupe.tasks import duplicate_scan_task
from crm.models import Employer

from .conftest import employer, person


def _pairs(kind=Kind.EMPLOYER, status=DuplicateCandidate.Status.OPEN):
    return {
        (c.low_id, c.high_id): {r["code"] for r in c.reasons}
        for c in DuplicateCandidate.objects.filter(kind=kind, status=status)
    }


def _key(a, b):
    return (min(a.pk, b.pk), max(a.pk, b.pk))


def test_same_uid_in_another_spelling_is_a_candidate(office_be):
    # given: an employer keyed in with the UID as the register prints it, and one
    # loaded from an old file with the bare digits (the unique index does not see it)
    first = employer(office_be, "Alpha Logistik AG", uid="CHE-116.281.710")
    second = employer(office_be, "Logistikzentrum Bern", uid="CHE116281710")
    employer(office_be, "Unrelated AG", uid="CHE-419.390.716")
    # when
    new = duplicate_scan(office=office_be)
    # then
    assert new == 1
    assert _pairs() == {_key(first, second): {"uid"}}
    assert DuplicateCandidate.objects.get().score == 100


def test_similar_names_in_the_same_postcode_are_candidates(office_be):
    # given: legal form, case, accents and punctuation differ; one typo
    mueller = employer(office_be, "Müller-Bau AG", postcode="3011")
    muller = employer(office_be, "MULLER BAU GmbH", postcode="3011")
    meier = employer(office_be, "Schreinerei Meier S.A.", postcode="3011")
    meyer = employer(office_be, "Schreinerei Meyer", postcode="3011")
    employer(office_be, "Müller Bau AG", postcode="8000")  # other postcode
    employer(office_be, "Bäckerei Keller AG", postcode="3011")  # other name
    # when
    duplicate_scan(office=office_be)
    # then
    assert _pairs() == {
        _key(mueller, muller): {"name_postcode"},
        _key(meier, meyer): {"name_postcode"},
    }


def test_same_email_domain_of_contact_persons_but_not_free_mail(office_be):
    # given
    a = employer(office_be, "Gartenbau Aare", postcode="3011")
    b = employer(office_be, "Aare Gärten Thun", postcode="3600")
    c = employer(office_be, "Velo Flückiger", postcode="3400")
    d = employer(office_be, "Malerei Blaser", postcode="3500")
    person(office_be, "Eva", "Hug", "eva.hug@aaregarten.ch", employer=a)
    person(office_be, "Tom", "Zaugg", "t.zaugg@aaregarten.ch", employer=b)
    person(office_be, "Ueli", "Flückiger", "ueli.flueckiger@gmail.com", employer=c)
    person(office_be, "Rita", "Blaser", "rita.blaser@gmail.com", employer=d)
    # when
    duplicate_scan(office=office_be)
    # then
    assert _pairs() == {_key(a, b): {"email_domain"}}


def test_contact_persons_by_email_and_by_name(office_be):
    # given
    firm = employer(office_be, "Holz Stucki AG")
    other = employer(office_be, "Stucki Immobilien", postcode="3600")
    hans = person(office_be, "Hans", "Stucki", "h.stucki@stucki.ch", employer=firm)
    hans_again = person(office_be, "Hans", "Stucki", "", employer=firm)
    same_mail = person(office_be, "H.", "Stucki-Moser", "H.Stucki@stucki.ch")
    ida = person(office_be, "Ida", "Rüegg", "ida@rueegg.ch", employer=firm)
    ida_elsewhere = person(
        office_be, "Ida", "Ruegg", "i.ruegg@rueegg.ch", employer=other
    )
    person(office_be, "Ida", "Rüegg", "ida.rueegg@bluewin.ch")  # no link: not her
    # when
    duplicate_scan(office=office_be)
    # then
    assert _pairs(Kind.PERSON) == {
        _key(hans, hans_again): {"name_employer"},
        _key(hans, same_mail): {"email"},
        _key(ida, ida_elsewhere): {"name_across"},
    }


def test_dismissed_pair_is_not_proposed_again(office_be, lead):
    # given: staff said "not a duplicate"
    a = employer(office_be, "Kaufmann Treuhand AG")
    b = employer(office_be, "Kaufmann Treuhand GmbH")
    assert duplicate_scan(office=office_be) == 1
    DuplicateCandidate.objects.update(status=DuplicateCandidate.Status.DISMISSED)
    # when: the scan runs again (e.g. after the next import)
    new = duplicate_scan(office=office_be)
    # then
    assert new == 0
    assert _pairs() == {}
    assert _pairs(status=DuplicateCandidate.Status.DISMISSED) == {
        _key(a, b): {"name_postcode"}
    }


def test_scan_after_import_looks_only_at_the_imported_employers(office_be):
    # given: an old pair, and an import that brought one new employer
    employer(office_be, "Alte Mühle AG")
    employer(office_be, "Alte Muehle GmbH")
    existing = employer(office_be, "Garage Zbinden AG")
    imported = employer(office_be, "Garage Zbinden")
    # when
    new = duplicate_scan_task.apply(
        args=[office_be.pk], kwargs={"employer_ids": [imported.pk]}
    ).get()
    # then
    assert new == 1
    assert _pairs() == {_key(existing, imported): {"name_postcode"}}


def test_scan_stays_within_the_office(office_be, office_vd):
    employer(office_be, "Transports Rochat SA")
    employer(office_vd, "Transports Rochat Sàrl")
    assert duplicate_scan(office=office_be) == 0
    assert duplicate_scan(office=office_vd) == 0
    assert Employer.objects.count() == 2
