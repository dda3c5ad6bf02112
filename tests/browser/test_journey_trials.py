"""Journey 7: a patient in Lyon (69003) answers the finder's three questions
(pancreas, 62 years old, 69003), finds recruiting trials within 100 km, opens one
whose sites come nearest first, and prints it for their doctor (Chromium, live
server, demo data, nothing off the site)."""

import re

import pytest
from playwright.sync_api import expect

from .fixtures import save_screenshot

pytestmark = pytest.mark.browser

DISTANCE = re.compile(r"à (\d+)\s?km")


def test_journey_7_patient_in_lyon_finds_recruiting_pancreas_trials_and_opens_one(page):
    page.goto("/")
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("link", name="Essais cliniques").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trouver un essai clinique")

    questions = page.get_by_role("group", name="Trois questions pour commencer")
    questions.get_by_label(re.compile("Quel cancer")).select_option(label="Pancréas")
    questions.get_by_label(re.compile("Quel âge")).fill("62")
    questions.get_by_label(re.compile("Près d’où")).fill("69003")
    questions.get_by_label("Distance maximale").select_option(label="100\u00a0km")
    expect(page.get_by_label("Statut")).to_have_value("recrute")  # the default
    page.get_by_role("button", name="Rechercher").click()

    expect(
        page.get_by_role("heading", name=re.compile(r"qui recrutent? à moins de 100\s?km de 69003"))
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
        expect(card.locator(".trial-count")).to_have_text(
            re.compile(r"^\d+ lieux?, dont \d+ à moins de 100\s?km$")
        )
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
    places = page.get_by_role("heading", name=re.compile("Où l’essai est-il ouvert"))
    expect(places).to_be_visible()
    expect(page.get_by_text("Du plus proche au plus éloigné de 69003")).to_be_visible()
    first_site = page.locator(".trial-site-list li").first
    expect(first_site).to_contain_text(DISTANCE)
    lyon_site = page.locator(".trial-site-list li").filter(has_text="Lyon").first
    expect(lyon_site).to_contain_text("Contact")
    phone = lyon_site.locator("a[href^='tel:']")
    expect(phone).to_be_visible()
    # Demo data: the page says the trial is fictional and links to no registry page.
    expect(page.locator(".notice").first).to_contain_text("donnée de démonstration")
    expect(page.locator("a[href*='clinicaltrials.gov/study/']")).to_have_count(0)
    save_screenshot(page, "journey-7-patient-lyon-pancreas-trial")

    page.get_by_role("link", name="Version à imprimer, à montrer à mon médecin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Essais cliniques à montrer à mon médecin"
    )
    expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()
    expect(page.get_by_role("heading", name="Questions à poser à mon médecin")).to_be_visible()
    save_screenshot(page, "journey-7-printable-trial")
