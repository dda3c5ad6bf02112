"""Error pages are French pages of the site, never a traceback."""

import pytest
from django.test import RequestFactory
from django.urls import path
from django.views import defaults
from django.views.csrf import csrf_failure

from pantogether import urls as site_urls


def test_404_is_a_french_page_with_ways_out(client, db):
    response = client.get("/cette-page-n-existe-pas/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in html and 'href="/centres/"' in html
    assert "Traceback" not in html


def test_400_403_500_render_the_site_shell(db):
    request = RequestFactory().get("/")
    for view, status, title in (
        (defaults.bad_request, 400, "Requête incorrecte"),
        (defaults.permission_denied, 403, "Accès refusé"),
    ):
        response = view(request, exception=Exception("x"))
        assert response.status_code == status
        assert f"<h1>{title}</h1>" in response.content.decode()
    response = defaults.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Le site rencontre un problème</h1>" in html and '<html lang="fr">' in html


def test_csrf_failure_is_explained_in_french(db):
    response = csrf_failure(RequestFactory().post("/"), reason="CSRF cookie not set.")
    assert response.status_code == 403
    assert "Formulaire expiré" in response.content.decode()


def _broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _broken_view), *site_urls.urlpatterns]


@pytest.mark.urls("tests.test_error_pages")
def test_an_unexpected_error_in_a_view_gives_the_french_500(client, db):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Le site rencontre un problème" in html and "boom" not in html
