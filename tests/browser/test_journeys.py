"""The five user journeys of the portal, in Chromium, on the live server with demo data.

Each journey asserts what the user sees, with map tiles (and everything else
off the site) unreachable, and leaves a screenshot of its last page in
test-artifacts/.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from centres.admin_scoping import CENTRE_GROUP
from centres.models import Centre

from .fixtures import save_screenshot

pytestmark = pytest.mark.browser

FRENCH_PHONE = re.compile(r"^0\d( \d\d){4}$")
# ARCEP reserves 02 61 91 xx xx for fiction: never a real number.
NEW_PHONE = "02 61 91 00 42"

# Every element a keyboard user must be able to reach, and what the focus shows.
FOCUSABLE = (
    "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), "
    "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])"
)
MARK_FOCUSABLE = """(selector) => {
  const shown = (el) => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden" && !el.closest("[inert]")
    // The content of a closed <details> is reached once its summary opens it.
    && !(el.closest("details:not([open])") && !el.closest("summary"));
  return [...document.querySelectorAll(selector)].filter(shown).map((el, i) => {
    el.dataset.kbd = String(i);
    return (el.tagName.toLowerCase() + " « " + (el.textContent || el.name || el.id || "")
      .trim().replace(/\\s+/g, " ").slice(0, 50) + " »");
  });
}"""
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== "none";
  const onScreen = rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
    && rect.top < innerHeight && rect.left < innerWidth;
  return {
    id: el.dataset.kbd ?? null,
    label: el.tagName.toLowerCase() + " « " + (el.textContent || el.name || el.id || "")
      .trim().replace(/\\s+/g, " ").slice(0, 50) + " »",
    visible: el.matches(":focus-visible") && ring && onScreen,
  };
}"""


def tab_through_page(page) -> tuple[list[str], list[str]]:
    """Press Tab across the whole page: (controls never reached, controls without visible focus)."""
    controls = page.evaluate(MARK_FOCUSABLE, FOCUSABLE)
    page.locator("body").click(position={"x": 1, "y": 1})  # start from the top of the page
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    reached, invisible = set(), []
    first = None
    for _ in range(len(controls) + 20):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            continue
        if state["id"] is not None and state["id"] == first:
            break  # wrapped around
        first = first if first is not None else state["id"]
        if state["id"] is not None:
            reached.add(state["id"])
        if not state["visible"]:
            invisible.append(state["label"])
    unreached = [label for i, label in enumerate(controls) if str(i) not in reached]
    return unreached, invisible


def tab_to(page, locator, limit=300):
    """Press Tab until `locator` has the focus, as a keyboard user would."""
    handle = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if handle.evaluate("(el) => el === document.activeElement"):
            return
    raise AssertionError(f"{locator} never got the focus with Tab")


def check_keyboard_access(page, where: str):
    # Scripts may still change the page: the map hides itself when tiles fail.
    page.wait_for_load_state("networkidle")
    unreached, invisible = tab_through_page(page)
    assert not unreached, f"{where}: controls the Tab key never reaches: {unreached}"
    assert not invisible, f"{where}: controls focused without a visible focus: {invisible}"


def result_titles(page) -> list[str]:
    return page.locator("ol.cards .card-title").all_inner_texts()


def test_journey_1_patient_in_brest_finds_the_nearest_pancreas_centre_and_its_phone(page):
    page.goto("/")
    page.get_by_label("Code postal ou commune").fill("29200")
    page.get_by_label("Cancer", exact=True).select_option(label="Pancréas")
    page.get_by_role("button", name="Chercher").click()

    expect(
        page.get_by_role("heading", name=re.compile("Centres les plus proches de"))
    ).to_be_visible()
    first = page.locator("ol.cards > li").first
    expect(first).to_contain_text("km")
    expect(first).to_contain_text("Pancréas")
    name = first.locator(".card-title").inner_text()
    first.locator(".card-title a").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Brest")
    phone = page.locator(".contact-box a.phone")
    expect(phone).to_be_visible()
    assert FRENCH_PHONE.match(phone.inner_text()), phone.inner_text()
    assert phone.get_attribute("href") == "tel:" + phone.inner_text().replace(" ", "")
    save_screenshot(page, "journey-1-patient-brest-centre-phone")


