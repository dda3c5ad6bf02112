"""What search engines and link previews read: sitemap, robots.txt,
canonical URL, Open Graph, schema.org JSON-LD."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.trials.factories import make_site, make_trial

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def sitemap_entries(client) -> dict:
    """{URL: lastmod} of every sitemap the index /sitemap.xml lists; a URL listed
    twice fails (search engines would read two entries of one page)."""
    index = ET.fromstring(client.get("/sitemap.xml").content)
    entries = {}
    for sitemap in index.findall(f"{SITEMAP}sitemap"):
        location = sitemap.find(f"{SITEMAP}loc").text.removeprefix("http://testserver")
        root = ET.fromstring(client.get(location).content)
        for url in root.findall(f"{SITEMAP}url"):
            lastmod = getattr(url.find(f"{SITEMAP}lastmod"), "text", None)
            loc = url.find(f"{SITEMAP}loc").text
            assert loc not in entries, f"{loc} is listed twice"
            entries[loc] = lastmod
    return entries


def test_the_sitemap_lists_every_public_page_with_its_last_change(client):
    with time_machine.travel(datetime(2026, 11, 2, 8, tzinfo=UTC), tick=False):
        centre = factories.make_centre()
        trial = make_trial()
    factories.make_centre(name="Caché", slug="cache", is_published=False)
    make_trial(plain_title="Brouillon", is_published=False)
    entries = sitemap_entries(client)
    assert entries[f"http://testserver{centre.get_absolute_url()}"] == "2026-11-02"
    assert entries[f"http://testserver{trial.get_absolute_url()}"] == "2026-11-02"
    assert "http://testserver/centres/cache/" not in entries
    for path in (
        "/",
        "/centres/",
        "/rcp/",
        "/essais/",
        "/a-propos/",
        "/glossaire/",
        "/actualites/",
        "/documents/",
        "/donnees-ouvertes/",
        "/patients/",
        "/contact/",
    ):
        assert f"http://testserver{path}" in entries, path
    assert entries["http://testserver/centres/"] == "2026-11-02"


def test_robots_keeps_crawlers_out_of_the_admin_and_the_api_docs(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text and "Disallow: /api/docs/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_every_page_has_a_canonical_url_and_open_graph_tags(client):
    centre = factories.make_centre(name="CHU de Brest")
    html = client.get(f"{centre.get_absolute_url()}?utm=x").content.decode()
    assert f'<link rel="canonical" href="http://testserver{centre.get_absolute_url()}">' in html
    assert '<meta property="og:title" content="CHU de Brest">' in html
    assert '<meta property="og:description" content="Centre expert du réseau' in html
    listing = client.get("/centres/?axe=pancreas&page=2").content.decode()
    assert '<link rel="canonical" href="http://testserver/centres/">' in listing


def test_a_centre_page_describes_the_hospital_for_search_engines(client):
    centre = factories.make_centre(
        name="CHU de Brest",
        finess="290000017",
        address="2 avenue Foch",
        postcode="29200",
        city="Brest",
    )
    data = json_ld(client.get(centre.get_absolute_url()).content.decode())
    assert len(data) == 1
    hospital = data[0]
    assert hospital["@type"] == "Hospital"
    assert hospital["address"]["postalCode"] == "29200"
    assert hospital["address"]["addressRegion"] == "Bretagne"
    assert hospital["geo"] == {"@type": "GeoCoordinates", "latitude": 48.39, "longitude": -4.49}
    assert hospital["identifier"]["value"] == "290000017"


def test_a_trial_page_describes_the_medical_trial(client):
    centre = factories.make_centre(name="CHU de Brest")
    trial = make_trial(
        plain_title="Essai <script>alert(1)</script> & co",
        acronym="PANACHE",
        conditions="Pancreatic Cancer",
    )
    make_site(trial, centre)
    html = client.get(trial.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html  # escaped inside the JSON-LD too
    data = json_ld(html)[0]
    assert data["@type"] == "MedicalTrial"
    assert data["name"] == "Essai <script>alert(1)</script> & co"
    assert data["status"] == "https://schema.org/Recruiting"
    assert data["identifier"] == [trial.nct_number]
    assert data["studyLocation"][0]["name"] == "CHU de Brest"
    assert data["healthCondition"] == ["Pancreatic Cancer"]


def test_json_ld_needs_no_change_to_the_csp(client):
    centre = factories.make_centre()
    response = client.get(centre.get_absolute_url())
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy and "nonce-" not in policy


def test_the_sitemap_reads_only_what_its_entries_need(client):
    make_trial(eligibility_criteria="Critères " * 500)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/sitemap-essais.xml").content.decode()
    assert "/essais/" in body
    trial_reads = [q["sql"] for q in queries if 'FROM "trials_trial"' in q["sql"]]
    assert trial_reads and not any("eligibility_criteria" in sql for sql in trial_reads)


def test_the_sitemap_is_an_index_of_sections_cut_into_pages(client, monkeypatch):
    """No sitemap grows with the data: a section longer than a page is cut
    (?p=2...), an unknown section or page is a 404."""
    monkeypatch.setattr("pantogether.sitemaps.PAGE_SIZE", 2)
    trials = [make_trial(plain_title=f"Essai {n}") for n in range(3)]
    index = client.get("/sitemap.xml")
    assert index["Content-Type"].startswith("application/xml")
    locations = [e.text for e in ET.fromstring(index.content).iter(f"{SITEMAP}loc")]
    assert "http://testserver/sitemap-essais.xml" in locations
    assert "http://testserver/sitemap-essais.xml?p=2" in locations
    assert "http://testserver/sitemap-essais.xml?p=3" not in locations
    first = client.get("/sitemap-essais.xml").content.decode()
    second = client.get("/sitemap-essais.xml?p=2").content.decode()
    for trial in trials[:2]:
        assert f"/essais/{trial.pk}/</loc>" in first
    assert f"/essais/{trials[2].pk}/</loc>" in second
    for missing in (
        "/sitemap-essais.xml?p=3",
        "/sitemap-essais.xml?p=x",
        "/sitemap-essais.xml?p=" + "9" * 5000,  # past Python's digit limit for int()
        "/sitemap-inconnu.xml",
    ):
        assert client.get(missing).status_code == 404
