"""django-import-export resources: the peer Passerelle's import is measured against.

`EmployerResource` is how a django-import-export user would import the same file
(the same columns, office and derived fields set before saving). `bench import`
runs its `import_data` beside Passerelle's own path; Passerelle keeps
django-import-export's formats but not its row-by-row write path, which costs one
SELECT and one INSERT/UPDATE per row (DESIGN.md: ≈ 700 rows/s). The `use_bulk`
variants below are the peer's own faster options (`use_bulk` is a Meta option in
django-import-export 4; `import_data(use_bulk=True)` would be ignored).
"""

from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

from crm.models import Employer, SizeClass
from crm.validators import uid_normalise

from .specs import CANTON_REGION


class EmployerResource(resources.ModelResource):
    uid = fields.Field(attribute="uid", column_name="UID")
    legal_name = fields.Field(attribute="legal_name", column_name="Firma")
    street = fields.Field(attribute="street", column_name="Strasse")
    postcode = fields.Field(attribute="postcode", column_name="PLZ")
    municipality = fields.Field(attribute="municipality", column_name="Ort")
    canton = fields.Field(attribute="canton", column_name="Kanton")
    noga_code = fields.Field(attribute="noga_code", column_name="NOGA")
    fte = fields.Field(
        attribute="fte", column_name="Vollzeitstellen", widget=widgets.DecimalWidget()
    )
    email = fields.Field(attribute="email", column_name="E-Mail")

    def __init__(self, office=None, **kwargs):
        super().__init__(**kwargs)
        self.office = office

    class Meta:
        model = Employer
        import_id_fields = ("uid",)
        fields = (
            "uid",
            "legal_name",
            "street",
            "postcode",
            "municipality",
            "canton",
            "noga_code",
            "fte",
            "email",
        )

    def before_import_row(self, row, **kwargs):
        row["UID"] = uid_normalise(row.get("UID") or "")

    def before_save_instance(self, instance, row, **kwargs):
        instance.office = self.office
        instance.language_region = CANTON_REGION.get(instance.canton, "de")
        if instance.fte is not None:
            instance.size_class = SizeClass.for_fte(instance.fte)


class EmployerBulkResource(EmployerResource):
    """The peer with `use_bulk`: `bulk_create` / `bulk_update` in batches of 1,000
    (still one SELECT per row to find the existing employer)."""

    class Meta(EmployerResource.Meta):
        use_bulk = True


class EmployerBulkCachedResource(EmployerResource):
    """The peer at its fastest: `use_bulk` and the cached instance loader, which
    loads the dataset's existing employers in one query instead of one a row."""

    class Meta(EmployerResource.Meta):
        use_bulk = True
        instance_loader_class = CachedInstanceLoader
