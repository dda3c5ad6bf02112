"""The shell's pages follow French typography (the proof-reader of the typography gate)."""

import pytest

from centres.models import Centre
from tests import factories
from tests.gates.typography import mistakes
from tests.trials.factories import make_trial

pytestmark = pytest.mark.django_db

PAGES = ["/", "/patients/", "/medecins/", "/contact/", "/mentions-legales/", "/accessibilite/"]
PAGES += ["/donnees-personnelles/"]


@pytest.fixture
def network():
    axes = factories.axes()
    factories.make_centre(kind=Centre.Kind.PILOT, axes=[axes["pancreas"]], slug="chu-brest")
    factories.make_centre(is_demo=True, axes=[axes["oesophage"]])
    make_trial(axes=[axes["pancreas"]], is_demo=True)


@pytest.mark.parametrize("path", PAGES)
def test_shell_pages_have_no_typography_mistake(client, network, path):
    assert mistakes(client.get(path).content.decode()) == []


def test_search_error_summary_has_no_typography_mistake(client):
    html = client.get("/centres/", {"pres_de": "99999", "axe": "inconnu"}).content.decode()
    summary = html[
        html.index('<div class="error-summary"') : html.index(
            "</div>", html.index('<div class="error-summary"')
        )
    ]
    assert mistakes(summary) == []
