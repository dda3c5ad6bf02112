"""Journey 7: a patient in Lyon (69003) finds recruiting pancreas trials within
100 km and opens one (Chromium, live server, demo data, nothing off the site)."""

import re

import pytest
from playwright.sync_api import expect

from .fixtures import save_screenshot

pytestmark = pytest.mark.browser

DISTANCE = re.compile(r"à (\d+) km")


def test_journey_7_patient_in_lyon_finds_recruiting_pancreas_trials_and_opens_one(page):
    page.goto("/")
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("link", name="Essais cliniques").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trouver un essai clinique")

    page.get_by_label("Cancer (axe)").select_option(label="Pancréas")
    page.get_by_label("Près de (code postal ou commune)").fill("69003")
    page.get_by_label("Distance maximale").select_option(label="100 km")
    expect(page.get_by_label("Statut")).to_have_value("recrute")  # the default
    page.get_by_role("button", name="Rechercher").click()

    expect(
        page.get_by_role("heading", name=re.compile(r"qui recrutent? à moins de 100 km de 69003"))
    ).to_be_visible()
    cards = page.locator("ol.cards > li")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 3
    distances = []
    for i in range(cards.count()):
        card = cards.nth(i)
        expect(card.locator(".trial-status")).to_have_text("Recrute")
        expect(card).to_contain_text("Pancréas")
        distances.append(int(DISTANCE.search(card.locator(".card-meta").inner_text())[1]))
    assert distances == sorted(distances) and distances[-1] <= 100, distances

    first = cards.first
    expect(first).to_contain_text("Centres les plus proches")
    title = first.locator(".card-title").inner_text()
    first.locator(".card-title a").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".trial-status").first).to_contain_text("Recrute")
    expect(page.get_by_role("heading", name="Qui peut participer ?")).to_be_visible()
    expect(page.locator(".eligibility-note")).to_contain_text(
        "C’est l’équipe de l’essai qui décide"
    )
    places = page.get_by_role("heading", name="Où l’essai est-il ouvert ?")
    expect(places).to_be_visible()
    lyon_site = page.locator(".trial-site-list li").filter(has_text="Lyon").first
    expect(lyon_site).to_contain_text("Contact")
    phone = lyon_site.locator("a[href^='tel:']")
    expect(phone).to_be_visible()
    # Demo data: the page says the trial is fictional and links to no registry page.
    expect(page.locator(".notice").first).to_contain_text("donnée de démonstration")
    expect(page.locator("a[href*='clinicaltrials.gov/study/']")).to_have_count(0)
    save_screenshot(page, "journey-7-patient-lyon-pancreas-trial")
