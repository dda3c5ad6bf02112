"""The home page gives one number of centres and says which figures are demonstration data."""

import re

import pytest

from centres.models import Centre
from tests import factories
from tests.site.html import text
from tests.trials.factories import make_trial

pytestmark = pytest.mark.django_db


def centre_numbers(page: str) -> set[str]:
    """Every "N centre(s)" the page states."""
    return set(re.findall(r"(\d+)\s+centres?\b", page))


def test_the_home_page_states_one_number_of_centres(client):
    axes = factories.axes()
    factories.make_centre(kind=Centre.Kind.PILOT, axes=[axes["pancreas"]])
    factories.make_centre(kind=Centre.Kind.EXPERT, axes=[axes["pancreas"]])
    factories.make_centre(kind=Centre.Kind.PARTNER, axes=[axes["oesophage"]])
    factories.make_centre(is_published=False)
    page = text(client.get("/").content.decode())
    assert "réunit 3 centres en métropole" in page
    assert "3 centres dans le réseau" in page
    assert centre_numbers(page) == {"3"}
    assert "démonstration" not in page  # real data is not marked


def test_demo_centres_are_marked_in_the_lead_the_figures_and_the_map(client):
    factories.make_centre()
    factories.make_centre(is_demo=True)
    factories.make_centre(is_demo=True)
    html = client.get("/").content.decode()
    page = text(html)
    assert "réunit 3 centres (dont 2 fictifs, données de démonstration)" in page
    assert "3 centres dans le réseau dont 2 fictifs" in page
    assert "Ces chiffres et la carte comptent 2 centres fictifs" in page
    assert "La carte montre aussi les 2 centres fictifs." in page
    map_section = html[html.index('id="carte-titre"') : html.index("</figure>")]
    assert 'class="badge badge-demo">Données de démonstration<' in map_section


def test_demo_trials_in_the_recruiting_counts_are_marked(client):
    axes = factories.axes()
    make_trial(axes=[axes["pancreas"]], is_demo=True)
    page = text(client.get("/").content.decode())
    assert "Les nombres d’essais qui recrutent comptent des essais fictifs" in page


def test_real_trials_only_carry_no_demo_notice(client):
    axes = factories.axes()
    make_trial(axes=[axes["pancreas"]])
    page = text(client.get("/").content.decode())
    assert "essais fictifs" not in page
