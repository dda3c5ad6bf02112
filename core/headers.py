"""Response headers that Django does not set by itself: Permissions-Policy and CORP."""

from functools import wraps

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


def permissions_policy(**grants: str):
    """A view decorator granting browser features to the page, e.g. ``geolocation="self"``.

    Every feature stays denied but those named; the middleware then leaves the
    view's header alone.
    """
    policy = PERMISSIONS_POLICY
    for feature, allowlist in grants.items():
        name = feature.replace("_", "-")
        if f"{name}=()" not in policy:
            raise ValueError(f"unknown browser feature: {name}")
        policy = policy.replace(f"{name}=()", f"{name}=({allowlist})")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.headers["Permissions-Policy"] = policy
            return response

        wrapped.permissions_policy = policy
        return wrapped

    return decorator


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
