from .case import CaseReference, EarlyDetectionReport, LoadLevel
from .choices import (
    NO_HEALTH_DATA,
    Canton,
    CompanyLanguage,
    ContactStatus,
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
from .complaint import Complaint
from .contact import (
    QUALITY_MARK_NAMES,
    QUALITY_MARKS,
    Channel,
    Contact,
    ContactQualityRating,
    FollowUp,
    InitiatedBy,
    StartingPoint,
    Topic,
)
from .employer import CooperationAssessment, Employer
from .measure import Measure
from .office import Office, StaffProfile, Team
from .opportunity import JobOpportunity
from .partner import Agreement, Handover, PartnerContact, PartnerOrganisation
from .person import ContactPerson, EmployerRole
from .placement import Placement
from .request import Request

__all__ = [
    "NO_HEALTH_DATA",
    "QUALITY_MARKS",
    "QUALITY_MARK_NAMES",
    "Agreement",
    "CaseReference",
    "Complaint",
    "EarlyDetectionReport",
    "Handover",
    "LoadLevel",
    "Measure",
    "PartnerContact",
    "PartnerOrganisation",
    "Placement",
    "Canton",
    "Channel",
    "CompanyLanguage",
    "Contact",
    "ContactPerson",
    "ContactQualityRating",
    "ContactStatus",
    "CooperationAssessment",
    "CooperationType",
    "Employer",
    "EmployerRole",
    "FollowUp",
    "InitiatedBy",
    "Intensity",
    "JobOpportunity",
    "Language",
    "LanguageRegion",
    "LegalForm",
    "Office",
    "PersonFunction",
    "RegisterStatus",
    "RelationshipStatus",
    "Request",
    "SectorGroup",
    "SizeClass",
    "StaffProfile",
    "StaffRole",
    "StartingPoint",
    "Team",
    "Topic",
]
