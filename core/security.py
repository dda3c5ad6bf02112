"""Back-office login security: the client's address, the lockout page, the log.

django-axes counts failed admin logins and locks out an address or a user
name after ``AXES_FAILURE_LIMIT`` failures; this module tells it who the
client is behind our reverse proxies, renders its lockout page in French,
and writes every login, failure, logout and lockout to the
``pantogether.security`` log (one line each, in the same words whatever the
handler), which is what an operator greps.
"""

import ipaddress
import logging
import time

from axes.helpers import get_cool_off
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.shortcuts import render

log = logging.getLogger("pantogether.security")

# Session key holding the time of login (epoch seconds), for the 12-hour limit.
SESSION_STARTED_KEY = "_session_started_at"


def client_ip(request) -> str | None:
    """The address of the client, as django-axes must count it.

    Without a proxy (``PROXY_COUNT`` = 0) it is REMOTE_ADDR. Behind N proxies
    that each append the address they received a request from to
    X-Forwarded-For, the client is the N-th entry from the right: the entries
    further left were written by the client itself and may be forged.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.PROXY_COUNT
    if not count:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def lockout_response(request, original_response=None, credentials=None):
    """The French lockout page (django-axes' AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request)
    minutes = round(cool_off.total_seconds() / 60) if cool_off else None
    return render(
        request,
        "admin/lockout.html",
        {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


def _address(request) -> str:
    return (client_ip(request) if request is not None else None) or "?"


def _on_login(sender, request, user, **kwargs):
    # Start of the session, for the absolute limit (StaffSessionLimitMiddleware).
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = time.time()
    log.info(
        "login succeeded: user=%r id=%s ip=%s", user.get_username(), user.pk, _address(request)
    )


def _on_logout(sender, request, user, **kwargs):
    if user is not None:  # None: a visitor who was not logged in
        log.info("logout: user=%r ip=%s", user.get_username(), _address(request))


def _on_login_failed(sender, credentials, request=None, **kwargs):
    log.warning("login failed: user=%r ip=%s", credentials.get("username"), _address(request))


def _on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    log.warning("login locked out: user=%r ip=%s", username, ip_address or _address(request))


def connect_signals() -> None:
    """Connect the login log (called once, from the app config's ready())."""
    user_logged_in.connect(_on_login, dispatch_uid="pantogether.security.login")
    user_logged_out.connect(_on_logout, dispatch_uid="pantogether.security.logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="pantogether.security.failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="pantogether.security.locked_out")


class StaffSessionLimitMiddleware:
    """End an authenticated session 12 hours after login, however active.

    The idle limit (30 minutes) is SESSION_COOKIE_AGE with
    SESSION_SAVE_EVERY_REQUEST: each request pushes the expiry forward, a
    session left alone expires. This adds the absolute limit, counted from
    the login (stamped at login by this module) or, for a session older than
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
                log.info(
                    "session ended (absolute limit of %d s): user=%r id=%s",
                    settings.SESSION_ABSOLUTE_SECONDS,
                    user.get_username(),
                    user.pk,
                )
                logout(request)
        return self.get_response(request)
