"""A pilot (network manager), a coordinator and a centre with its axes, services,
editors and roles, at a fixed time."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from PIL import Image

from centres.admin_scoping import CENTRE_GROUP, NETWORK_GROUP
from centres.models import CentreAxis, Role
from tests.factories import make_centre, make_role, make_service
from tests.html_forms import as_post_data, submitted_entries

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def make_staff(django_user_model, username, group=None):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", None)
    user.is_staff = True
    user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def pilot_user(django_user_model, db):
    return make_staff(django_user_model, "pilote", NETWORK_GROUP)


@pytest.fixture
def pilot(client, pilot_user):
    client.force_login(pilot_user)
    return client


@pytest.fixture
def editor(django_user_model, db):
    return make_staff(django_user_model, "equipe-brest", CENTRE_GROUP)


@pytest.fixture
def brest(axes, editor):
    """A centre with the oesophagus axis (with details), a service, an editor and a role."""
    service = make_service(name="Écho-endoscopie test", slug="echo-endoscopie-test")
    centre = make_centre(name="CHU de Brest", short_name="CHU de Brest", slug="chu-brest")
    CentreAxis.objects.create(
        centre=centre, axis=axes["oesophage"], details="Consultation le mardi."
    )
    centre.services.add(service)
    centre.editors.add(editor)
    make_role(centre=centre, kind=Role.Kind.CENTRE_REFERENT)
    return centre


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def history_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def change_form(client, obj) -> dict:
    """What the browser sends back from the change page, unchanged."""
    html = client.get(change_url(obj)).content.decode()
    return as_post_data(submitted_entries(html, f"{obj._meta.model_name}_form", "_save"))


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded and retired files in a temporary directory: (media, retired)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RETIRED_MEDIA_ROOT = str(tmp_path / "retired")
    return settings.MEDIA_ROOT, tmp_path / "retired"


def jpeg_bytes(colour: str) -> bytes:
    """A small JPEG of one colour."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG")
    return out.getvalue()
