"""Enumerations from the study (employer-cooperation-study.md §1, §7), each once."""

from django.db import models
from django.utils.translation import gettext_lazy as _

#: Help text of every free-text field staff fill in about a case or a contact: the
#: CRM is not a case file (issue 7), so the fields themselves say it.
NO_HEALTH_DATA = _(
    "No health data: no diagnosis, illness, treatment or medical details; these "
    "belong in the case-management system."
)


class Canton(models.TextChoices):
    AG = "AG", _("Aargau")
    AI = "AI", _("Appenzell Innerrhoden")
    AR = "AR", _("Appenzell Ausserrhoden")
    BE = "BE", _("Bern")
    BL = "BL", _("Basel-Landschaft")
    BS = "BS", _("Basel-Stadt")
    FR = "FR", _("Fribourg")
    GE = "GE", _("Geneva")
    GL = "GL", _("Glarus")
    GR = "GR", _("Graubünden")
    JU = "JU", _("Jura")
    LU = "LU", _("Lucerne")
    NE = "NE", _("Neuchâtel")
    NW = "NW", _("Nidwalden")
    OW = "OW", _("Obwalden")
    SG = "SG", _("St. Gallen")
    SH = "SH", _("Schaffhausen")
    SO = "SO", _("Solothurn")
    SZ = "SZ", _("Schwyz")
    TG = "TG", _("Thurgau")
    TI = "TI", _("Ticino")
    UR = "UR", _("Uri")
    VD = "VD", _("Vaud")
    VS = "VS", _("Valais")
    ZG = "ZG", _("Zug")
    ZH = "ZH", _("Zurich")


class Language(models.TextChoices):
    DE = "de", _("German")
    FR = "fr", _("French")
    IT = "it", _("Italian")
    EN = "en", _("English")


class LanguageRegion(models.TextChoices):
    DE = "de", _("German-speaking Switzerland")
    FR = "fr", _("French-speaking Switzerland")
    IT = "it", _("Italian-speaking Switzerland")


class SizeClass(models.TextChoices):
    """By full-time equivalents (FTE), as the study and the BFS use them."""

    MICRO = "micro", _("micro (1–9 FTE)")
    SMALL = "small", _("small (10–49 FTE)")
    MEDIUM = "medium", _("medium (50–249 FTE)")
    LARGE = "large", _("large (250+ FTE)")

    @classmethod
    def for_fte(cls, fte) -> "SizeClass":
        if fte < 10:
            return cls.MICRO
        if fte < 50:
            return cls.SMALL
        if fte < 250:
            return cls.MEDIUM
        return cls.LARGE


class SectorGroup(models.TextChoices):
    """The ten sector groups of the study's Tab. 1 (NOGA 2008 sections rolled up)."""

    MANUFACTURING = "manufacturing", _("Manufacturing / industry")
    PUBLIC = "public", _("Public administration, health, social services, education")
    TRADE = "trade", _("Trade, transport, storage")
    CONSTRUCTION = "construction", _("Construction")
    OTHER_SERVICES = "other_services", _("Other services")
    FINANCE = "finance", _("Finance / insurance")
    ICT = "ict", _("Information and communication")
    HOSPITALITY = "hospitality", _("Hospitality")
    PROFESSIONAL = "professional", _("Professional, scientific, technical services")
    REAL_ESTATE = "real_estate", _("Real estate")


class LegalForm(models.TextChoices):
    AG = "ag", _("Company limited by shares (AG/SA)")
    GMBH = "gmbh", _("Limited liability company (GmbH/Sàrl)")
    SOLE = "sole", _("Sole proprietorship")
    COOPERATIVE = "cooperative", _("Cooperative")
    ASSOCIATION = "association", _("Association")
    FOUNDATION = "foundation", _("Foundation")
    PARTNERSHIP = "partnership", _("General or limited partnership")
    PUBLIC = "public", _("Public-law body")
    BRANCH = "branch", _("Branch of a foreign company")
    OTHER = "other", _("Other")


class RegisterStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    LIQUIDATION = "liquidation", _("in liquidation")
    DELETED = "deleted", _("deleted")


class RelationshipStatus(models.TextChoices):
    """Neuaufbau / aktiv / Reaktivierung / ruhend / Akquise eingestellt."""

    NEW = "new", _("new")
    ACTIVE = "active", _("active")
    REACTIVATION = "reactivation", _("reactivation")
    DORMANT = "dormant", _("dormant")
    STOPPED = "stopped", _("acquisition stopped")

    @classmethod
    def portfolio(cls) -> list[str]:
        """Statuses whose employers count for the case-independent contact rule."""
        return [cls.NEW, cls.ACTIVE, cls.REACTIVATION]


class ContactStatus(models.TextChoices):
    """Where a portfolio employer stands with the office's case-independent contact rule
    (e.g. due after 12 months, overdue after 36: "never more than 3 years without one").
    """

    OK = "ok", _("up to date")
    DUE = "due", _("contact due")
    OVERDUE = "overdue", _("contact overdue")


class CooperationType(models.TextChoices):
    A = "A", _("A – innovation-oriented")
    B = "B", _("B – coordination-oriented")
    C = "C", _("C – request-oriented")


class Intensity(models.TextChoices):
    INFORM = "inform", _("inform")
    ALIGN = "align", _("align")
    COLLABORATE = "collaborate", _("collaborate")


class CompanyLanguage(models.TextChoices):
    DE = "de", _("German")
    FR = "fr", _("French")
    IT = "it", _("Italian")
    EN = "en", _("English")
    RM = "rm", _("Romansh")


class PersonFunction(models.TextChoices):
    CEO = "ceo", _("management / CEO")
    HR = "hr", _("human resources")
    LINE_MANAGER = "line_manager", _("line manager")
    SECRETARIAT = "secretariat", _("secretariat")
    DISABILITY_MANAGER = "disability_manager", _("disability / case manager")
    OTHER = "other", _("other")


class StaffRole(models.TextChoices):
    INTEGRATION = "integration", _("integration specialist")
    PLACEMENT = "placement", _("job placement")
    ACQUISITION = "acquisition", _("acquisition")
    CASE_OFFICER = "case_officer", _("case officer")
    TEAM_LEAD = "team_lead", _("team lead")
    OFFICE_HEAD = "office_head", _("office head")
    COMMUNICATIONS = "communications", _("communications")
