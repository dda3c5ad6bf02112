"""Security headers on every crawled page, with the production settings.

The settings are the ones pantogether/settings.py computes for production
(DEBUG off, HTTPS on: see tests/security/production.py), and each request
carries `X-Forwarded-Proto: https` as the TLS proxy sends it (Django's
SecurityMiddleware adds HSTS to secure requests only). Each page is fetched
twice: the second answer comes from the page cache and must carry the same
headers.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from core.headers import PERMISSIONS_POLICY
from tests.security.production import HTTPS_PROXY_HEADERS, apply_production_security

# The only page that may ask for the browser's position: the nearest-centre search.
GEOLOCATION_PATHS = {"/centres/"}
REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
DENIED_FEATURES = {entry.split("=")[0] for entry in PERMISSIONS_POLICY.split(", ")}


@pytest.fixture
def production(settings):
    apply_production_security(settings)
    return settings


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def permissions(header: str) -> dict[str, str]:
    return dict(entry.strip().split("=", 1) for entry in header.split(",") if "=" in entry)


def header_problems(url: str, response) -> list[str]:
    """What is missing or too loose in one response's security headers."""
    problems = []
    h = response.headers

    csp = h.get("Content-Security-Policy", "")
    if not csp:
        problems.append("no Content-Security-Policy")
    else:
        d = csp_directives(csp)
        if "'unsafe-inline'" in csp or "'unsafe-eval'" in csp:
            problems.append(f"CSP allows unsafe code: {csp}")
        for name in ("object-src", "base-uri", "frame-ancestors"):
            if d.get(name) != ["'none'"]:
                problems.append(f"CSP {name} is {d.get(name)}, not 'none'")
        if d.get("script-src") != ["'self'"]:
            problems.append(f"CSP script-src is {d.get('script-src')}")
        if d.get("default-src") != ["'self'"]:
            problems.append(f"CSP default-src is {d.get('default-src')}")

    hsts = h.get("Strict-Transport-Security", "")
    match = re.search(r"max-age=(\d+)", hsts)
    if not match or int(match.group(1)) < 31536000 or "includeSubDomains" not in hsts:
        problems.append(f"HSTS is {hsts!r}")
    if h.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if h.get("Referrer-Policy") not in REFERRER_POLICIES:
        problems.append(f"Referrer-Policy is {h.get('Referrer-Policy')!r}")
    if h.get("Cross-Origin-Opener-Policy") != "same-origin":
        problems.append(f"Cross-Origin-Opener-Policy is {h.get('Cross-Origin-Opener-Policy')!r}")
    if h.get("Cross-Origin-Resource-Policy") != "same-origin":
        problems.append(
            f"Cross-Origin-Resource-Policy is {h.get('Cross-Origin-Resource-Policy')!r}"
        )
    if h.get("X-Frame-Options") != "DENY":
        problems.append(f"X-Frame-Options is {h.get('X-Frame-Options')!r}")

    policy = permissions(h.get("Permissions-Policy", ""))
    geolocation = "(self)" if urlsplit(url).path in GEOLOCATION_PATHS else "()"
    if policy.get("geolocation") != geolocation:
        problems.append(f"Permissions-Policy geolocation={policy.get('geolocation')}")
    for feature in sorted(DENIED_FEATURES - {"geolocation"}):
        if policy.get(feature) != "()":
            problems.append(f"Permissions-Policy {feature}={policy.get(feature)}, not ()")

    for name, cookie in response.cookies.items():
        if not (cookie["secure"] and cookie["httponly"] and cookie["samesite"]):
            problems.append(f"cookie {name} lacks Secure, HttpOnly or SameSite")
    return [f"{url}: {p}" for p in problems]


def test_every_crawled_page_sends_the_security_headers(crawled_pages, production, db):
    client = Client()
    problems = []
    pages = [*crawled_pages, *crawled_pages.error_pages]
    for page in pages:
        for attempt in ("rendered", "cached"):
            response = client.get(page.url, **HTTPS_PROXY_HEADERS)
            if response.streaming:  # a download: read it, which closes the file
                b"".join(response.streaming_content)
            assert response.status_code == page.status, f"{page.url} ({attempt})"
            problems += [f"{p} ({attempt})" for p in header_problems(page.url, response)]
            if response.cookies:  # nothing to remember about an anonymous visitor
                problems.append(f"{page.url}: sets cookies {sorted(response.cookies)}")
    assert len(pages) > 10
    assert not problems, "\n".join(problems)


def test_admin_login_sends_the_headers_and_safe_cookies(production, db):
    client = Client()
    response = client.get("/admin/login/", **HTTPS_PROXY_HEADERS)
    assert response.status_code == 200
    assert not header_problems("/admin/login/", response)
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
