from .newsletter import (
    BatchLease,
    Delivery,
    Newsletter,
    NewsletterVersion,
    TrackingEvent,
)
from .outreach import OutreachCampaign, OutreachTarget
from .segment import Segment
from .subscription import (
    LegalBasis,
    MailingList,
    MailSettings,
    Subscription,
    SubscriptionSource,
    Suppression,
)

__all__ = [
    "BatchLease",
    "Delivery",
    "LegalBasis",
    "MailSettings",
    "MailingList",
    "Newsletter",
    "NewsletterVersion",
    "OutreachCampaign",
    "OutreachTarget",
    "Segment",
    "Subscription",
    "SubscriptionSource",
    "Suppression",
    "TrackingEvent",
]
