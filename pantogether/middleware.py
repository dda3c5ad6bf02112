"""Response headers and session limits that Django does not set by itself."""

import logging
import time

from django.conf import settings
from django.contrib.auth import logout

from .security import SESSION_STARTED_KEY

security_log = logging.getLogger("pantogether.security")

# Browser features the portal never uses, all denied. A view that needs one
# (the directory's nearest-centre search asks for the location, when the user
# clicks) sets its own header, which this middleware leaves alone.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "clipboard-read",
        "clipboard-write",
        "compute-pressure",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "identity-credentials-get",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "picture-in-picture",
        "publickey-credentials-create",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "storage-access",
        "sync-xhr",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    )
)
GEOLOCATION_SELF = PERMISSIONS_POLICY.replace("geolocation=()", "geolocation=(self)")


class SecurityHeadersMiddleware:
    """Permissions-Policy and Cross-Origin-Resource-Policy on every response.

    The other security headers come from Django's SecurityMiddleware
    (HSTS, nosniff, Referrer-Policy, Cross-Origin-Opener-Policy), django-csp
    (Content-Security-Policy) and XFrameOptionsMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class StaffSessionLimitMiddleware:
    """End an authenticated session 12 hours after login, however active.

    The idle limit (30 minutes) is SESSION_COOKIE_AGE with
    SESSION_SAVE_EVERY_REQUEST: each request pushes the expiry forward, a
    session left alone expires. This adds the absolute limit, counted from
    the login (stamped by pantogether.security) or, for a session older than
    the stamp, from the first request that sees it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if not isinstance(started, (int, float)):
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                security_log.info(
                    "session ended (absolute limit of %d s): user=%r id=%s",
                    settings.SESSION_ABSOLUTE_SECONDS,
                    user.get_username(),
                    user.pk,
                )
                logout(request)
        return self.get_response(request)
