from .choices import (
    Canton,
    CompanyLanguage,
    CooperationType,
    Intensity,
    Language,
    LanguageRegion,
    LegalForm,
    PersonFunction,
    RegisterStatus,
    RelationshipStatus,
    SectorGroup,
    SizeClass,
    StaffRole,
)
from .employer import CooperationAssessment, Employer
from .office import Office, StaffProfile, Team
from .person import ContactPerson, EmployerRole

__all__ = [
    "Canton",
    "CompanyLanguage",
    "ContactPerson",
    "CooperationAssessment",
    "CooperationType",
    "Employer",
    "EmployerRole",
    "Intensity",
    "Language",
    "LanguageRegion",
    "LegalForm",
    "Office",
    "PersonFunction",
    "RegisterStatus",
    "RelationshipStatus",
    "SectorGroup",
    "SizeClass",
    "StaffProfile",
    "StaffRole",
    "Team",
]
