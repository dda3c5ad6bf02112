"""The review desk at /admin/revue/: what is due across centres, RCPs and trials,
the whole network for the pilot staff, their own centres for centre editors."""

import datetime
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centres.admin_scoping import CENTRE_GROUP, NETWORK_GROUP
from centres.models import Centre
from tests.factories import make_centre, make_person, make_role
from tests.rcp.factories import make_rcp
from tests.trials.factories import make_site, make_trial

PARIS = ZoneInfo("Europe/Paris")
CREATED = datetime.datetime(2026, 1, 10, 9, 0, tzinfo=PARIS)
NOW = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=PARIS)
DESK = "/admin/revue/"


def staff(django_user_model, username, group=None, centres=()):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", None)
    user.is_staff = True
    user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    for centre in centres:
        centre.editors.add(user)
    return user


def sections(response) -> dict[str, list[str]]:
    """Each section's heading (without its count) and its lines, as text."""
    html = response.content.decode()
    found = {}
    for block in re.findall(r"<section.*?</section>", html, flags=re.S):
        title = unescape(re.search(r"<h2[^>]*>(.*?) \(\d+\)</h2>", block).group(1))
        lines = [
            re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", "", li))).strip()
            for li in re.findall(r"<li>(.*?)</li>", block, flags=re.S)
        ]
        found[title] = lines
    return found


@pytest.fixture
def network(db, time_machine):
    """Two centres, each with something due on NOW, and one fresh centre."""
    time_machine.move_to(CREATED, tick=False)
    brest = make_centre(name="CHU de Brest", short_name="CHU de Brest")
    rennes = make_centre(
        name="CHU de Rennes",
        short_name="CHU de Rennes",
        postcode="35000",
        city="Rennes",
        department_code="35",
        latitude=48.11,
        longitude=-1.68,
    )
    fresh = make_centre(name="CHU frais", short_name="CHU frais", review_every_months=12)
    # A centre stored at (0, 0) by an old import: not on the map.
    Centre.objects.filter(pk=fresh.pk).update(latitude=0, longitude=0)
    rcp_brest = make_rcp(name="RCP pancréas Brest", organiser=brest, review_every_months=12)
    # Weekly until 1 June 2026: no meeting after that.
    ended = make_rcp(
        name="RCP foie Rennes", organiser=rennes, rrule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20260601"
    )
    changed = make_trial(acronym="PANDA", nct_number="NCT09990001", needs_review=True)
    make_site(changed, brest)
    stale = make_trial(acronym="LIVER", nct_number="NCT09990002", source="registry")
    make_site(stale, rennes)
    make_site(stale, None, facility_name="Clinique inconnue", facility_city="Quimper")
    silent = make_person(first_name="Yann", last_name="Sanscontact")
    make_role(silent, centre=brest)
    reachable = make_person(first_name="Anne", last_name="Joignable", email="anne@example.org")
    make_role(reachable, centre=brest)
    time_machine.move_to(NOW, tick=False)
    return {
        "brest": brest,
        "rennes": rennes,
        "fresh": fresh,
        "rcp_brest": rcp_brest,
        "ended": ended,
        "silent": silent,
    }


