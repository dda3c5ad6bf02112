"""Production settings: HTTPS, cookies, CSP, as computed from the environment."""

import pytest
from django.urls import reverse

from .production import HTTPS_PROXY_HEADERS, apply_production_security, production_settings


@pytest.fixture
def prod():
    return production_settings()


def test_production_turns_debug_off_and_trusts_the_proxy_for_https(prod):
    assert prod["DEBUG"] is False
    assert prod["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert prod["SECURE_SSL_REDIRECT"] is True


def test_production_sends_hsts_for_a_year_with_subdomains(prod):
    assert prod["SECURE_HSTS_SECONDS"] >= 31536000
    assert prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


def test_production_cookies_are_secure_httponly_and_same_site(prod):
    for name in ("SESSION_COOKIE", "CSRF_COOKIE"):
        assert prod[f"{name}_SECURE"] is True
        assert prod[f"{name}_HTTPONLY"] is True
        assert prod[f"{name}_SAMESITE"] in ("Lax", "Strict")


def test_csp_allows_no_inline_code_nor_eval_and_locks_objects_base_and_frames(prod):
    directives = prod["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    flat = " ".join(str(v) for values in directives.values() if values is not True for v in values)
    assert "unsafe-inline" not in flat and "unsafe-eval" not in flat
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["upgrade-insecure-requests"] is True


def test_staff_sessions_last_30_minutes_idle_and_12_hours_in_all(prod):
    assert prod["SESSION_COOKIE_AGE"] == 30 * 60
    assert prod["SESSION_SAVE_EVERY_REQUEST"] is True
    assert prod["SESSION_ABSOLUTE_SECONDS"] == 12 * 3600


def test_plain_http_is_redirected_to_https(client, settings):
    apply_production_security(settings)
    response = client.get("/centres/?axe=pancreas")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/centres/?axe=pancreas"


def test_admin_login_cookies_are_secure_httponly_and_same_site(client, settings, django_user_model):
    apply_production_security(settings)
    django_user_model.objects.create_superuser("cadre", "cadre@example.org", "un mot de passe sûr")
    login = reverse("admin:login")
    response = client.get(login, **HTTPS_PROXY_HEADERS)
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"

    response = client.post(
        login,
        {"username": "cadre", "password": "un mot de passe sûr", "next": "/admin/"},
        **HTTPS_PROXY_HEADERS,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert int(session["max-age"]) == 30 * 60
