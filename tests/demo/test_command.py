"""`manage.py demo_data` and `create_demo_admin`: what a user of `make run` relies on."""

import io
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from centres.models import Axis, Centre, Person
from rcp.models import Rcp
from trials.models import Trial

from .conftest import NOW

pytestmark = pytest.mark.network_facts


def demo_data(*args, answer: str | None = None, monkeypatch=None) -> str:
    out = io.StringIO()
    if answer is not None:
        monkeypatch.setattr("builtins.input", lambda prompt: out.write(prompt) and answer)
    with time_machine.travel(NOW, tick=False):
        call_command("demo_data", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "centres": sorted(Centre.objects.values_list("slug", "phone", "is_published")),
        "people": sorted(Person.objects.values_list("first_name", "last_name", "title")),
        "rcps": sorted(Rcp.objects.values_list("slug", "name")),
        "trials": sorted(Trial.objects.values_list("nct_number", "plain_title")),
        "history": Centre.history.count() + Person.history.count() + Rcp.history.count(),
    }


@pytest.fixture
def demo_loaded(loaded):
    """The demo data of this module (loaded once, see conftest.py), as the first run printed it."""
    return loaded


def test_it_prints_one_line_per_app_and_a_rerun_changes_nothing(demo_loaded):
    lines = demo_loaded.splitlines()
    assert [line.split("\u00a0:")[0] for line in lines] == [
        "Centres",
        "RCP",
        "Essais",
        "Actualités",
    ]
    before = snapshot()
    demo_data()
    assert snapshot() == before


def test_a_rerun_keeps_what_staff_changed_on_the_network_s_real_rows(demo_loaded):
    brest = Centre.objects.get(slug="chu-brest")
    brest.finess = "290000017"
    brest.phone = "02 98 22 30 00"
    brest.address = "Boulevard Tanguy-Prigent"
    brest.description = "Texte relu par l’équipe du CHU."
    brest.is_published = False
    brest.save()
    metges = Person.objects.get(last_name="Metges")
    metges.title = "dr"
    metges.save()
    liver = Axis.objects.get(slug="foie-voies-biliaires")
    liver.referent_centre = Centre.objects.get(slug="aphp-beaujon")
    liver.save()
    before = snapshot()

    demo_data()
    demo_data("--reset", "--no-input")

    brest.refresh_from_db()
    assert (brest.finess, brest.phone, brest.address, brest.is_published) == (
        "290000017",
        "02 98 22 30 00",
        "Boulevard Tanguy-Prigent",
        False,
    )
    assert brest.description == "Texte relu par l’équipe du CHU."
    assert Person.objects.get(pk=metges.pk).title == "dr"
    assert Axis.objects.get(pk=liver.pk).referent_centre.slug == "aphp-beaujon"
    after = snapshot()
    assert after["centres"] == before["centres"] and after["people"] == before["people"]


def test_reset_says_what_it_will_change_and_asks_first(demo_loaded, monkeypatch):
    Centre.objects.filter(slug="chu-nantes").update(phone="02 40 00 00 00", is_published=False)

    refused = demo_data("--reset", answer="n", monkeypatch=monkeypatch)

    assert "--reset change 2 élément(s) :" in refused
    assert "  - Centre chu-nantes : téléphone « 02 40 00 00 00 » → « 02 61 91 16 00 »" in refused
    assert "  - Centre chu-nantes : publié « non » → « oui »" in refused
    assert "Appliquer ces changements ? [o/N] " in refused
    assert refused.rstrip().endswith("Rien n’a été changé.")
    assert Centre.objects.get(slug="chu-nantes").phone == "02 40 00 00 00"

    accepted = demo_data("--reset", answer="o", monkeypatch=monkeypatch)

    assert accepted.rstrip().endswith("Données de démonstration remises.")
    nantes = Centre.objects.get(slug="chu-nantes")
    assert (nantes.phone, nantes.is_published) == ("02 61 91 16 00", True)
    assert "déjà conformes" in demo_data("--reset", "--no-input")


def test_reset_dry_run_changes_nothing(demo_loaded):
    Centre.objects.filter(slug="chu-nantes").update(phone="02 40 00 00 00")
    before = snapshot()
    out = demo_data("--reset", "--dry-run")
    assert "Centre chu-nantes : téléphone" in out
    assert "Rien n’a été changé." in out
    assert snapshot() == before


def test_dry_run_goes_with_reset(db):
    with pytest.raises(CommandError, match="--dry-run va avec --reset"):
        call_command("demo_data", "--dry-run", stdout=io.StringIO())


def test_create_demo_admin_creates_one_superuser_and_shows_its_password_once(db):
    out = io.StringIO()
    call_command("create_demo_admin", stdout=out)
    text = out.getvalue()

    users = get_user_model().objects.filter(username="admin-demo")
    assert users.count() == 1
    user = users.get()
    assert user.is_superuser and user.is_staff
    password = re.search(r"mot de passe (\S+)", text).group(1)
    assert user.check_password(password)
    assert text.count(password) == 1
    assert "identifiant admin-demo" in text


def test_create_demo_admin_twice_keeps_the_password_and_says_how_to_reset_it(db):
    first = io.StringIO()
    call_command("create_demo_admin", stdout=first)
    password = re.search(r"mot de passe (\S+)", first.getvalue()).group(1)

    second = io.StringIO()
    call_command("create_demo_admin", stdout=second)

    user = get_user_model().objects.get(username="admin-demo")
    assert user.check_password(password)
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    assert password not in second.getvalue()
    assert "existe déjà" in second.getvalue()
    assert "python manage.py changepassword admin-demo" in second.getvalue()
