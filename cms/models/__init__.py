from .pages import (
    Area,
    ContactDirectoryPage,
    DirectoryEntry,
    HomePage,
    InformationPage,
    InstrumentPage,
    NewsIndexPage,
    NewsPage,
)
from .portal import (
    AccessRequest,
    ChangeProposal,
    PortalAccount,
    PortalInvitation,
    ReviewStatus,
    StaffCard,
)

__all__ = [
    "AccessRequest",
    "Area",
    "ChangeProposal",
    "ContactDirectoryPage",
    "DirectoryEntry",
    "HomePage",
    "InformationPage",
    "InstrumentPage",
    "NewsIndexPage",
    "NewsPage",
    "PortalAccount",
    "PortalInvitation",
    "ReviewStatus",
    "StaffCard",
]
