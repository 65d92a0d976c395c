"""What each importable resource looks like: its columns (with the German, French and
English headers offices use), its natural key and how its references are resolved.

One `Spec` per resource; the engine in `services.py` runs them all the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.models import (
    Canton,
    Contact,
    ContactPerson,
    Employer,
    EmployerRole,
    JobOpportunity,
    LanguageRegion,
    Office,
    PartnerOrganisation,
)
from crm.models.choices import (
    CompanyLanguage,
    Language,
    LegalForm,
    PersonFunction,
    RegisterStatus,
    RelationshipStatus,
    SectorGroup,
    SizeClass,
)

from . import cells
from .cells import CellError, header_key

# The language region of each canton's majority (a bilingual canton's employers can
# be corrected one by one; the column wins when the file has it).
CANTON_REGION = {c: LanguageRegion.DE for c in Canton.values} | {
    "GE": LanguageRegion.FR,
    "VD": LanguageRegion.FR,
    "NE": LanguageRegion.FR,
    "JU": LanguageRegion.FR,
    "FR": LanguageRegion.FR,
    "VS": LanguageRegion.FR,
    "TI": LanguageRegion.IT,
}


# Words offices write for a channel besides its label.
CHANNEL_WORDS = {
    "Besuch": "visit",
    "Visite": "visit",
    "Visita": "visit",
    "Telefonat": "phone",
    "Anruf": "phone",
    "Appel": "phone",
    "Telefonata": "phone",
    "Mail": "email",
    "E-Mail": "email",
    "Courriel": "email",
    "Brief": "letter",
    "Lettre": "letter",
    "Lettera": "letter",
}


@dataclass(eq=False)
class Column:
    """One importable column: the model attribute it fills and the headers it has."""

    name: str
    label: Any  # the header of exports and of the error report
    aliases: tuple[str, ...]
    cleaner: cells.Cleaner
    required: bool = False  # the file must have this column
    db: bool = True  # a model column (else resolved into one by the spec)

    def match_keys(self) -> set[str]:
        return {header_key(a) for a in (self.name, str(self.label), *self.aliases)}


@dataclass
class Rows:
    """Cleaned columns of a file: `values[name][i]` of row i, and errors by row."""

    values: dict[str, list]
    count: int
    errors: dict[int, list[str]] = field(default_factory=dict)
    keys: list = field(default_factory=list)
    existing_ids: dict[int, int] = field(default_factory=dict)  # row index → pk

    def error(self, index: int, message: str) -> None:
        self.errors.setdefault(index, []).append(message)

    def record(self, index: int) -> dict:
        """Row `index` as {field: value} (built on demand: most rows never need it)."""
        return {name: column[index] for name, column in self.values.items()}


class Spec:
    name: str
    model: type[models.Model]
    label: Any
    # Fields a spec derives from a column: updated when that column is in the file.
    derived: dict[str, str] = {}  # noqa: RUF012 - read only

    def update_fields(self, in_file: set[str]) -> list[str]:
        """The fields a re-import compares and updates: those the file has."""
        return [
            name
            for name in self.fields()
            if name in in_file or self.derived.get(name) in in_file
        ]

    def after_write(
        self, rows: Rows, index_ids: dict[int, int], office: Office
    ) -> None:
        """Writes what hangs off the rows (roles, derived figures), same transaction."""

    def after_commit(self, office: Office, ids: list[int], created: list[int]) -> None:
        """Work that may run later, enqueued after the commit: `ids` are the rows
        written (created and updated), `created` the new ones."""

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def resolve(self, rows: Rows, office: Office) -> None:
        """Turns reference columns into keys, derives fields, checks rows as a whole."""

    def key(self, values: dict) -> Any:
        """The natural key that makes a re-import update instead of create."""
        raise NotImplementedError

    def keys(self, rows: Rows) -> list:
        return [self.key(rows.record(i)) for i in range(rows.count)]

    def existing(self, office: Office, keys: set) -> dict[Any, dict]:
        """Existing records by natural key: {key: {"id": …, field: value …}}."""
        raise NotImplementedError

    def foreign(self, office: Office, keys: set) -> set:
        """Keys that exist, but in an office the importer may not write to."""
        return set()

    def fields(self) -> list[str]:
        return [c.name for c in self.columns() if c.db]

    def __init_subclass__(cls, **kwargs):
        """Columns are built once per spec instance (their choice lookups cost)."""
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("columns")
        if build is None:
            return

        def columns(self, build=build):
            cached = self.__dict__.get("_columns")
            if cached is None:
                cached = self.__dict__["_columns"] = build(self)
            return cached

        cls.columns = columns

    def _existing_by(self, queryset, lookup: str, keys: set, key_of) -> dict:
        found: dict = {}
        names = ["id", *self.fields()]
        for chunk in values_in(queryset, lookup, keys):
            for row in chunk.values(*names):
                found[key_of(row)] = row
        return found


SEPARATOR = "\x1f"  # the ASCII unit separator: in no UID, e-mail or name


def values_in(queryset, lookup: str, values: Iterable):
    """`queryset` filtered to `lookup IN values`, as few querysets as it takes.

    On PostgreSQL one array parameter (`IN (SELECT unnest(%s))`) instead of one
    placeholder per value: building and parsing 100,000 placeholders costs seconds.
    """
    values = [v for v in set(values) if v]
    if not values:
        return []
    if connection.vendor == "postgresql" and all(SEPARATOR not in v for v in values):
        # One text parameter split on the server: cheaper than dumping an array.
        subquery = RawSQL(
            "SELECT unnest(string_to_array(%s, chr(31)))", [SEPARATOR.join(values)]
        )
        return [queryset.filter(**{f"{lookup}__in": subquery})]
    return [
        queryset.filter(**{f"{lookup}__in": values[start : start + 500]})
        for start in range(0, len(values), 500)
    ]


def _staff_lookup(office: Office, raw_values: Iterable[str]) -> dict[str, int]:
    """Staff of the office by username or e-mail (lower case)."""
    wanted = {str(v).strip().lower() for v in raw_values if v}
    if not wanted:
        return {}
    users = get_user_model().objects.filter(staff_profile__office=office)
    found = {}
    for pk, username, email in users.values_list("pk", "username", "email"):
        for name in (username.lower(), (email or "").lower()):
            if name in wanted:
                found[name] = pk
    return found


def _employer_ids_by_uid(office: Office, uids: Iterable[str]) -> dict[str, int]:
    found = {}
    for chunk in values_in(Employer.objects.for_office(office), "uid", uids):
        found.update(chunk.values_list("uid", "pk"))
    return found


def _resolve_employer_uid(rows: Rows, office: Office, column: str) -> list:
    uids = rows.values.pop(column)
    by_uid = _employer_ids_by_uid(office, uids)
    ids = []
    for index, uid in enumerate(uids):
        pk = by_uid.get(uid) if uid else None
        if uid and pk is None:
            rows.error(
                index,
                _("No employer of this office has the UID %(uid)s.") % {"uid": uid},
            )
        ids.append(pk)
    return ids


class EmployerSpec(Spec):
    name = "employers"
    model = Employer
    label = gettext_lazy("employers")
    derived = {"size_class": "fte"}  # noqa: RUF012

    def after_commit(self, office: Office, ids: list[int], created: list[int]) -> None:
        """The fuzzy duplicate scan (names, e-mail domains) runs as a task; new
        employers are looked up in the UID register, as one created in the admin
        is (suggestions for staff; nothing happens while it is not configured)."""
        if not ids:
            return
        from integrations.uid_register.services import uid_register_lookups_on_commit

        uid_register_lookups_on_commit(created)
        try:
            from crm.dedupe.tasks import duplicate_scan_task
        except ImportError:  # the duplicates app is not installed
            return
        transaction.on_commit(
            lambda: duplicate_scan_task.delay(office_id=office.pk, employer_ids=ids)
        )

    def columns(self) -> list[Column]:
        f = Employer._meta.get_field
        return [
            Column("uid", "UID", ("IDE", "IDI", "UID-Nummer", "No IDE"), cells.uid),
            Column(
                "legal_name",
                "Firma",
                ("Name", "Raison sociale", "Ragione sociale", "Legal name", "Company"),
                cells.text(max_length=255, required=True),
                required=True,
            ),
            Column(
                "legal_form",
                "Rechtsform",
                ("Forme juridique", "Forma giuridica", "Legal form"),
                cells.choice(
                    LegalForm.choices,
                    extra={
                        "AG": "ag",
                        "SA": "ag",
                        "GmbH": "gmbh",
                        "Sàrl": "gmbh",
                        "Sagl": "gmbh",
                        "Einzelunternehmen": "sole",
                        "Raison individuelle": "sole",
                        "Genossenschaft": "cooperative",
                        "Verein": "association",
                        "Stiftung": "foundation",
                    },
                ),
            ),
            Column(
                "register_status",
                "Registerstatus",
                ("Statut registre", "Register status"),
                cells.choice(RegisterStatus.choices),
            ),
            Column(
                "street",
                "Strasse",
                ("Rue", "Via", "Street", "Adresse", "Address", "Strasse Nr"),
                cells.text(max_length=200),
            ),
            Column(
                "postcode", "PLZ", ("NPA", "CAP", "Postcode", "Zip"), cells.postcode
            ),
            Column(
                "municipality",
                "Ort",
                ("Localité", "Localita", "Town", "City", "Gemeinde", "Commune"),
                cells.text(max_length=100),
            ),
            Column(
                "canton",
                "Kanton",
                ("Canton", "Cantone"),
                cells.choice(Canton.choices),
                required=True,
            ),
            Column(
                "phone",
                "Telefon",
                ("Téléphone", "Telefono", "Phone", "Tel"),
                cells.phone,
            ),
            Column("email", "E-Mail", ("Email", "Mail", "Courriel"), cells.email),
            Column(
                "website", "Website", ("Webseite", "Site web", "Internet"), cells.url
            ),
            Column(
                "noga_code", "NOGA", ("NOGA-Code", "Code NOGA", "NOGA code"), cells.noga
            ),
            Column(
                "sector_group",
                "Branche",
                ("Secteur", "Settore", "Sector", "Sector group"),
                cells.choice(SectorGroup.choices),
            ),
            Column(
                "fte",
                "Vollzeitstellen",
                ("EPT", "FTE", "VZÄ", "Stellen", "Equivalents plein temps"),
                cells.decimal(places=1, minimum=Decimal(0)),
            ),
            Column(
                "size_class",
                "Grössenklasse",
                ("Grösse", "Taille", "Size class", "Size"),
                cells.choice(SizeClass.choices),
            ),
            Column(
                "language_region",
                "Sprachregion",
                ("Région linguistique", "Regione linguistica", "Language region"),
                cells.choice(
                    LanguageRegion.choices, extra={"d": "de", "f": "fr", "i": "it"}
                ),
            ),
            Column(
                "company_language",
                "Firmensprache",
                ("Langue de l'entreprise", "Company language", "Sprache", "Langue"),
                cells.choice(CompanyLanguage.choices),
            ),
            Column(
                "relationship_status",
                "Beziehungsstatus",
                ("Statut de la relation", "Relationship status", "Status"),
                cells.choice(RelationshipStatus.choices),
            ),
            Column(
                "daily_sickness_insurer",
                "Krankentaggeldversicherer",
                ("KTG", "Assureur perte de gain", "Daily-sickness insurer"),
                cells.text(max_length=f("daily_sickness_insurer").max_length),
            ),
            Column(
                "pension_fund",
                "Pensionskasse",
                ("Caisse de pension", "Cassa pensione", "Pension fund"),
                cells.text(max_length=f("pension_fund").max_length),
            ),
            Column(
                "can_offer_adapted_work",
                "Angepasste Arbeit möglich",
                ("Travail adapté possible", "Can offer adapted work"),
                cells.boolean,
            ),
            Column(
                "occupations",
                "Berufsfelder",
                ("Métiers", "Occupations", "Berufe"),
                cells.text(),
            ),
        ]

    def resolve(self, rows: Rows, office: Office) -> None:
        v = rows.values
        n = rows.count
        for name in (
            "size_class",
            "language_region",
            "register_status",
            "relationship_status",
        ):
            v.setdefault(name, [""] * n)
        fte, size, canton, region = (
            v.get("fte"),
            v["size_class"],
            v["canton"],
            v["language_region"],
        )
        status, relation = v["register_status"], v["relationship_status"]
        for i in range(n):
            if not region[i] and canton[i]:
                region[i] = CANTON_REGION[canton[i]]
            if not status[i]:
                status[i] = RegisterStatus.ACTIVE
            if not relation[i]:
                relation[i] = RelationshipStatus.NEW
            if fte is not None and fte[i] is not None:
                expected = SizeClass.for_fte(fte[i])
                if not size[i]:
                    size[i] = expected
                elif size[i] != expected:
                    rows.error(
                        i,
                        _("%(fte)s FTE is a %(expected)s employer, not %(given)s.")
                        % {
                            "fte": fte[i],
                            "expected": expected.label,
                            "given": SizeClass(size[i]).label,
                        },
                    )

    def keys(self, rows: Rows) -> list:
        """The UID where there is one (column-wise), else name and postcode."""
        uids = rows.values.get("uid") or [None] * rows.count
        return [uid or self.key(rows.record(i)) for i, uid in enumerate(uids)]

    def key(self, values: dict) -> Any:
        if values.get("uid"):
            return values["uid"]
        return (
            "name",
            header_key(values.get("legal_name") or ""),
            values.get("postcode") or "",
        )

    def existing(self, office: Office, keys: set) -> dict:
        uids = {k for k in keys if isinstance(k, str)}
        found = self._existing_by(
            Employer.objects.filter(office=office), "uid", uids, lambda r: r["uid"]
        )
        names = {k for k in keys if isinstance(k, tuple)}
        if names:
            rows = Employer.objects.filter(office=office, uid__isnull=True).values(
                "id", *self.fields()
            )
            for row in rows:
                key = self.key(row)
                if key in names:
                    found[key] = row
        return found

    def foreign(self, office: Office, keys: set) -> set:
        uids = [k for k in keys if isinstance(k, str)]
        taken: set = set()
        for chunk in values_in(Employer.objects.exclude(office=office), "uid", uids):
            taken.update(chunk.values_list("uid", flat=True))
        return taken


class PersonSpec(Spec):
    """Contact persons, each with a role at the employer named by its UID."""

    name = "persons"
    model = ContactPerson
    label = gettext_lazy("contact persons")

    def after_write(
        self, rows: Rows, index_ids: dict[int, int], office: Office
    ) -> None:
        """Each person gets (or keeps) a role at the employer named in its row."""
        employer_ids = rows.values.get("employer_id")
        if not employer_ids:
            return
        functions = rows.values.get("function") or [""] * rows.count
        wanted = {}
        for index, person_id in index_ids.items():
            if employer_ids[index]:
                wanted[(employer_ids[index], person_id)] = functions[index] or ""
        existing = {
            (r.employer_id, r.person_id): r
            for r in EmployerRole.objects.filter(person_id__in={p for _e, p in wanted})
        }
        new, changed = [], []
        for (employer_id, person_id), function in wanted.items():
            role = existing.get((employer_id, person_id))
            if role is None:
                new.append(
                    EmployerRole(
                        employer_id=employer_id,
                        person_id=person_id,
                        function=function or PersonFunction.OTHER,
                    )
                )
            elif function and role.function != function:
                role.function = function
                changed.append(role)
        EmployerRole.objects.bulk_create(new, batch_size=2000)
        EmployerRole.objects.bulk_update(changed, ["function"], batch_size=2000)

    def columns(self) -> list[Column]:
        return [
            Column(
                "first_name",
                "Vorname",
                ("Prénom", "Nome", "First name"),
                cells.text(max_length=100, required=True),
                required=True,
            ),
            Column(
                "last_name",
                "Nachname",
                ("Nom", "Cognome", "Last name", "Name"),
                cells.text(max_length=100, required=True),
                required=True,
            ),
            Column("email", "E-Mail", ("Email", "Mail", "Courriel"), cells.email),
            Column("phone", "Telefon", ("Téléphone", "Telefono", "Phone"), cells.phone),
            Column(
                "mobile",
                "Mobile",
                ("Natel", "Handy", "Portable", "Cellulare"),
                cells.phone,
            ),
            Column(
                "languages",
                "Sprachen",
                ("Langues", "Lingue", "Languages", "Sprache"),
                _languages_clean,
            ),
            Column(
                "employer_uid",
                "UID",
                ("IDE", "Arbeitgeber UID", "Employer UID"),
                cells.uid,
                db=False,
            ),
            Column(
                "function",
                "Funktion",
                ("Fonction", "Funzione", "Function", "Role"),
                cells.choice(PersonFunction.choices),
                db=False,
            ),
        ]

    def resolve(self, rows: Rows, office: Office) -> None:
        if "employer_uid" in rows.values:
            rows.values["employer_id"] = _resolve_employer_uid(
                rows, office, "employer_uid"
            )
        rows.values.setdefault("languages", [[] for _i in range(rows.count)])

    def key(self, values: dict) -> Any:
        if values.get("email"):
            return values["email"]
        return (
            "name",
            header_key(values.get("first_name") or ""),
            header_key(values.get("last_name") or ""),
            values.get("employer_id"),
        )

    def existing(self, office: Office, keys: set) -> dict:
        emails = {k for k in keys if isinstance(k, str)}
        found = self._existing_by(
            ContactPerson.objects.filter(office=office),
            "email",
            emails,
            lambda r: r["email"],
        )
        names = [k for k in keys if isinstance(k, tuple)]
        if names:
            people = ContactPerson.objects.filter(office=office, email="")
            for row in people.values("id", "employers", *self.fields()):
                key = (
                    "name",
                    header_key(row["first_name"]),
                    header_key(row["last_name"]),
                    row.pop("employers"),
                )
                found.setdefault(key, row)
        return found


def _languages_clean(raw) -> list[str]:
    single = cells.choice(
        Language.choices, extra={"d": "de", "f": "fr", "i": "it", "e": "en"}
    )
    text = cells._text(raw)
    if not text:
        return []
    parts = [
        p for p in text.replace(";", ",").replace("/", ",").split(",") if p.strip()
    ]
    return sorted({single(p) for p in parts})


class ContactSpec(Spec):
    name = "contacts"
    model = Contact
    label = gettext_lazy("contacts")
    derived = {"employer_id": "employer_uid", "staff_id": "staff_login"}  # noqa: RUF012

    def after_write(
        self, rows: Rows, index_ids: dict[int, int], office: Office
    ) -> None:
        """Last contact, due dates and the quality score follow the new contacts."""
        from crm.services.contacts import employer_contact_stats_refresh

        ids = {rows.values["employer_id"][i] for i in index_ids}
        for employer in Employer.objects.filter(pk__in=ids):
            employer_contact_stats_refresh(employer)

    def columns(self) -> list[Column]:
        return [
            Column(
                "employer_uid",
                "UID",
                ("IDE", "Arbeitgeber UID", "Employer UID"),
                cells.uid,
                required=True,
                db=False,
            ),
            Column("occurred_on", "Datum", ("Date", "Data"), cells.day, required=True),
            Column(
                "staff_login",
                "Mitarbeiter",
                ("Collaborateur", "Staff", "Benutzer"),
                cells.text(required=True),
                required=True,
                db=False,
            ),
            Column(
                "channel",
                "Kanal",
                ("Canal", "Canale", "Channel"),
                cells.choice(Contact.Channel.choices, extra=CHANNEL_WORDS),
                required=True,
            ),
            Column(
                "case_related",
                "Fallbezogen",
                ("Lié à un cas", "Case-related"),
                cells.boolean,
            ),
            Column(
                "initiated_by",
                "Initiiert von",
                ("Initié par", "Initiated by"),
                cells.choice(Contact.InitiatedBy.choices),
            ),
            Column("outcome", "Ergebnis", ("Résultat", "Outcome"), cells.text()),
            Column(
                "notes", "Notizen", ("Notes", "Bemerkungen", "Remarques"), cells.text()
            ),
        ]

    def resolve(self, rows: Rows, office: Office) -> None:
        v = rows.values
        v["employer_id"] = _resolve_employer_uid(rows, office, "employer_uid")
        logins = v.pop("staff_login")
        staff = _staff_lookup(office, logins)
        v["staff_id"] = []
        for i, login in enumerate(logins):
            pk = staff.get((login or "").lower())
            if login and pk is None:
                rows.error(
                    i,
                    _("No staff member of this office is called %(name)s.")
                    % {"name": login},
                )
            v["staff_id"].append(pk)
        v.setdefault("initiated_by", ["office"] * rows.count)
        v["initiated_by"] = [x or "office" for x in v["initiated_by"]]
        v["office_id"] = [office.pk] * rows.count
        v.setdefault("case_related", [False] * rows.count)

    def fields(self) -> list[str]:
        return [*super().fields(), "employer_id", "staff_id", "office_id"]

    def key(self, values: dict) -> Any:
        return (
            values.get("employer_id"),
            values.get("occurred_on"),
            values.get("channel"),
            values.get("staff_id"),
            (values.get("outcome") or "")[:200],
        )

    def existing(self, office: Office, keys: set) -> dict:
        employer_ids = {k[0] for k in keys if k[0]}
        found = {}
        qs = Contact.objects.filter(office=office, employer_id__in=employer_ids)
        for row in qs.values("id", *self.fields()):
            found.setdefault(self.key(row), row)
        return found


class OpportunitySpec(Spec):
    name = "opportunities"
    model = JobOpportunity
    label = gettext_lazy("job opportunities")
    derived = {"employer_id": "employer_uid"}  # noqa: RUF012

    def columns(self) -> list[Column]:
        J = JobOpportunity
        return [
            Column(
                "employer_uid",
                "UID",
                ("IDE", "Arbeitgeber UID", "Employer UID"),
                cells.uid,
                required=True,
                db=False,
            ),
            Column(
                "kind",
                "Art",
                ("Type", "Tipo", "Kind"),
                cells.choice(J.Kind.choices),
                required=True,
            ),
            Column(
                "title",
                "Stelle",
                ("Poste", "Posto", "Title", "Job title", "Titel"),
                cells.text(max_length=200, required=True),
                required=True,
            ),
            Column(
                "occupation",
                "Beruf",
                ("Métier", "Professione", "Occupation"),
                cells.text(max_length=200),
            ),
            Column(
                "region", "Region", ("Région", "Regione"), cells.text(max_length=100)
            ),
            Column(
                "workload_percent",
                "Pensum",
                ("Taux", "Grado", "Workload"),
                cells.integer(minimum=5, maximum=100),
            ),
            Column("start_on", "Beginn", ("Début", "Inizio", "Start"), cells.day),
            Column(
                "status", "Status", ("Statut", "Stato"), cells.choice(J.Status.choices)
            ),
            Column(
                "description",
                "Beschreibung",
                ("Description", "Descrizione"),
                cells.text(),
            ),
        ]

    def resolve(self, rows: Rows, office: Office) -> None:
        v = rows.values
        v["employer_id"] = _resolve_employer_uid(rows, office, "employer_uid")
        v["office_id"] = [office.pk] * rows.count
        v.setdefault("status", ["open"] * rows.count)
        v["status"] = [s or "open" for s in v["status"]]
        v["source"] = ["staff"] * rows.count

    def fields(self) -> list[str]:
        return [*super().fields(), "employer_id", "office_id", "source"]

    def key(self, values: dict) -> Any:
        return (
            values.get("employer_id"),
            values.get("kind"),
            header_key(values.get("title") or ""),
            values.get("start_on"),
        )

    def existing(self, office: Office, keys: set) -> dict:
        found = {}
        ids = {k[0] for k in keys if k[0]}
        qs = JobOpportunity.objects.filter(office=office, employer_id__in=ids)
        for row in qs.values("id", *self.fields()):
            found.setdefault(self.key(row), row)
        return found


class PartnerSpec(Spec):
    name = "partners"
    model = PartnerOrganisation
    label = gettext_lazy("partner organisations")

    def columns(self) -> list[Column]:
        P = PartnerOrganisation
        return [
            Column(
                "name",
                "Name",
                ("Nom", "Nome", "Organisation", "Firma"),
                cells.text(max_length=200, required=True),
                required=True,
            ),
            Column(
                "kind",
                "Typ",
                ("Type", "Tipo", "Art", "Kind"),
                cells.choice(P.Kind.choices),
                required=True,
            ),
            Column(
                "municipality",
                "Ort",
                ("Localité", "Località", "Town"),
                cells.text(max_length=100),
            ),
            Column(
                "phone",
                "Telefon",
                ("Téléphone", "Telefono", "Phone"),
                cells.text(max_length=30),
            ),
            Column("email", "E-Mail", ("Email", "Courriel"), cells.email),
            Column("website", "Website", ("Site web", "Internet"), cells.url),
            Column("notes", "Notizen", ("Notes", "Bemerkungen"), cells.text()),
        ]

    def resolve(self, rows: Rows, office: Office) -> None:
        rows.values["office_id"] = [office.pk] * rows.count

    def fields(self) -> list[str]:
        return [*super().fields(), "office_id"]

    def key(self, values: dict) -> Any:
        return (header_key(values.get("name") or ""), values.get("kind"))

    def existing(self, office: Office, keys: set) -> dict:
        found = {}
        for row in PartnerOrganisation.objects.filter(office=office).values(
            "id", *self.fields()
        ):
            found.setdefault(self.key(row), row)
        return found


SPECS: dict[str, type[Spec]] = {
    spec.name: spec
    for spec in (EmployerSpec, PersonSpec, ContactSpec, OpportunitySpec, PartnerSpec)
}


def spec_get(name: str) -> Spec:
    try:
        return SPECS[name]()
    except KeyError:
        raise CellError(
            _("Unknown resource %(name)s; choose one of: %(names)s.")
            % {"name": name, "names": ", ".join(SPECS)}
        ) from None
