"""Subscribing without an account: the feeds' addresses near the top of the RCP
pages, and a chosen set of RCPs picked on the directory (no JavaScript)."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from .factories import make_rcp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(datetime(2026, 3, 1, 10, tzinfo=ZoneInfo("Europe/Paris")), tick=False)


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_directory_shows_every_feed_address_before_the_results(client, axes):
    make_rcp(axes=[axes["pancreas"]])
    page = text(client.get(reverse("rcp:directory")))
    feeds_at = page.index('class="subscribe feeds"')
    assert feeds_at < page.index('id="resultats-titre"')
    for address in (
        "http://testserver/rcp/agenda.ics",
        "http://testserver/rcp/echeances.ics",
        "http://testserver/rcp/axe/pancreas.ics",
        "http://testserver/rcp/echeances/axe/pancreas.ics",
    ):
        assert f'<code class="feed-url">{address}</code>' in page


def test_directory_filtered_by_centre_offers_that_centres_feed(client):
    rcp = make_rcp()
    page = text(client.get(reverse("rcp:directory") + f"?centre={rcp.organiser.slug}"))
    assert f"http://testserver/rcp/centre/{rcp.organiser.slug}.ics" in page
    assert f"http://testserver/rcp/agenda.ics?centre={rcp.organiser.slug}" in page


def test_rcp_page_offers_its_centres_axes_and_network_feeds_near_the_top(client, axes):
    rcp = make_rcp(axes=[axes["pancreas"]])
    page = text(client.get(rcp.get_absolute_url()))
    assert page.index('class="subscribe feeds"') < page.index('id="dates-titre"')
    for address in (
        f"http://testserver/rcp/{rcp.slug}.ics",
        f"http://testserver/rcp/echeances/{rcp.slug}.ics",
        f"http://testserver/rcp/centre/{rcp.organiser.slug}.ics",
        "http://testserver/rcp/axe/pancreas.ics",
        "http://testserver/rcp/agenda.ics",
    ):
        assert address in page
    assert f'href="webcal://testserver/rcp/{rcp.slug}.ics"' in page


def test_directory_cards_are_checkboxes_of_a_get_form_to_the_subscription_page(client):
    first, second = make_rcp(), make_rcp()
    page = text(client.get(reverse("rcp:directory")))
    form = re.search(
        r'<form method="get" action="/rcp/abonnement/" id="choix-rcp">(.*?)</form>', page, re.S
    )
    assert form
    for rcp in (first, second):
        assert (
            f'<input type="checkbox" name="rcp" value="{rcp.slug}" id="choix-{rcp.slug}">'
            in form[1]
        )
    assert "Voir les adresses de ma sélection" in form[1]


def test_subscription_page_gives_the_addresses_of_the_chosen_set(client):
    first, second = make_rcp(name="RCP un"), make_rcp(name="RCP deux")
    url = reverse("rcp:subscription") + f"?rcp={first.slug}&rcp={second.slug}&rappel=1j"
    page = text(client.get(url))
    assert "RCP un" in page and "RCP deux" in page
    feed = f"http://testserver/rcp/agenda.ics?rcp={first.slug}&amp;rcp={second.slug}&amp;rappel=1j"
    assert feed in page
    assert feed.replace("agenda.ics", "echeances.ics") in page
    # The address it gives is a feed of exactly these two.
    body = client.get(feed.replace("&amp;", "&").removeprefix("http://testserver")).content
    assert b"RCP un" in body and b"RCP deux" in body and b"BEGIN:VALARM" in body


def test_subscription_page_without_a_choice_explains_how_to_choose(client):
    page = text(client.get(reverse("rcp:subscription")))
    assert "Aucune RCP choisie" in page and 'href="/rcp/"' in page


def test_subscription_page_says_when_a_chosen_rcp_is_gone(client):
    kept, gone = make_rcp(), make_rcp(is_published=False)
    page = text(client.get(reverse("rcp:subscription") + f"?rcp={kept.slug}&rcp={gone.slug}"))
    assert "1 RCP de la sélection n’existe plus ou n’est plus publiée" in page
    assert gone.name not in page


def test_subscription_page_follows_a_renamed_rcp(client):
    rcp = make_rcp(slug="ancien-nom")
    rcp.slug = "nouveau-nom"
    rcp.save()
    response = client.get(reverse("rcp:subscription") + "?rcp=ancien-nom")
    assert response.status_code == 301
    assert response["Location"] == reverse("rcp:subscription") + "?rcp=nouveau-nom"


@pytest.mark.parametrize(
    "query",
    ["rcp=%00", "rcp=../x", "rcp=" + "a" * 300, "rappel=%00", "rappel=toujours"]
    + ["&".join(f"rcp=r{n}" for n in range(41))],
)
def test_hostile_selection_answers_400_with_a_message(client, query):
    response = client.get(reverse("rcp:subscription") + "?" + query)
    assert response.status_code == 400
    assert "La sélection ne peut pas être lue" in response.content.decode()


def test_subscription_page_queries_do_not_grow_with_the_selection(
    client, django_assert_max_num_queries
):
    rcps = [make_rcp() for _ in range(12)]

    def url(chosen):
        return reverse("rcp:subscription") + "?" + "&".join(f"rcp={r.slug}" for r in chosen)

    with django_assert_max_num_queries(6) as small:
        text(client.get(url(rcps[:2])))
    with django_assert_max_num_queries(len(small.captured_queries)):
        text(client.get(url(rcps)))
