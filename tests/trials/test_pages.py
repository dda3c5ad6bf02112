"""The trial page, the centre page's trials section, and the home page's counts."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_centre

from .factories import make_site, make_trial


@pytest.fixture
def brest(db):
    return make_centre(name="CHU de Brest", slug="chu-brest")


@pytest.fixture
def trial(axes, brest):
    trial = make_trial(
        plain_title="Chimiothérapie avant l’opération du pancréas",
        plain_summary="Cet essai compare **deux stratégies**.",
        key_eligibility="- Cancer du pancréas opérable",
        acronym="PANEO",
        nct_number="NCT09880001",
        eu_ct_number="2099-501234-12-00",
        eudract_number="2099-001234-56",
        registry_summary="English summary.",
        eligibility_criteria="Inclusion Criteria:\n\n* Resectable tumour",
        official_title="A Randomized Phase III Trial",
        sponsor="Groupe exemple",
        sponsor_type="academic",
        min_age=18,
        max_age=75,
        start_date=date(2024, 3, 1),
        registry_updated=date(2025, 6, 12),
        last_reviewed=date(2026, 10, 1),
        axes=[axes["pancreas"]],
    )
    make_site(
        trial,
        brest,
        investigator="Dr Claire Exemple",
        contact_name="Unité de recherche clinique",
        contact_phone="02 61 91 00 01",
        contact_email="arc@example.org",
    )
    make_site(trial, None, facility_name="Clinique exemple", facility_city="Cornebarrieu")
    return trial


def test_trial_page_shows_summary_eligibility_sites_and_registry_links(client, trial, brest):
    response = client.get(trial.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Chimiothérapie avant l’opération du pancréas</h1>" in body
    assert "<strong>deux stratégies</strong>" in body
    assert "C’est l’équipe de l’essai qui décide si un patient peut y participer" in body
    assert "De 18 à 75\u00a0ans" in body
    assert "Resectable tumour" in body
    assert f'href="{brest.get_absolute_url()}"' in body
    assert "Dr Claire Exemple" in body
    assert 'href="tel:0261910001"' in body
    assert "Clinique exemple (Cornebarrieu)" in body
    assert 'href="https://clinicaltrials.gov/study/NCT09880001"' in body
    assert (
        'href="https://euclinicaltrials.eu/search-for-clinical-trials/?lang=fr&amp;EUCT=2099-501234-12-00"'
        in body
    )
    assert "clinicaltrialsregister.eu/ctr-search/search?query=2099-001234-56" in body
    assert "12 juin 2025" in body
    assert "mars 2024" in body
    assert "Fiche relue par l’équipe du réseau le 1er octobre 2026" in body
    assert 'id="map-data"' in body
    assert "status-open" in body


def test_without_a_french_summary_the_registry_one_is_shown_in_english(client, trial):
    trial.plain_summary = ""
    trial.save()
    body = client.get(trial.get_absolute_url()).content.decode()
    assert "Le résumé en français n’est pas encore rédigé" in body
    assert '<blockquote lang="en"><p>English summary.</p></blockquote>' in body


def test_demo_trial_says_so_and_links_nowhere(client, trial):
    trial.is_demo = True
    trial.save()
    body = client.get(trial.get_absolute_url()).content.decode()
    assert "Cet essai est une donnée de démonstration" in body
    assert "série fictive (NCT099…)" in body
    assert "clinicaltrials.gov/study/" not in body
    assert "euclinicaltrials.eu" not in body


def test_a_site_marked_recruiting_in_a_closed_trial_shows_the_trial_status(client, trial):
    trial.status = "SUSPENDED"
    trial.save()
    trial.sites.update(status="RECRUITING")
    body = client.get(trial.get_absolute_url()).content.decode()
    assert "status-open" not in body
    assert "Recrute" not in body
    assert "Suspendu" in body


def test_a_site_not_yet_open_in_a_recruiting_trial_says_so(client, trial):
    trial.sites.update(status="NOT_YET_RECRUITING")
    body = client.get(trial.get_absolute_url()).content.decode()
    assert "Pas encore ouvert aux inclusions" in body


def test_unpublished_and_unknown_trials_are_404(client, trial):
    trial.is_published = False
    trial.save()
    assert client.get(trial.get_absolute_url()).status_code == 404
    assert client.get("/essais/999999/").status_code == 404
    assert client.get("/essais/" + "9" * 40 + "/").status_code == 404
    assert client.get("/essais/-1/").status_code == 404


def test_trial_page_query_count_does_not_grow_with_sites(
    client, trial, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8) as few:
        client.get(trial.get_absolute_url())
    for i in range(15):
        make_site(trial, make_centre(slug=f"autre-{i}"), status="RECRUITING")
        make_site(trial, None, facility_name=f"Clinique {i}", facility_city="Brest")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(trial.get_absolute_url()).status_code == 200


def test_centre_page_lists_the_trials_recruiting_there(client, trial, brest):
    closed = make_trial(plain_title="Essai terminé", status="COMPLETED", sites=[brest])
    hidden = make_trial(plain_title="Essai non publié", is_published=False, sites=[brest])
    not_here = make_trial(plain_title="Essai pas encore ouvert ici")
    make_site(not_here, brest, status="NOT_YET_RECRUITING")
    body = client.get(brest.get_absolute_url()).content.decode()
    assert "Essais cliniques ouverts dans ce centre" in body
    assert "Chimiothérapie avant l’opération du pancréas" in body
    for other in (closed, hidden, not_here):
        assert other.display_title not in body
    assert f"{reverse('trials:finder')}?centre=chu-brest&amp;statut=tous" in body


def test_centre_page_without_trials_says_so(client, brest):
    body = client.get(brest.get_absolute_url()).content.decode()
    assert "Aucun essai publié ne recrute actuellement dans ce centre" in body


def test_centre_page_trials_section_has_constant_queries(
    client, trial, brest, django_assert_max_num_queries
):
    client.get(brest.get_absolute_url())
    with django_assert_max_num_queries(30) as few:
        client.get(brest.get_absolute_url())
    for _ in range(10):
        make_trial(sites=[brest])
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(brest.get_absolute_url()).content.decode()
    assert "11 essais recrutent actuellement dans ce centre" in body


def test_home_counts_recruiting_trials_per_axis(client, axes, brest):
    make_trial(axes=[axes["pancreas"]])
    make_trial(axes=[axes["pancreas"], axes["oesophage"]])
    make_trial(axes=[axes["pancreas"]], status="COMPLETED")
    make_trial(axes=[axes["pancreas"]], is_published=False)
    body = client.get("/").content.decode()
    assert '?axe=pancreas">2 essais cliniques qui recrutent</a>' in body
    assert '?axe=oesophage">1 essai clinique qui recrute</a>' in body
    assert "Essais cliniques\u00a0: aucun ne recrute en ce moment" in body


def test_home_counts_take_one_query(db, axes, django_assert_num_queries):
    from trials.models import Trial

    for _ in range(3):
        make_trial(axes=[axes["pancreas"], axes["foie-voies-biliaires"]])
    with django_assert_num_queries(1):
        counts = Trial.objects.recruiting_counts_by_axis()
    assert counts == {axes["pancreas"].pk: 3, axes["foie-voies-biliaires"].pk: 3}


def test_main_menu_links_to_the_finder(client, db):
    assert (
        f'<a href="{reverse("trials:finder")}">Essais cliniques</a>'
        in client.get("/").content.decode()
    )


# --- A centre the registry lists: its registry site governs there -----------------


@pytest.fixture
def closed_at_brest(brest):
    """Recruiting in Lyon; at Brest, closed by the registry, and a site staff typed
    there for a local contact, without a status."""
    lyon = make_centre(name="Hôpital Édouard-Herriot", slug="heh-lyon", city="Lyon")
    trial = make_trial(plain_title="Essai fermé à Brest", sites=[lyon])
    make_site(
        trial,
        brest,
        source="registry",
        registry_key="chu de brest|brest",
        facility_name="CHU de Brest",
        facility_city="Brest",
        status="COMPLETED",
    )
    make_site(trial, brest, contact_name="ARC de Brest", contact_phone="02 61 91 00 09")
    return trial


def test_the_centre_page_follows_the_registry_site_not_staffs(client, closed_at_brest, brest):
    lyon = closed_at_brest.sites.get(centre__slug="heh-lyon").centre
    assert "Essai fermé à Brest" in client.get(lyon.get_absolute_url()).content.decode()
    body = client.get(brest.get_absolute_url()).content.decode()
    assert "Essai fermé à Brest" not in body


def test_the_trial_page_lists_the_centre_once_with_the_registry_status(
    client, closed_at_brest, brest
):
    body = client.get(closed_at_brest.get_absolute_url()).content.decode()
    assert body.count(f'href="{brest.get_absolute_url()}"') == 1
    brest_item = body.split(f'href="{brest.get_absolute_url()}"')[1].split("</li>")[0]
    assert "Terminé" in brest_item and "Recrute" not in brest_item
    # The contact staff typed is still given.
    assert "ARC de Brest" in brest_item and 'href="tel:0261910009"' in brest_item


# --- Unpublished centres are never named ---------------------------------------


def test_a_site_at_an_unpublished_centre_shows_as_a_site_in_its_city(client, trial):
    """Issue 12: by its city only, never the registry's facility name, once per centre."""
    hidden = make_centre(name="Centre pas encore publié", slug="cache", is_published=False)
    make_site(
        trial,
        hidden,
        source="registry",
        registry_key="hopital de quimper|quimper",
        facility_name="Hôpital de Quimper",
        facility_city="Quimper",
        status="RECRUITING",
    )
    make_site(trial, hidden, investigator="Dr Masqué")  # staff's, no facility name
    body = client.get(trial.get_absolute_url()).content.decode()
    assert "Centre pas encore publié" not in body
    assert "Dr Masqué" not in body
    assert "Hôpital de Quimper" not in body
    assert "Un site à Quimper — Recrute" in body
    assert "Un site à Brest" not in body  # the staff's site at the same centre
