from .newsletter import Delivery, Newsletter, NewsletterVersion, TrackingEvent
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