def test_pilot_staff_see_everything_due_in_the_network(client, django_user_model, network):
    client.force_login(staff(django_user_model, "pilote", NETWORK_GROUP))

    response = client.get(DESK)

    assert response.status_code == 200
    found = sections(response)
    assert found["Centres dont le rythme de mise à jour est dépassé"] == [
        "CHU de Brest — jamais vérifié, mis à jour le 10 janvier 2026 "
        "(rythme choisi\u00a0: tous les 6 mois)",
        "CHU de Rennes — jamais vérifié, mis à jour le 10 janvier 2026 "
        "(rythme choisi\u00a0: tous les 6 mois)",
    ]
    assert found["RCP dont le rythme de mise à jour est dépassé"] == [
        "RCP foie Rennes — CHU de Rennes — jamais vérifié, mis à jour le 10 janvier 2026 "
        "(rythme choisi\u00a0: tous les 6 mois)"
    ]
    assert found["RCP sans séance à venir"] == [
        "RCP foie Rennes — CHU de Rennes — aucune séance prévue\u00a0: vérifiez le calendrier"
    ]
    assert found["Essais à revoir"] == [
        "PANDA (NCT09990001) — le registre a changé (statut ou dates) depuis la dernière relecture",
        "LIVER (NCT09990002) — jamais relu dans le registre",
    ]
    assert found["Lieux d’essais à rapprocher d’un centre"] == [
        "Clinique inconnue — Quimper, LIVER (NCT09990002)"
    ]
    assert found["Personnes sans coordonnées (ni téléphone ni courriel)"] == [
        "Dr Yann Sanscontact — ni téléphone ni courriel professionnel"
    ]
    assert found["Centres sans coordonnées utilisables sur la carte"] == [
        "CHU frais — latitude 0.0, longitude 0.0"
    ]


def test_each_line_links_to_the_admin_change_page(admin_client, network):
    html = admin_client.get(DESK).content.decode()
    for name, obj in (
        ("centres_centre", network["brest"]),
        ("rcp_rcp", network["ended"]),
        ("centres_person", network["silent"]),
    ):
        assert f'href="{reverse(f"admin:{name}_change", args=[obj.pk])}"' in html
    links = re.findall(r'<li><a href="([^"]+)">', html)
    assert len(links) == 9
    for link in links:
        assert re.fullmatch(r"/admin/\w+/\w+/\d+/change/", link)
        assert admin_client.get(link).status_code == 200, link


def test_centre_editor_sees_only_their_centres(client, django_user_model, network):
    user = staff(django_user_model, "coord", CENTRE_GROUP, [network["brest"]])
    client.force_login(user)

    found = sections(client.get(DESK))

    assert [
        line.split(" — ")[0] for line in found["Centres dont le rythme de mise à jour est dépassé"]
    ] == ["CHU de Brest"]
    assert found["RCP dont le rythme de mise à jour est dépassé"] == []
    assert found["RCP sans séance à venir"] == []
    assert [line.split(" — ")[0] for line in found["Essais à revoir"]] == ["PANDA (NCT09990001)"]
    assert "Lieux d’essais à rapprocher d’un centre" not in found
    assert found["Centres sans coordonnées utilisables sur la carte"] == []
    assert len(found["Personnes sans coordonnées (ni téléphone ni courriel)"]) == 1


def test_a_check_takes_the_centre_off_the_desk(admin_client, network):
    network["brest"].last_reviewed = NOW.date()
    network["brest"].save(update_fields=["last_reviewed"])
    found = sections(admin_client.get(DESK))
    names = [
        line.split(" — ")[0] for line in found["Centres dont le rythme de mise à jour est dépassé"]
    ]
    assert names == ["CHU de Rennes"]


def test_staff_without_centre_rights_are_refused(client, django_user_model, network):
    client.force_login(staff(django_user_model, "other"))
    assert client.get(DESK).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, network):
    response = client.get(DESK)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_index_links_to_the_desk(admin_client, db):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{DESK}">Revue\u00a0: ce qui est à vérifier' in html


def test_desk_query_count_does_not_grow_with_rows(admin_client, network, time_machine):
    """Each list is one query (the RCPs' exceptions one more), whatever the rows:
    no N+1 on the organisers, the trials or the people."""

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(DESK).status_code == 200
        return len(queries)

    before = count()
    time_machine.move_to(CREATED, tick=False)
    for n in range(3):
        centre = make_centre(name=f"Centre en plus {n}")
        make_rcp(name=f"RCP en plus {n}", organiser=centre)
        make_role(make_person(last_name=f"Muet{n}"), centre=centre)
        make_site(make_trial(needs_review=True), centre)
    time_machine.move_to(NOW, tick=False)
    assert count() == before
