"""Two-factor authentication of the admin (django-otp): with ADMIN_REQUIRE_2FA, pilot
staff reach no admin page before a code from their device; centre editors are not forced."""

import datetime
from base64 import b32encode
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from centres.admin_scoping import NETWORK_GROUP

from .conftest import log_in, make_staff

SETUP = "/admin/compte/double-authentification/"
VERIFY = "/admin/compte/verification/"
# Five seconds into a 30-second TOTP step: a few seconds more stay in the same step.
NOW = datetime.datetime(2027, 3, 9, 10, 0, 5, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def require_2fa(settings):
    settings.ADMIN_REQUIRE_2FA = True


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def code_for(device) -> str:
    """The code the authenticator app shows now, computed from the device's key."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code_for(device) -> str:
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Application", confirmed=True)


def test_pilot_without_device_is_sent_to_enrolment_and_kept_out_of_the_admin(
    client, pilot_user, require_2fa, frozen
):
    response = log_in(client, "pilote")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fadmin%2F"

    for path in ("/admin/", "/admin/centres/centre/", "/admin/revue/", "/admin/auth/user/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{SETUP}?next="), path

    page = client.get(SETUP)
    text = page.content.decode()
    assert page.status_code == 200
    assert "doit être protégé par une double authentification" in text
    # The QR code drawn here, no script, no style attribute (the CSP forbids both).
    qr = text.split('<figure class="otp-qr">')[1].split("</figure>")[0]
    assert qr.startswith('<svg role="img" aria-label="Code QR à scanner')
    assert "<path" in qr and "style=" not in qr
    assert "<script" not in text.split("</head>")[1]
    device = TOTPDevice.objects.get(user=pilot_user, confirmed=False)
    secret = text.split('<p class="otp-secret"><code>')[1].split("</code>")[0]
    assert secret.replace(" ", "") == b32encode(device.bin_key).decode()
    assert "issuer=PAN-TOGETHER" in device.config_url


def test_pilot_enrols_a_device_with_a_right_code_after_a_wrong_one(
    client, pilot_user, require_2fa, frozen
):
    client.force_login(pilot_user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=pilot_user)

    response = client.post(SETUP, {"token": wrong_code_for(device), "next": "/admin/"})
    assert response.status_code == 400
    assert "Ce code n’est pas le bon" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/admin/").status_code == 302

    frozen.shift(3)  # django-otp makes the next try wait a second after a failure
    response = client.post(SETUP, {"token": code_for(device), "next": "/admin/centres/"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "La double authentification est activée" in text
    device.refresh_from_db()
    assert device.confirmed
    backup = StaticDevice.objects.get(user=pilot_user)
    codes = sorted(backup.token_set.values_list("token", flat=True))
    assert len(codes) == 10 and all(f"<code>{c}</code>" in text for c in codes)
    assert 'href="/admin/centres/"' in text

    index = client.get("/admin/")
    assert index.status_code == 200
    assert "Contenus du réseau" in index.content.decode()


def test_pilot_with_a_device_types_a_code_at_login(client, pilot_user, require_2fa, frozen):
    device = enrolled(pilot_user)

    response = log_in(client, "pilote", next_url="/admin/centres/centre/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Fcentres%2Fcentre%2F"
    assert client.get("/admin/").status_code == 302

    response = client.post(VERIFY, {"token": wrong_code_for(device), "next": "/admin/"})
    assert response.status_code == 400
    assert "Ce code n’est pas le bon" in response.content.decode()
    assert client.get("/admin/")["Location"].startswith(VERIFY)

    frozen.shift(3)
    response = client.post(VERIFY, {"token": code_for(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # Enrolling again is not offered to whoever holds the session: the device stays.
    assert client.get(SETUP).status_code == 302
    assert TOTPDevice.objects.filter(user=pilot_user).count() == 1


def test_the_same_code_cannot_be_used_twice(client, pilot_user, require_2fa, frozen):
    device = enrolled(pilot_user)
    code = code_for(device)
    log_in(client, "pilote")
    assert client.post(VERIFY, {"token": code})["Location"] == "/admin/"

    client.logout()
    log_in(client, "pilote")
    response = client.post(VERIFY, {"token": code})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_a_backup_code_works_once(client, pilot_user, require_2fa):
    enrolled(pilot_user)
    backup = StaticDevice.objects.create(user=pilot_user, name="Codes de secours")
    backup.token_set.create(token="secours1")

    log_in(client, "pilote")
    assert client.post(VERIFY, {"token": "secours1"})["Location"] == "/admin/"
    assert not backup.token_set.exists()


def test_verification_refuses_a_foreign_next_and_hostile_codes(
    client, pilot_user, require_2fa, frozen
):
    device = enrolled(pilot_user)
    log_in(client, "pilote")

    response = client.post(VERIFY, {"token": "12-34"})
    assert response.status_code == 400
    assert "Le code ne contient que des chiffres et des lettres" in response.content.decode()
    response = client.post(VERIFY, {"token": "12\x0034"})
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    response = client.post(VERIFY, {"token": "9" * 500})
    assert response.status_code == 400

    frozen.shift(3)
    response = client.post(VERIFY, {"token": code_for(device), "next": "https://ailleurs.example"})
    assert response["Location"] == "/admin/"


def test_an_unverified_pilot_can_still_log_out(client, pilot_user, require_2fa):
    log_in(client, "pilote")
    response = client.post("/admin/logout/")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_superuser_is_pilot_staff_too(client, django_user_model, require_2fa):
    make_staff(django_user_model, "racine", superuser=True)
    response = log_in(client, "racine")
    assert response["Location"].startswith(SETUP)


def test_a_centre_editor_is_not_forced_when_only_pilot_staff_are(client, editor_user, require_2fa):
    response = log_in(client, "editeur")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # They may still enrol a device of their own.
    page = client.get(SETUP).content.decode()
    assert "Activer la double authentification" in page
    assert "doit être protégé" not in page


def test_without_the_setting_pilot_staff_need_no_device(client, django_user_model, settings):
    settings.ADMIN_REQUIRE_2FA = False
    make_staff(django_user_model, "pilote2", group=NETWORK_GROUP)
    response = log_in(client, "pilote2")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_pages_of_the_second_factor_need_a_logged_in_staff_user(client, db):
    for path in (SETUP, VERIFY):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_admin_pages_do_not_look_for_devices_on_each_request(client, editor_user, settings):
    """Whether a user has a device is looked up at login and kept in the session:
    without ADMIN_REQUIRE_2FA, an admin page costs no query for the second factor."""
    settings.ADMIN_REQUIRE_2FA = False
    log_in(client, "editeur")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    assert not [q for q in queries.captured_queries if '"otp_' in q["sql"]]


def test_a_centre_editor_who_enrolled_a_device_is_asked_for_it_at_login(
    client, editor_user, require_2fa
):
    enrolled(editor_user)
    response = log_in(client, "editeur")
    assert response["Location"].startswith(VERIFY)
    assert client.get("/admin/").status_code == 302
