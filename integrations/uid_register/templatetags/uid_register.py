"""`{% uid_register_panel employer %}`: the UID register panel of the employer page."""

from django import template

from ..client import uid_register_enabled
from ..selectors import suggestion_changes, suggestion_pending, suggestions_for

register = template.Library()


@register.inclusion_tag("uid_register/includes/employer_panel.html", takes_context=True)
def uid_register_panel(context, employer) -> dict:
    """Shown while the register is configured, or while a suggestion still waits."""
    request = context["request"]
    latest = next(iter(suggestions_for(employer, limit=1)), None)
    pending = suggestion_pending(employer)
    enabled = uid_register_enabled()
    return {
        "show": enabled or pending is not None,
        "enabled": enabled,
        "employer": employer,
        "latest": latest,
        "pending": pending,
        "changed_count": len(suggestion_changes(pending, employer)) if pending else 0,
        "can_change": request.user.has_perm("crm.change_employer"),
        "csrf_token": context.get("csrf_token"),
    }
