"""Writes for staff profiles: the role decides the user's permissions (crm/roles.py)."""

from django.db import transaction

from ..models import StaffProfile
from ..roles import staff_role_apply


@transaction.atomic
def staff_profile_save(*, profile: StaffProfile) -> StaffProfile:
    profile.full_clean()
    profile.save()
    staff_role_apply(profile.user, profile.role)
    return profile
