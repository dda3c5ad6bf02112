"""Pilot staff see and remove second-factor devices (a lost phone); nobody sees a key."""

from base64 import b32encode

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.html_forms import as_post_data, submitted_entries

from .conftest import make_staff


def test_pilot_removes_an_editors_lost_device_and_never_sees_its_key(
    client, pilot_user, editor_user
):
    device = TOTPDevice.objects.create(user=editor_user, name="Application")
    client.force_login(pilot_user)

    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist")).content.decode()
    assert "editeur" in listing
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert device.key not in text and b32encode(device.bin_key).decode() not in text
    assert 'name="_save"' not in text  # view only

    delete = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_only_a_superuser_removes_a_superusers_device(client, pilot_user, django_user_model):
    root = make_staff(django_user_model, "racine", superuser=True)
    device = TOTPDevice.objects.create(user=root, name="Application")
    client.force_login(pilot_user)

    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist")).content.decode()
    assert "racine" not in listing
    delete = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    client.post(delete, {"post": "yes"})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_centre_editor_has_no_access_to_devices(client, editor_user):
    client.force_login(editor_user)
    assert client.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 403
    assert client.get(reverse("admin:otp_static_staticdevice_changelist")).status_code == 403


def test_a_superuser_still_changes_an_account_and_pilot_staff_only_view_it(
    client, pilot_user, editor_user, django_user_model
):
    url = reverse("admin:auth_user_change", args=[editor_user.pk])
    client.force_login(pilot_user)
    page = client.get(url).content.decode()
    assert 'name="_save"' not in page
    assert client.post(url, {"username": "pirate"}).status_code == 403

    client.force_login(make_staff(django_user_model, "racine", superuser=True))
    html = client.get(url).content.decode()
    data = as_post_data(submitted_entries(html, "user_form", "_save"))
    data["first_name"] = ["Élise"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    editor_user.refresh_from_db()
    assert editor_user.first_name == "Élise" and editor_user.username == "editeur"
