from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device


class StaffTwoFactorMiddleware:
    """Staff who set up a TOTP device must confirm a code before using the admin.

    Two-factor login is optional per person (issue 3); once a device is confirmed it
    is enforced on every admin request of a session that has not been verified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path.startswith("/admin/")
            and not user.is_verified()
            and not request.path.startswith(self._exempt_paths())
            and user_has_device(user, confirmed=True)
        ):
            return redirect(f"{reverse('core_2fa_verify')}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _exempt_paths() -> tuple[str, ...]:
        return (
            reverse("core_2fa_verify"),
            reverse("wagtailadmin_logout"),
            reverse("wagtailadmin_login"),
        )
