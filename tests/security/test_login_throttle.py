"""Brute force on the back-office login (django-axes): lockouts, reset, logging, proxies."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from core.security import client_ip

PASSWORD = "phrase de passe correcte"
LOGIN = "/admin/login/"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("coordination", "c@example.org", PASSWORD)


@pytest.fixture
def other_staff(django_user_model):
    return django_user_model.objects.create_superuser("secretariat", "s@example.org", PASSWORD)


def attempt(client, username, password, ip="192.0.2.10", **extra):
    """One login attempt from `ip`, by a visitor who is not logged in."""
    if "_auth_user_id" in client.session:
        client.logout()
    response = client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
        **extra,
    )
    return response


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def assert_locked_out(response):
    assert response.status_code == 429
    text = response.content.decode()
    assert "Connexion temporairement bloquée" in text
    assert "pendant 30\u00a0minutes" in text
    assert '<html lang="fr">' in text


def test_five_failures_from_one_address_refuse_even_the_right_password(client, staff):
    for n in range(5):
        attempt(client, f"inconnu{n}", "mauvais", ip="192.0.2.10")
    response = attempt(client, "coordination", PASSWORD, ip="192.0.2.10")
    assert_locked_out(response)
    assert "_auth_user_id" not in client.session
    # The same account from elsewhere is not locked: the failures were another name's.
    assert logged_in(attempt(client, "coordination", PASSWORD, ip="198.51.100.7"))


def test_four_failures_are_not_a_lockout(client, staff):
    for _ in range(4):
        response = attempt(client, "coordination", "mauvais")
        assert response.status_code == 200
        assert "Veuillez compléter correctement" in response.content.decode()
    assert logged_in(attempt(client, "coordination", PASSWORD))


def test_five_failures_for_one_user_from_several_addresses_lock_that_user(
    client, staff, other_staff
):
    for n in range(5):
        attempt(client, "coordination", "mauvais", ip=f"203.0.113.{n + 1}")
    assert_locked_out(attempt(client, "coordination", PASSWORD, ip="198.51.100.7"))
    # Another account from a fresh address still logs in.
    assert logged_in(attempt(client, "secretariat", PASSWORD, ip="198.51.100.7"))


def test_lockout_lifts_after_the_cool_off_time(client, staff, settings):
    for _ in range(5):
        attempt(client, "coordination", "mauvais")
    assert_locked_out(attempt(client, "coordination", PASSWORD))
    # 31 minutes later (the attempts are dated back, rather than the clock moved on).
    for record in AccessAttempt.objects.all():
        record.attempt_time -= settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
        record.save()
    assert logged_in(attempt(client, "coordination", PASSWORD))


def test_a_successful_login_before_the_limit_resets_the_count(client, staff):
    for _ in range(4):
        attempt(client, "coordination", "mauvais")
    assert logged_in(attempt(client, "coordination", PASSWORD))
    for _ in range(4):
        attempt(client, "coordination", "mauvais")
    assert logged_in(attempt(client, "coordination", PASSWORD))


def test_every_login_failure_logout_and_lockout_is_logged(client, staff, caplog):
    caplog.set_level(logging.INFO, logger="pantogether.security")
    attempt(client, "coordination", PASSWORD, ip="192.0.2.10")
    client.post(reverse("admin:logout"), REMOTE_ADDR="192.0.2.10")
    for _ in range(5):
        attempt(client, "coordination", "mauvais", ip="192.0.2.11")
    attempt(client, "coordination", PASSWORD, ip="192.0.2.11")

    lines = [r.getMessage() for r in caplog.records if r.name == "pantogether.security"]
    assert lines[0] == f"login succeeded: user='coordination' id={staff.pk} ip=192.0.2.10"
    assert lines[1] == "logout: user='coordination' ip=192.0.2.10"
    failures = [line for line in lines if line.startswith("login failed")]
    assert len(failures) == 6  # five wrong passwords, then the refused right one
    assert failures[0] == "login failed: user='coordination' ip=192.0.2.11"
    assert "login locked out: user='coordination' ip=192.0.2.11" in lines
    levels = {r.getMessage().split(":")[0]: r.levelno for r in caplog.records}
    assert levels["login failed"] == levels["login locked out"] == logging.WARNING


def test_passwords_never_reach_the_log(client, staff, caplog):
    caplog.set_level(logging.DEBUG)
    for _ in range(6):
        attempt(client, "coordination", "secret-tape-par-erreur")
    attempt(client, "coordination", PASSWORD)
    assert "secret-tape-par-erreur" not in caplog.text
    assert PASSWORD not in caplog.text


# --- Behind reverse proxies ---------------------------------------------------


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "203.0.113.9", "192.0.2.1"),  # no proxy: the header is ignored
        (1, "10.0.0.2", "203.0.113.9", "203.0.113.9"),
        (1, "10.0.0.2", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # forged left part ignored
        (2, "10.0.0.3", "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, "10.0.0.2", "", "10.0.0.2"),  # a request that bypassed the proxy
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (1, "10.0.0.2", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_is_read_from_the_proxies_end_of_x_forwarded_for(
    settings, count, remote, forwarded, expected
):
    settings.PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_behind_a_proxy_one_client_is_locked_out_not_everyone(client, staff, settings):
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for n in range(5):
        # The attacker forges a different left part each time: it does not help.
        attempt(
            client,
            f"inconnu{n}",
            "mauvais",
            ip=proxy,
            HTTP_X_FORWARDED_FOR=f"198.18.0.{n}, 203.0.113.66",
        )
    assert_locked_out(
        attempt(client, "coordination", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.66")
    )
    assert AccessAttempt.objects.filter(ip_address="203.0.113.66").exists()
    # A colleague behind the same proxy logs in.
    assert logged_in(
        attempt(client, "coordination", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="192.0.2.44")
    )
