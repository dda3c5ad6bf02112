"""The settings as production computes them, for tests that must run under them.

`production_settings()` executes pantogether/settings.py afresh with the
production environment (DEBUG off, HTTPS on, a real secret key), so the tests
check the HTTPS block as written, not a copy of it. `security_overrides()`
keeps what shapes responses (headers, cookies, redirects, CSP), to apply with
pytest-django's `settings` fixture; storage and databases stay the tests' own.
"""

import importlib.util
import os
import secrets
from pathlib import Path
from unittest import mock

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "pantogether" / "settings.py"
PRODUCTION_ENV = {
    "DEBUG": "false",
    "HTTPS": "true",
    "ALLOWED_HOSTS": "testserver,pan-together.example.org",
}
# What reaches Django from the TLS-terminating proxy on every request.
HTTPS_PROXY_HEADERS = {"HTTP_X_FORWARDED_PROTO": "https"}
SECURITY_PREFIXES = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_")
SECURITY_NAMES = ("DEBUG", "HTTPS", "CONTENT_SECURITY_POLICY", "X_FRAME_OPTIONS")


def production_settings(**env: str) -> dict:
    """Every upper-case setting of pantogether/settings.py under the production environment."""
    environ = {**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50), **env}
    with mock.patch.dict(os.environ, environ):
        spec = importlib.util.spec_from_file_location("_production_settings", SETTINGS_FILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return {name: getattr(module, name) for name in dir(module) if name.isupper()}


def security_overrides(**env: str) -> dict:
    values = production_settings(**env)
    return {
        name: value
        for name, value in values.items()
        if name.startswith(SECURITY_PREFIXES) or name in SECURITY_NAMES
    }


def apply_production_security(settings, **env: str) -> None:
    """Set the production security values on pytest-django's `settings` fixture."""
    for name, value in security_overrides(**env).items():
        setattr(settings, name, value)