def test_journey_2_the_same_with_the_keyboard_only(page):
    page.goto("/")
    check_keyboard_access(page, "home")
    tab_to(page, page.get_by_label("Code postal ou commune"))
    page.keyboard.type("29200")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == page.get_by_label(
        "Cancer", exact=True
    ).get_attribute("id")
    page.keyboard.type("Pancr")  # a closed select jumps to the option typed
    tab_to(page, page.get_by_role("button", name="Chercher"))
    page.keyboard.press("Enter")

    expect(
        page.get_by_role("heading", name=re.compile("Centres les plus proches de"))
    ).to_be_visible()
    assert "axe=pancreas" in page.url and "pres_de=29200" in page.url
    tab_to(page, page.get_by_text("Autres critères"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Nom, ville ou mot-clé")).to_be_visible()
    check_keyboard_access(page, "directory results")

    first_link = page.locator("ol.cards .card-title a").first
    name = first_link.inner_text()
    tab_to(page, first_link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    check_keyboard_access(page, "centre page")
    phone = page.locator(".contact-box a.phone")
    tab_to(page, phone)
    assert FRENCH_PHONE.match(phone.inner_text())
    save_screenshot(page, "journey-2-keyboard-centre-phone")


def test_journey_3_gp_searches_without_accents_and_by_department_and_shares_the_url(
    page, open_context
):
    page.goto("/centres/")
    page.get_by_text("Autres critères").click()
    page.get_by_label("Nom, ville ou mot-clé").fill("pitie salpetriere")
    page.get_by_label("Département").select_option(label="Paris (75)")
    page.get_by_role("button", name="Rechercher").click()

    expect(page.get_by_role("heading", name=re.compile("correspondant"))).to_be_visible()
    titles = result_titles(page)
    assert titles and all("Pitié-Salpêtrière" in t for t in titles), titles
    shared = page.url
    assert "q=pitie+salpetriere" in shared and "departement=75" in shared

    page.reload()
    assert result_titles(page) == titles
    colleague = open_context().new_page()  # someone else opens the link
    colleague.goto(shared)
    assert result_titles(colleague) == titles
    expect(colleague.get_by_label("Nom, ville ou mot-clé")).to_have_value("pitie salpetriere")
    expect(colleague.get_by_label("Département")).to_have_value("75")
    save_screenshot(colleague, "journey-3-shared-filtered-directory")


def test_journey_4_staff_changes_a_phone_number_in_the_admin_and_the_public_sees_it(
    live_site, open_context
):
    centre = Centre.objects.published().get(slug="chu-brest")
    assert centre.phone != NEW_PHONE
    # A centre coordinator: in the coordinators' group, editor of this centre only.
    staff = get_user_model().objects.create_user(
        "coordination-brest", "coordination@example.org", "une phrase de passe assez longue"
    )
    staff.is_staff = True
    staff.save()
    staff.groups.add(Group.objects.get(name=CENTRE_GROUP))
    centre.editors.add(staff)
    # The browser writes: this journey runs on the transactional live server.
    page = open_context(base_url=live_site.url).new_page()
    public = open_context(base_url=live_site.url).new_page()  # anonymous, before the change
    public.goto(centre.get_absolute_url())
    expect(public.locator(".contact-box a.phone")).to_have_text(centre.phone)

    page.goto("/admin/")
    page.locator("#id_username").fill("coordination-brest")
    page.locator("#id_password").fill("une phrase de passe assez longue")
    page.locator("#login-form [type=submit]").click()
    page.get_by_role("link", name="Centres", exact=True).click()
    page.get_by_role("link", name=centre.name, exact=True).click()
    page.locator("#id_phone").fill(NEW_PHONE)
    page.locator("[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text(f"« {centre} » a été modifié")

    public.goto(centre.get_absolute_url())
    expect(public.locator(".contact-box a.phone")).to_have_text(NEW_PHONE)
    save_screenshot(public, "journey-4-admin-edit-public-page")


@pytest.mark.parametrize("scripts", [False, True], ids=["scripts-blocked", "scripts-on"])
def test_journey_5_map_page_lists_every_centre_without_tiles(open_context, scripts):
    page = open_context(java_script_enabled=scripts).new_page()
    page.goto("/centres/carte/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Carte des centres du réseau")
    centres = list(Centre.objects.published().values_list("name", flat=True))
    assert len(centres) > 50
    listed = page.locator(".map-list li a").all_inner_texts()
    assert sorted(listed) == sorted(centres)
    for name in ("CHU de Brest — Hôpital Morvan", "CHU Avicenne, AP-HP"):
        expect(page.get_by_role("link", name=name, exact=True).first).to_be_visible()
    expect(page.locator("figure svg").first).to_be_visible()  # the server-drawn map
    save_screenshot(page, f"journey-5-map-{'scripts-on' if scripts else 'scripts-blocked'}")
