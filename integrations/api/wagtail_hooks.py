from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .viewsets import ApiTokenViewSet


@hooks.register("register_admin_viewset")
def register_api_token_viewset():
    return ApiTokenViewSet()


@hooks.register("register_log_actions")
def register_api_log_actions(actions):
    from django.utils.translation import gettext_lazy as _

    @actions.register_action("api.token_revoke")
    class TokenRevoke(LogFormatter):
        label = _("Revoke API token")
        message = _("Revoked")
