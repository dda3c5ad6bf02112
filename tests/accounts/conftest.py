"""Fixtures of the accounts tests: two centres, pilot and centre staff."""

import pytest
from django.contrib.auth.models import Group

from centres.admin_scoping import CENTRE_GROUP, NETWORK_GROUP
from tests.factories import make_centre

PASSWORD = "Une phrase de passe solide 2027"


def make_staff(django_user_model, username, *, group=None, centres=(), superuser=False):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", PASSWORD, is_staff=True, is_superuser=superuser
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    for centre in centres:
        centre.editors.add(user)
    return user


def log_in(client, username, password=PASSWORD, next_url="/admin/"):
    """Log in through the admin's login page, as a person would (axes counts it)."""
    return client.post(
        "/admin/login/", {"username": username, "password": password, "next": next_url}
    )


@pytest.fixture
def centres(db):
    return {
        "a": make_centre(name="CHU de Brest", short_name="CHU de Brest", slug="chu-brest"),
        "b": make_centre(name="CHU de Rennes", short_name="CHU de Rennes", slug="chu-rennes"),
    }


@pytest.fixture
def pilot_user(django_user_model, db):
    return make_staff(django_user_model, "pilote", group=NETWORK_GROUP)


@pytest.fixture
def editor_user(django_user_model, centres):
    return make_staff(django_user_model, "editeur", group=CENTRE_GROUP, centres=[centres["a"]])
