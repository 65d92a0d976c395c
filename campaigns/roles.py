"""What each staff role may do in campaigns, added to crm.roles' one table.

Marketing (communications) writes lists, segments and newsletters; acquisition runs
outreach campaigns; everyone assigned to a campaign may record outcomes.
"""

from crm.models import StaffRole


def _crud(*models: str) -> list[str]:
    return [f"campaigns.{a}_{m}" for m in models for a in ("view", "add", "change")]


MARKETING = _crud("mailinglist", "subscription", "suppression", "segment", "newsletter")
MARKETING += ["campaigns.view_mailsettings", "campaigns.change_mailsettings"]
OUTREACH = _crud("outreachcampaign") + [
    "campaigns.view_outreachtarget",
    "campaigns.change_outreachtarget",
    "campaigns.view_segment",
]
OUTREACH_WORK = [
    "campaigns.view_outreachcampaign",
    "campaigns.view_outreachtarget",
    "campaigns.change_outreachtarget",
]

CAMPAIGN_ROLE_PERMISSIONS: dict[str, list[str]] = {
    StaffRole.COMMUNICATIONS: MARKETING + OUTREACH,
    StaffRole.ACQUISITION: OUTREACH + _crud("segment"),
    StaffRole.TEAM_LEAD: MARKETING + OUTREACH,
    StaffRole.OFFICE_HEAD: MARKETING + OUTREACH,
    StaffRole.INTEGRATION: OUTREACH_WORK,
    StaffRole.PLACEMENT: OUTREACH_WORK,
}


def campaign_roles_register() -> None:
    from crm import roles

    for role, names in CAMPAIGN_ROLE_PERMISSIONS.items():
        current = roles.ROLE_PERMISSIONS[role]
        roles.ROLE_PERMISSIONS[role] = current + [n for n in names if n not in current]


def campaign_roles_sync(**_kwargs) -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from crm.roles import roles_sync_groups

    create_permissions(apps.get_app_config("campaigns"), verbosity=0)
    roles_sync_groups()
