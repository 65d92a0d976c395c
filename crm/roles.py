"""Who may do what: staff roles mapped to Wagtail/Django permissions, in one table.

Each role is a Django group ("Role: …") kept in step with this table after every
migrate. A staff profile's role decides its user's single role group; office scoping
(crm/querysets.py) then limits *which* records those permissions apply to.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from .models.choices import StaffRole

ADMIN = ["wagtailadmin.access_admin"]
VIEW = ["crm.view_employer", "crm.view_contactperson", "crm.view_employerrole"]
EDIT = [
    "crm.add_employer",
    "crm.change_employer",
    "crm.add_contactperson",
    "crm.change_contactperson",
    "crm.add_employerrole",
    "crm.change_employerrole",
    "crm.delete_employerrole",
    "crm.add_cooperationassessment",
]
DELETE = ["crm.delete_employer", "crm.delete_contactperson"]
EXPORT = ["crm.export_employer"]
MERGE = ["crm.merge_employer"]
CASE_RELATED = ["crm.view_case_related"]
# Everyone who works with employers logs contacts and keeps their follow-ups.
CONTACTS = [
    "crm.view_contact",
    "crm.add_contact",
    "crm.view_followup",
    "crm.change_followup",
]
# The employer portal's queues (requests, job opportunities, proposed changes,
# access requests): everyone sees them; who may edit employers also works them.
PORTAL_VIEW = [
    "crm.view_request",
    "crm.view_jobopportunity",
    "cms.view_changeproposal",
    "cms.view_accessrequest",
    "cms.view_portalinvitation",
]
PORTAL_WORK = [
    "crm.change_request",
    "crm.add_jobopportunity",  # places recorded by staff (source "staff")
    "crm.change_jobopportunity",
    "cms.change_changeproposal",
    "cms.change_accessrequest",
    "cms.add_portalinvitation",
]
# Partners, agreements and complaints: everyone sees them, editors keep them.
NETWORK_VIEW = [
    "crm.view_partnerorganisation",
    "crm.view_partnercontact",
    "crm.view_agreement",
    "crm.view_complaint",
]
NETWORK_WORK = [
    "crm.add_partnerorganisation",
    "crm.change_partnerorganisation",
    "crm.add_partnercontact",
    "crm.change_partnercontact",
    "crm.delete_partnercontact",
    "crm.add_agreement",
    "crm.change_agreement",
    "crm.add_complaint",
    "crm.change_complaint",
    "crm.add_request",  # phone, e-mail and hotline requests entered by staff
]
# Cases: only roles that see case-related items; of those, editors record them.
CASES_VIEW = [
    "crm.view_casereference",
    "crm.view_earlydetectionreport",
    "crm.view_measure",
    "crm.view_placement",
    "crm.view_handover",
]
CASES_WORK = [
    "crm.add_casereference",
    "crm.change_casereference",
    "crm.add_earlydetectionreport",
    "crm.change_earlydetectionreport",
    "crm.add_measure",
    "crm.change_measure",
    "crm.add_placement",
    "crm.change_placement",
    "crm.add_handover",
    "crm.change_handover",
]
APPROVE = ["crm.approve_measure"]
# REST API tokens of the office (Settings → API tokens): the office head issues and
# revokes them for the office's case-management and other systems.
API_TOKENS = ["api.view_apitoken", "api.add_apitoken", "api.change_apitoken"]
# The office's own rules (decision limit, durations, windows; Settings → Office
# rules): the office head sets them for their office only.
OFFICE_RULES = ["crm.change_office_rules"]
CASE_RELATED += CASES_VIEW
STAFF = ADMIN + CONTACTS + PORTAL_VIEW + NETWORK_VIEW
EDIT += PORTAL_WORK + NETWORK_WORK

#: role → permissions. Read across: edit, export, merge, see case-related items.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    StaffRole.INTEGRATION: STAFF + VIEW + EDIT + EXPORT + CASE_RELATED + CASES_WORK,
    StaffRole.PLACEMENT: STAFF + VIEW + EDIT + EXPORT + CASE_RELATED + CASES_WORK,
    StaffRole.ACQUISITION: STAFF + VIEW + EDIT + EXPORT,
    StaffRole.CASE_OFFICER: STAFF + VIEW + CASE_RELATED,
    StaffRole.TEAM_LEAD: STAFF
    + VIEW
    + EDIT
    + DELETE
    + EXPORT
    + MERGE
    + CASE_RELATED
    + CASES_WORK
    + APPROVE,
    StaffRole.OFFICE_HEAD: STAFF
    + VIEW
    + EDIT
    + DELETE
    + EXPORT
    + MERGE
    + CASE_RELATED
    + CASES_WORK
    + APPROVE
    + API_TOKENS
    + OFFICE_RULES,
    StaffRole.COMMUNICATIONS: STAFF + VIEW + EXPORT,
}


def role_group_name(role: str) -> str:
    return f"Role: {StaffRole(role).label}"


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.extend(
            Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        )
    return found


def roles_sync_groups(**_kwargs) -> None:
    """Creates or updates one group per role with exactly the table's permissions."""
    # post_migrate reaches us before auth has made this app's permissions: make them.
    for label in ("crm", "cms", "wagtailadmin", "api"):
        create_permissions(apps.get_app_config(label), verbosity=0)
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role_group_name(role))
        group.permissions.set(_permissions(names))


def staff_role_apply(user, role: str) -> None:
    """Puts the user in their role's group and in no other role group."""
    role_groups = Group.objects.filter(name__startswith="Role: ")
    user.groups.remove(*role_groups)
    group, _created = Group.objects.get_or_create(name=role_group_name(role))
    if not group.permissions.exists():
        roles_sync_groups()
    user.groups.add(group)
