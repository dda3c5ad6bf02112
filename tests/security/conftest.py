import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Every login attempt hashes a password; the production hasher takes ~0.3 s.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
