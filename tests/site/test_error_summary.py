"""A search form's errors appear once, in a summary at the top of the form that
links to each field, and the field points back to its message."""

import re

import pytest

pytestmark = pytest.mark.django_db

CASES = [
    ("/centres/", {"pres_de": "99999"}, "recherche-centres", "id_pres_de"),
    ("/essais/", {"pres_de": "99999"}, "recherche-essais", "id_pres_de"),
    ("/rcp/", {"pres_de": "99999"}, "recherche-rcp", "id_pres_de"),
    ("/rcp/calendrier/", {"axe": "inconnu"}, "filtres-calendrier", "id_axe"),
    ("/rcp/indicateurs/", {"axe": "inconnu"}, "filtres-indicateurs", "id_axe"),
    ("/documents/", {"axe": "inconnu"}, "filtres-documents", "id_axe"),
    ("/recherche/", {"q": "x" * 101}, "recherche-site-complete", "id_q"),
]


@pytest.mark.parametrize("path, query, form_id, field_id", CASES)
def test_each_error_appears_once_in_a_summary_atop_the_form(client, path, query, form_id, field_id):
    response = client.get(path, query)
    assert response.status_code == 400
    html = response.content.decode()
    form = html[
        html.index(f'id="{form_id}"') : html.index("</form>", html.index(f'id="{form_id}"'))
    ]
    summary = re.search(
        r'<div class="error-summary" role="alert" id="erreurs-recherche".*?</div>', form, re.S
    )
    assert summary, "the summary is inside the form"
    assert form.index("error-summary") < form.index("<label")  # before the first field
    message = re.search(r"<li[^>]*><a [^>]*>[^<]*</a>\u00a0: ([^<]+)</li>", summary.group(0)).group(
        1
    )
    assert html.count(message) == 1  # not beside the field, not after the form
    assert f'href="#{field_id}"' in summary.group(0)
    # The field says it is wrong and points to its message in the summary.
    field = re.search(rf'<(?:input|select)[^>]*id="{field_id}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
    assert f"{field_id}_error" in described
    assert f'<li id="{field_id}_error">' in summary.group(0)
    assert 'class="errorlist' not in html


@pytest.mark.parametrize("path, query, form_id, field_id", CASES)
def test_the_results_area_sends_back_to_the_summary(client, path, query, form_id, field_id):
    html = client.get(path, query).content.decode()
    assert "Recherche à corriger" in html
    assert 'href="#erreurs-recherche"' in html


def test_a_valid_search_shows_no_summary(client):
    html = client.get("/centres/", {"pres_de": "29200"}).content.decode()
    assert "error-summary" not in html
