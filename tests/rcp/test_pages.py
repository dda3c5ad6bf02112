"""Public RCP pages: directory, RCP page, case form, calendar, centre section."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from demo.rcps import demo_case_form_pdf
from rcp.models import Rcp, RcpException, RcpMember
from tests import factories

from .factories import make_exception, make_rcp

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))  # a Monday


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- Directory ---------------------------------------------------------------


def test_directory_shows_next_meeting_and_deadline(client):
    rcp = make_rcp(name="RCP nationale de recours pancréas")
    page = text(client.get(reverse("rcp:directory")))
    assert rcp.name in page
    assert "Prochaine séance</dt><dd>mardi 24 novembre 2026 à 14 h 00" in page
    assert "vendredi 20 novembre 2026 à 12 h 00" in page  # Sunday moved back to Friday
    assert "Chaque mardi, à 14 h 00." in page


def test_directory_filters_by_axis_scope_weekday_mode_region_and_centre(client, axes):
    brest = factories.make_centre()
    lyon = factories.make_centre(
        postcode="69003", city="Lyon", department_code="69", latitude=45.76, longitude=4.84
    )
    recourse = make_rcp(
        name="Recours pancréas", axes=[axes["pancreas"]], scope=Rcp.Scope.RECOURSE, organiser=brest
    )
    regional = make_rcp(
        name="Régionale foie",
        axes=[axes["foie-voies-biliaires"]],
        rrule="FREQ=WEEKLY;BYDAY=TH",
        first_date=date(2026, 1, 8),
        mode=Rcp.Mode.ON_SITE,
        organiser=lyon,
    )

    def names(query):
        response = client.get(reverse("rcp:directory") + "?" + query)
        assert response.status_code == 200
        return {rcp.name for rcp, _next, _km in response.context["items"]}

    assert names("axe=pancreas") == {recourse.name}
    assert names("portee=recourse") == {recourse.name}
    assert names("jour=TH") == {regional.name}
    assert names("mode=onsite") == {regional.name}
    assert names(f"centre={lyon.slug}") == {regional.name}
    assert names(f"region={lyon.department.region.slug}") == {regional.name}
    assert names("q=pancreas") == {recourse.name}
    assert names("q=lyon") == {regional.name}


def test_unpublished_rcp_is_not_listed_and_its_page_is_404(client):
    rcp = make_rcp(is_published=False)
    assert rcp.name not in text(client.get(reverse("rcp:directory")))
    assert client.get(rcp.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "axe=%00",
        "q=%00",
        "q=" + "a" * 10000,
        "jour=FRIDAY",
        "portee=%00",
        "centre=" + "x" * 500,
        "region=1%27",
        "page=%00",
        "page=99999",
        "page=-1",
    ],
)
def test_hostile_directory_values_answer_400_or_a_normal_page(client, query):
    make_rcp()
    response = client.get(reverse("rcp:directory") + "?" + query)
    assert response.status_code in (200, 400)
    assert "<h1>Trouver une RCP</h1>" in text(response)


def test_directory_queries_do_not_grow_with_the_number_of_rcps(
    client, axes, django_assert_max_num_queries
):
    for _ in range(3):
        make_rcp(axes=[axes["pancreas"]])
    with django_assert_max_num_queries(8):
        client.get(reverse("rcp:directory"))
    for _ in range(15):
        rcp = make_rcp(axes=[axes["pancreas"], axes["oesophage"]])
        make_exception(rcp, date(2026, 12, 1))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("rcp:directory"))
    assert len(response.context["items"]) == 18


# --- RCP page ----------------------------------------------------------------


def test_rcp_page_lists_ten_dates_with_deadlines_moved_and_cancelled(client):
    rcp = make_rcp()
    make_exception(rcp, date(2026, 12, 1), note="Congrès national")
    make_exception(
        rcp,
        date(2026, 12, 8),
        kind=RcpException.Kind.MOVED,
        new_date=date(2026, 12, 9),
        new_start_time=time(12, 30),
        note="Salle indisponible",
    )
    response = client.get(rcp.get_absolute_url())
    page = text(response)
    assert len(response.context["meetings"]) == 10
    # Monday 10:00: the deadline of Tuesday's meeting was Friday noon.
    assert (
        "<dt>Prochaine séance</dt><dd>mardi 24 novembre 2026 à 14 h 00 — "
        '<strong class="status status-closed">dossiers clos le vendredi 20 novembre 2026 '
        "à 12 h 00</strong></dd>" in page
    )
    assert (
        '<dt>Prochaine séance possible</dt><dd class="reachable-start">mercredi 9 décembre 2026 '
        'à 12 h 30 <strong class="status status-moved">séance déplacée</strong></dd> '
        '<dt>Dossiers à envoyer avant le</dt><dd class="reachable-deadline">lundi 7 décembre 2026 '
        "à 12 h 00</dd>" in page
    )
    assert (
        "<td>mardi 24 novembre 2026 à 14 h 00</td> <td>"
        '<strong class="status status-closed">dossiers clos</strong> depuis le '
        "vendredi 20 novembre 2026 à 12 h 00</td>" in page
    )
    assert "<del>mardi 1er décembre 2026 à 14 h 00</del>" in page
    assert "Séance annulée</strong> : Congrès national" in page
    assert "mercredi 9 décembre 2026 à 12 h 30" in page
    assert (
        "Séance déplacée</strong>, prévue initialement le "
        "<del>mardi 8 décembre 2026 à 14 h 00</del>" in page
    )
    assert (
        "La RCP se réunit chaque mardi, à 14 h 00, pendant 120 minutes, sauf les jours fériés."
        in page
    )
    assert (
        "2 jours avant à 12 h 00 (le jour ouvré précédent si ce jour tombe un week-end ou un "
        "jour férié)" in page
    )


def test_overseas_rcp_page_names_its_zone_and_paris_time(client):
    rcp = make_rcp(timezone="America/Martinique", start_time=time(12, 30))
    page = text(client.get(rcp.get_absolute_url()))
    # Martinique is UTC-4, Paris UTC+1 in winter, UTC+2 from 28 March 2027.
    assert "mardi 24 novembre 2026 à 12 h 30 (heure de la Martinique ; 17 h 30 à Paris)" in page
    # The table names the zone and the difference once, in its caption.
    assert (
        "<caption>Les 10 prochaines dates, en heure de la Martinique. "
        "À Paris, il est 5 h de plus.</caption>" in page
    )
    assert "<td>mardi 1er décembre 2026 à 12 h 30</td>" in page
    # Only the box of the next session names Paris time (its closed meeting, the
    # next reachable one and their deadlines), not every cell of the table.
    assert page.count("à Paris)") == 4


def test_private_video_link_is_never_shown_and_the_page_says_how_to_get_it(client):
    rcp = make_rcp(
        video_url="https://visio.example.org/secret-rcp",
        secretariat_email="rcp@example.org",
        secretariat_phone="02 98 22 33 33",
    )
    page = text(client.get(rcp.get_absolute_url()))
    assert "secret-rcp" not in page
    assert "Le lien de connexion est transmis par le secrétariat aux médecins inscrits" in page
    assert 'href="mailto:rcp@example.org"' in page


def test_public_video_link_is_shown_when_the_rcp_marks_it_public(client):
    rcp = make_rcp(video_url="https://visio.example.org/ouvert", video_url_is_public=True)
    assert 'href="https://visio.example.org/ouvert"' in text(client.get(rcp.get_absolute_url()))


def test_rcp_page_offers_subscription_links_and_instructions(client):
    rcp = make_rcp()
    page = text(client.get(rcp.get_absolute_url()))
    assert f'href="webcal://testserver/rcp/{rcp.slug}.ics"' in page
    assert f'href="http://testserver/rcp/{rcp.slug}.ics"' in page
    assert "Outlook / Google / Apple" in page
    assert "À partir de l’URL" in page


def test_rcp_page_queries_are_constant(client, axes, django_assert_max_num_queries):
    """The RCP, its axes, their minimum data sets, exceptions, members (with
    their people), participating centres and the quorum rule: 7 queries."""
    rcp = make_rcp()
    with django_assert_max_num_queries(7):
        client.get(rcp.get_absolute_url())
    rcp.participants.set([factories.make_centre() for _ in range(8)])
    rcp.axes.set(axes.values())
    for day in (date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 15)):
        make_exception(rcp, day)
    for specialty in ("surgery", "oncology", "radiotherapy", "radiology"):
        RcpMember.objects.create(rcp=rcp, person=factories.make_person(), specialty=specialty)
    with django_assert_max_num_queries(7):
        response = client.get(rcp.get_absolute_url())
    assert len(response.context["members"]) == 4


# --- Case form ---------------------------------------------------------------


def test_case_form_is_downloaded_as_an_attachment(client, media):
    rcp = make_rcp()
    rcp.case_form.save("fiche.pdf", ContentFile(demo_case_form_pdf("Fiche")))
    page = text(client.get(rcp.get_absolute_url()))
    assert f'href="/rcp/{rcp.slug}/fiche-dossier/"' in page
    assert "(PDF," in page
    response = client.get(reverse("rcp:case_form", args=[rcp.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="fiche-rcp-{rcp.slug}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_case_form_is_not_served_under_media(client, media):
    rcp = make_rcp()
    rcp.case_form.save("fiche.pdf", ContentFile(demo_case_form_pdf("Fiche")))
    assert client.get("/media/" + rcp.case_form.name).status_code == 404


def test_missing_case_form_is_404_not_500(client, media):
    rcp = make_rcp()
    assert client.get(reverse("rcp:case_form", args=[rcp.slug])).status_code == 404
    Rcp.objects.filter(pk=rcp.pk).update(case_form="rcp/fiches/absente.pdf")
    assert client.get(rcp.get_absolute_url()).status_code == 200
    assert client.get(reverse("rcp:case_form", args=[rcp.slug])).status_code == 404


# --- Calendar ----------------------------------------------------------------


def test_calendar_shows_this_week_by_day_with_navigation(client):
    tuesday = make_rcp(name="RCP du mardi")
    thursday = make_rcp(
        name="RCP du jeudi", rrule="FREQ=WEEKLY;BYDAY=TH", first_date=date(2026, 1, 8)
    )
    make_exception(thursday, date(2026, 11, 26), note="Grève")
    response = client.get(reverse("rcp:calendar"))
    page = text(response)
    assert (
        "Les sept prochains jours, du lundi 23 novembre 2026 au dimanche 29 novembre 2026 : "
        "1 séance" in page
    )
    assert "Mardi 24 novembre 2026" in page
    assert tuesday.name in page
    # Monday 10:00: Tuesday's files were due on Friday.
    assert '<strong class="status status-closed">dossiers clos</strong>' in page
    assert "dossiers clos depuis le vendredi 20 novembre 2026 à 12 h 00" in page
    assert "annulée" in page and "Grève" in page
    assert 'href="?semaine=2026-W47"' in page
    assert 'href="?semaine=2026-W49"' in page
    assert 'href="?mois=2026-11"' in page
    assert 'href="?semaine=2026-W48">Voir toute la semaine en cours' in page


def test_calendar_month_view_and_filters(client, axes):
    make_rcp(name="RCP pancréas", axes=[axes["pancreas"]])
    make_rcp(name="RCP foie", axes=[axes["foie-voies-biliaires"]])
    response = client.get(reverse("rcp:calendar") + "?mois=2026-12&axe=pancreas")
    page = text(response)
    assert response.status_code == 200
    assert "Décembre 2026 : 5 séances" in page
    assert "RCP foie" not in page
    assert 'href="?mois=2027-01&amp;axe=pancreas"' in page
    assert '<input type="hidden" name="mois" value="2026-12">' in page


@pytest.mark.parametrize(
    "query",
    [
        "semaine=0000-W01",
        "semaine=99999-W01",
        "semaine=2026-W54",
        "semaine=2026-W00",
        "mois=2026-13",
        "mois=0-1",
        "mois=99999-01",
        "mois=%00",
        "mois=2026-12&semaine=2026-W49",
        "semaine=" + "9" * 10000,
        "axe=%00",
    ],
)
def test_hostile_calendar_values_answer_400_with_a_page(client, query):
    response = client.get(reverse("rcp:calendar") + "?" + query)
    assert response.status_code == 400
    assert "<h1>Calendrier des RCP</h1>" in text(response)


def test_calendar_edges_have_no_link_beyond_the_years_accepted(client):
    page = text(client.get(reverse("rcp:calendar") + "?mois=2100-12"))
    assert "mois=2101" not in page
    page = text(client.get(reverse("rcp:calendar") + "?semaine=2000-W01"))
    assert "semaine=1999" not in page
    page = text(client.get(reverse("rcp:calendar") + "?mois=2000-01"))
    assert "semaine=1999" not in page
    assert 'href="?semaine=2000-W01">Voir une semaine' in page


def test_a_month_other_than_this_one_offers_its_first_monday_s_week(client):
    # September 2027 starts on a Wednesday: its first whole week is 6 to 12 September.
    page = text(client.get(reverse("rcp:calendar") + "?mois=2027-09"))
    assert 'href="?semaine=2027-W36">Voir une semaine' in page


def test_calendar_filters_by_weekday(client, axes):
    make_rcp(name="RCP du mardi", axes=[axes["pancreas"]])
    make_rcp(
        name="RCP du jeudi",
        rrule="FREQ=WEEKLY;BYDAY=TH",
        first_date=date(2026, 1, 8),
        axes=[axes["pancreas"]],
    )
    response = client.get(reverse("rcp:calendar") + "?mois=2026-12&jour=TH")
    page = text(response)
    assert response.status_code == 200
    assert "RCP du jeudi" in page and "RCP du mardi" not in page
    assert '<option value="TH" selected>' in page


def test_calendar_queries_are_constant(client, axes, django_assert_max_num_queries):
    make_rcp(axes=[axes["pancreas"]])
    with django_assert_max_num_queries(7):
        client.get(reverse("rcp:calendar") + "?mois=2026-12")
    for _ in range(20):
        rcp = make_rcp(axes=[axes["pancreas"]])
        make_exception(rcp, date(2026, 12, 1))
    with django_assert_max_num_queries(7):
        response = client.get(reverse("rcp:calendar") + "?mois=2026-12")
    assert response.context["count"] == 21 * 5 - 20


# --- Centre page -------------------------------------------------------------


def test_centre_page_lists_the_rcps_it_organises_or_joins(client):
    centre = factories.make_centre()
    organised = make_rcp(name="RCP organisée ici", organiser=centre)
    joined = make_rcp(name="RCP où le centre participe", participants=[centre])
    make_rcp(name="RCP sans ce centre")
    page = text(client.get(centre.get_absolute_url()))
    assert "RCP du centre" in page
    assert organised.name in page and joined.name in page
    assert "RCP sans ce centre" not in page
    assert "<dt>Prochaine séance</dt><dd>mardi 24 novembre 2026 à 14 h 00 — " in page
    assert (
        '<dt>Prochaine séance possible</dt><dd class="reachable-start">mardi 1er décembre 2026 '
        "à 14 h 00" in page
    )
    assert f'href="http://testserver/rcp/centre/{centre.slug}.ics"' in page
    assert f'href="webcal://testserver/rcp/centre/{centre.slug}.ics"' in page
    assert "Agenda des RCP du centre : Outlook, Google ou Apple" in page
    assert f"http://testserver/rcp/echeances/centre/{centre.slug}.ics" in page


def test_centre_page_rcp_section_has_constant_queries(client, django_assert_max_num_queries):
    centre = factories.make_centre()
    make_rcp(organiser=centre)
    with django_assert_max_num_queries(20) as few:
        client.get(centre.get_absolute_url())
    for _ in range(12):
        rcp = make_rcp(participants=[centre])
        make_exception(rcp, date(2026, 12, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(centre.get_absolute_url())


def test_centre_without_rcp_has_no_rcp_section(client):
    centre = factories.make_centre()
    assert "RCP du centre" not in text(client.get(centre.get_absolute_url()))


@pytest.mark.parametrize(
    "month, last, previous, following",
    [
        ("2028-02", date(2028, 2, 29), "2028-01", "2028-03"),
        ("2027-02", date(2027, 2, 28), "2027-01", "2027-03"),
        ("2027-01", date(2027, 1, 31), "2026-12", "2027-02"),
        ("2026-12", date(2026, 12, 31), "2026-11", "2027-01"),
        ("2026-04", date(2026, 4, 30), "2026-03", "2026-05"),
    ],
)
def test_a_month_of_the_calendar_runs_to_its_last_day_between_its_neighbours(
    client, month, last, previous, following
):
    response = client.get(reverse("rcp:calendar") + f"?mois={month}")
    assert (response.context["first"], response.context["last"]) == (
        date(*map(int, month.split("-")), 1),
        last,
    )
    page = text(response)
    assert f'href="?mois={previous}"' in page and f'href="?mois={following}"' in page
