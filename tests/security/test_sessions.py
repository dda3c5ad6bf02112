"""Staff sessions end after 30 minutes without a request, and 12 hours after login.

The clock is frozen (NOW); time is moved by editing what the server stored (the
session's expiry date, the login time in the session).
"""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.models import Session

from core.security import SESSION_STARTED_KEY

ADMIN = "/admin/"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
pytestmark = pytest.mark.time_machine(NOW, tick=False)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("coordination", "c@example.org", "x" * 20)
    client.force_login(user)
    return client


def is_logged_in(client) -> bool:
    response = client.get(ADMIN)
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    return False


def stored_session(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_each_request_pushes_the_idle_expiry_30_minutes_ahead(staff_client):
    session = stored_session(staff_client)
    session.expire_date = NOW + timedelta(minutes=1)  # 29 minutes idle
    session.save()
    response = staff_client.get(ADMIN)
    assert response.status_code == 200
    assert int(response.cookies["sessionid"]["max-age"]) == 30 * 60
    assert stored_session(staff_client).expire_date == NOW + timedelta(minutes=30)


def test_staff_session_ends_after_30_minutes_idle(staff_client):
    assert is_logged_in(staff_client)
    session = stored_session(staff_client)
    session.expire_date = NOW - timedelta(seconds=1)  # 30 minutes and 1 s idle
    session.save()
    assert not is_logged_in(staff_client)


def test_login_time_is_stamped_in_the_session(staff_client):
    assert staff_client.session[SESSION_STARTED_KEY] == NOW.timestamp()


def set_login_time(client, seconds_ago: float) -> None:
    session = client.session
    session[SESSION_STARTED_KEY] = NOW.timestamp() - seconds_ago
    session.save()


def test_an_active_session_lives_up_to_12_hours(staff_client):
    set_login_time(staff_client, 12 * 3600 - 60)
    assert is_logged_in(staff_client)


def test_staff_session_ends_12_hours_after_login_however_active(staff_client, caplog):
    caplog.set_level(logging.INFO, logger="pantogether.security")
    set_login_time(staff_client, 12 * 3600 + 1)
    assert not is_logged_in(staff_client)
    assert "session ended (absolute limit of 43200 s): user='coordination'" in caplog.text
    assert not is_logged_in(staff_client)  # and it stays ended


def test_a_session_without_login_stamp_gets_one_and_is_not_ended(staff_client):
    session = staff_client.session
    del session[SESSION_STARTED_KEY]
    session.save()
    assert is_logged_in(staff_client)
    assert staff_client.session[SESSION_STARTED_KEY] == NOW.timestamp()


def test_anonymous_visitors_get_no_session(client, db):
    response = client.get("/")
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()
