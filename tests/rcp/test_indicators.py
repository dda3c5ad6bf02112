"""Activity indicators: arithmetic on known data, periods, alerts, page and CSV."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from rcp.indicators import Figures, change, compute, periods, shift_year
from rcp.models import QuorumRule, RcpActivity

from .factories import make_activity, make_rcp

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Europe/Paris")), tick=False)


def row_for(rows, start):
    return next(r for r in rows if r.period.start == start)


def test_month_figures_and_change_against_the_year_before():
    rcp = make_rcp(first_date=date(2025, 1, 7))
    # October 2025: 2 meetings, 10 + 14 files, 6 + 8 first, 8 + 10 doctors.
    make_activity(
        rcp, date(2025, 10, 7), files_discussed=10, first_presentations=6, doctors_present=8
    )
    make_activity(
        rcp, date(2025, 10, 14), files_discussed=14, first_presentations=8, doctors_present=10
    )
    # October 2026: 1 meeting, 9 files.
    make_activity(
        rcp, date(2026, 10, 6), files_discussed=9, first_presentations=3, doctors_present=6
    )
    rows = compute(RcpActivity.objects.all(), kind="mois", today=TODAY)
    october = row_for(rows, date(2026, 10, 1))
    assert october.period.label == "octobre 2026"
    assert (october.current.meetings, october.current.files, october.current.first) == (1, 9, 3)
    assert october.current.mean_files == 9
    assert october.current.mean_doctors == 6
    assert (october.previous.meetings, october.previous.files) == (2, 24)
    assert october.previous.mean_files == 12
    assert october.previous.mean_doctors == 9
    assert october.changes["files"] == pytest.approx(-62.5)
    assert october.changes["meetings"] == pytest.approx(-50)
    assert october.changes["mean_files"] == pytest.approx(-25)
    assert october.alert


def test_period_without_meetings_gives_no_mean_and_no_division_by_zero():
    rows = compute(RcpActivity.objects.all(), kind="quinzaine", today=TODAY)
    assert len(rows) == 25
    for row in rows:
        assert row.current.meetings == 0
        assert row.current.mean_files is None
        assert row.current.mean_doctors is None
        assert row.changes == dict.fromkeys(row.changes)
        assert not row.alert
    assert Figures().mean_files is None
    assert change(5, 0) is None and change(None, 3) is None and change(0, 4) == -100


def test_activity_falling_to_nothing_raises_an_alert():
    rcp = make_rcp(first_date=date(2025, 1, 7))
    make_activity(rcp, date(2025, 9, 2), files_discussed=12)
    rows = compute(RcpActivity.objects.all(), kind="mois", today=TODAY)
    september = row_for(rows, date(2026, 9, 1))
    assert september.current.meetings == 0
    assert september.changes["files"] == -100
    assert september.alert


def test_threshold_decides_the_alert():
    rcp = make_rcp(first_date=date(2025, 1, 7))
    make_activity(rcp, date(2025, 9, 2), files_discussed=10, first_presentations=0)
    make_activity(rcp, date(2026, 9, 1), files_discussed=8, first_presentations=0)  # -20 %
    rows = compute(RcpActivity.objects.all(), kind="mois", today=TODAY, threshold=20)
    assert not row_for(rows, date(2026, 9, 1)).alert  # exactly 20 %: not more than 20
    rows = compute(RcpActivity.objects.all(), kind="mois", today=TODAY, threshold=15)
    assert row_for(rows, date(2026, 9, 1)).alert


def test_fortnights_are_half_months_and_the_current_one_runs_to_yesterday():
    spans = periods("quinzaine", TODAY)
    current = spans[-1]
    assert (current.start, current.end, current.in_progress) == (
        date(2026, 11, 16),
        date(2026, 11, 22),
        True,
    )
    assert current.label == "2e quinzaine de novembre 2026 (jusqu’au 22 novembre)"
    assert (spans[-2].start, spans[-2].end) == (date(2026, 11, 1), date(2026, 11, 15))
    assert (spans[-4].start, spans[-4].end) == (date(2026, 10, 1), date(2026, 10, 15))
    assert spans[-4].label == "1re quinzaine d’octobre 2026"
    assert spans[-3].label == "2e quinzaine d’octobre 2026"
    assert current.year_before == (date(2025, 11, 16), date(2025, 11, 22))


def test_period_in_progress_compares_the_same_dates_a_year_before():
    rcp = make_rcp(first_date=date(2025, 1, 7))
    make_activity(rcp, date(2025, 11, 4), files_discussed=10)
    make_activity(rcp, date(2025, 11, 25), files_discussed=10)  # after the 22nd: not compared
    make_activity(rcp, date(2026, 11, 3), files_discussed=10)
    rows = compute(RcpActivity.objects.all(), kind="mois", today=TODAY)
    current = rows[-1]
    assert current.period.in_progress
    assert (current.current.files, current.previous.files) == (10, 10)
    assert not current.alert


def test_no_period_in_progress_on_the_first_day_of_a_period():
    spans = periods("mois", date(2026, 12, 1))
    assert spans[-1].start == date(2026, 11, 1) and not spans[-1].in_progress


def test_years_and_leap_days():
    spans = periods("annee", TODAY)
    assert [s.label for s in spans] == ["2023", "2024", "2025", "2026 (jusqu’au 22 novembre)"]
    assert shift_year(date(2024, 2, 29)) == date(2023, 2, 28)


def test_months_and_fortnights_end_on_the_month_s_last_day():
    months = periods("mois", date(2028, 4, 10), count=5)
    assert [(s.start, s.end) for s in months[:-1]] == [
        (date(2027, 11, 1), date(2027, 11, 30)),
        (date(2027, 12, 1), date(2027, 12, 31)),
        (date(2028, 1, 1), date(2028, 1, 31)),
        (date(2028, 2, 1), date(2028, 2, 29)),
        (date(2028, 3, 1), date(2028, 3, 31)),
    ]
    assert [s.label for s in months[:3]] == ["novembre 2027", "décembre 2027", "janvier 2028"]
    fortnights = periods("quinzaine", date(2027, 3, 1), count=2)
    assert [(s.start, s.end) for s in fortnights] == [
        (date(2027, 2, 1), date(2027, 2, 15)),
        (date(2027, 2, 16), date(2027, 2, 28)),
    ]
    assert fortnights[1].label == "2e quinzaine de février 2027"


def test_the_year_before_of_a_leap_day_is_the_28th():
    assert shift_year(date(2028, 2, 29), years=-4) == date(2024, 2, 29)
    assert shift_year(date(2028, 2, 29), years=1) == date(2029, 2, 28)


def test_indicators_filter_by_axis_region_and_rcp(axes):
    pancreas = make_rcp(axes=[axes["pancreas"]], first_date=date(2025, 1, 7))
    liver = make_rcp(axes=[axes["foie-voies-biliaires"]], first_date=date(2025, 1, 7))
    make_activity(pancreas, date(2026, 10, 6), files_discussed=7)
    make_activity(liver, date(2026, 10, 6), files_discussed=11)
    from django.test import Client

    client = Client()
    for query, files in (("", 18), ("axe=pancreas", 7), (f"rcp={liver.slug}", 11)):
        response = client.get(reverse("rcp:indicators") + "?" + query)
        assert response.status_code == 200
        assert row_for(response.context["rows"], date(2026, 10, 1)).current.files == files


def test_indicator_page_shows_chart_table_and_alert(client):
    rcp = make_rcp(first_date=date(2025, 1, 7))
    make_activity(rcp, date(2025, 10, 7), files_discussed=20)
    make_activity(rcp, date(2026, 10, 6), files_discussed=5)
    response = client.get(reverse("rcp:indicators"))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<svg viewBox="0 0 760 320" role="img"' in page
    assert '<title id="graphique-svg-titre">' in page and "<desc" in page
    assert 'class="chart-alert"' in page
    assert "Octobre 2026\u00a0: 5 dossiers contre 20 un an plus tôt (−75\u202f%)" in page
    assert '<th scope="row">Octobre 2026</th>' in page
    assert "<script" not in page.split("<main")[1]


def test_indicator_csv_has_the_same_figures(client):
    rcp = make_rcp(first_date=date(2025, 1, 7))
    make_activity(rcp, date(2025, 10, 7), files_discussed=20, doctors_present=9)
    make_activity(rcp, date(2026, 10, 6), files_discussed=5, first_presentations=2)
    make_activity(rcp, date(2026, 10, 13), files_discussed=6, first_presentations=2)
    response = client.get(reverse("rcp:indicators_csv") + "?periode=mois")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
    october = next(r for r in rows if r["debut"] == "2026-10-01")
    assert october["reunions"] == "2"
    assert october["dossiers_discutes"] == "11"
    assert october["dossiers_par_reunion"] == "5,5"
    assert october["dossiers_annee_precedente"] == "20"
    assert october["evolution_dossiers_pct"] == "-45,0"
    assert october["evolution_reunions_pct"] == "100,0"
    assert october["evolution_dossiers_par_reunion_pct"] == "-72,5"
    assert october["evolution_premieres_presentations_pct"] == "-33,3"  # 4 against 6
    assert october["evolution_medecins_par_reunion_pct"] == "-11,1"  # 8 against 9
    page = client.get(reverse("rcp:indicators") + "?periode=mois").content.decode()
    assert '<td>2 <span class="hint">(1\u00a0; +100\u202f%)</span></td>' in page
    assert october["alerte"] == "oui"
    assert october["perimetre"] == "tout le réseau"


@pytest.mark.parametrize(
    "query",
    ["periode=semaine", "seuil=0", "seuil=1000", "seuil=abc", "axe=%00", "rcp=" + "x" * 5000],
)
def test_hostile_indicator_values_answer_400(client, query):
    assert client.get(reverse("rcp:indicators") + "?" + query).status_code == 400
    assert client.get(reverse("rcp:indicators_csv") + "?" + query).status_code == 400


def test_indicator_queries_are_constant(client, django_assert_max_num_queries):
    rcp = make_rcp(first_date=date(2025, 1, 7))
    make_activity(rcp, date(2026, 10, 6))
    with django_assert_max_num_queries(5):
        client.get(reverse("rcp:indicators") + "?periode=quinzaine")
    for n in range(10):
        other = make_rcp(first_date=date(2025, 1, 7))
        for day in (date(2025, 10, 7), date(2026, 10, 6), date(2026, 10, 13)):
            make_activity(other, day, files_discussed=n + 1, first_presentations=0)
    with django_assert_max_num_queries(5):
        client.get(reverse("rcp:indicators") + "?periode=quinzaine")


def test_meetings_at_quorum_among_those_whose_specialties_were_recorded(client):
    rcp = make_rcp(first_date=date(2025, 1, 7))
    full = "surgery,oncology,radiotherapy,radiology"
    make_activity(rcp, date(2026, 10, 6), specialties=full, specialties_present=4)
    # No radiotherapist: the national rule is not met.
    make_activity(rcp, date(2026, 10, 13), specialties="surgery,oncology,radiology")
    make_activity(rcp, date(2026, 10, 20))  # specialties not recorded
    rows = compute(RcpActivity.objects.all(), kind="mois", today=TODAY, quorum=QuorumRule.current())
    october = row_for(rows, date(2026, 10, 1))
    assert (october.current.meetings, october.current.with_specialties) == (3, 2)
    assert october.current.quorum == 1
    page = " ".join(client.get(reverse("rcp:indicators")).content.decode().split())
    assert '<th scope="col">Séances au quorum</th>' in page
    assert "<td>1 sur 2</td>" in page
    body = client.get(reverse("rcp:indicators_csv")).content.decode("utf-8-sig")
    csv_october = next(
        r for r in csv.DictReader(io.StringIO(body), delimiter=";") if r["debut"] == "2026-10-01"
    )
    assert (csv_october["reunions_avec_specialites"], csv_october["reunions_au_quorum"]) == (
        "2",
        "1",
    )


def test_a_stricter_rule_counts_fewer_meetings_at_quorum():
    rcp = make_rcp(first_date=date(2025, 1, 7))
    make_activity(
        rcp, date(2026, 10, 6), specialties="surgery,oncology,radiotherapy", specialties_present=3
    )
    rule = QuorumRule.current()
    rule.min_specialties = 4
    rows = compute(RcpActivity.objects.all(), kind="mois", today=TODAY, quorum=rule)
    assert row_for(rows, date(2026, 10, 1)).current.quorum == 0


def test_activity_specialties_are_stored_in_order_and_counted():
    rcp = make_rcp(first_date=date(2025, 1, 7))
    activity = make_activity(
        rcp, date(2026, 10, 6), specialties="radiotherapy,surgery,surgery", specialties_present=1
    )
    activity.refresh_from_db()
    assert activity.specialties == "surgery,radiotherapy"
    assert activity.specialties_present == 2


def test_demonstration_figures_are_marked_as_such(client):
    real = make_rcp(first_date=date(2025, 1, 7))
    make_activity(real, date(2026, 10, 6))
    page = client.get(reverse("rcp:indicators")).content.decode()
    assert "Données de démonstration" not in page
    demo = make_rcp(first_date=date(2025, 1, 7), is_demo=True)
    make_activity(demo, date(2025, 10, 7), files_discussed=30)
    make_activity(demo, date(2026, 10, 6), files_discussed=3)
    page = " ".join(client.get(reverse("rcp:indicators")).content.decode().split())
    assert "<strong>Données de démonstration.</strong>" in page
    assert "(données de démonstration)" in page  # on the alert computed from them
    body = client.get(reverse("rcp:indicators_csv")).content.decode("utf-8-sig")
    assert "donnees_de_demonstration" in body.splitlines()[0]


def test_the_period_menu_shows_the_period_displayed_and_no_data_is_said(client):
    rcp = make_rcp(first_date=date(2025, 1, 7))
    make_activity(rcp, date(2026, 10, 6), files_discussed=9)
    page = " ".join(client.get(reverse("rcp:indicators")).content.decode().split())
    menu = page[page.index('name="periode"') :]
    # The first option is the one a browser shows when none is selected.
    assert menu.index('value="mois"') < menu.index('value="quinzaine"')
    assert "pas de données l’an dernier" in page
    assert "(0\u00a0; —)" not in page and "(0 ; —)" not in page
    page = " ".join(
        client.get(reverse("rcp:indicators") + "?periode=annee").content.decode().split()
    )
    assert '<option value="annee" selected>' in page


# What the template's loops wrote before the table rows and the chart's marks
# were written in Python (rcp.views, rcp.charts): the page must not change.
TABLE_LOOP = """{% load rcp_tags %}{% for row in rows %}<tr{% if row.alert %} class="is-alert"{% endif %}>
      <th scope="row">{{ row.period.label|capfirst }}</th>
      {% if row.previous.meetings %}
      <td>{{ row.current.meetings }} <span class="hint">({{ row.previous.meetings }}\u00a0; {{ row.changes.meetings|change_pct }})</span></td>
      <td>{{ row.current.files }} <span class="hint">({{ row.previous.files }})</span></td>
      <td>{{ row.current.mean_files|decimal_fr }} <span class="hint">({{ row.previous.mean_files|decimal_fr }}\u00a0; {{ row.changes.mean_files|change_pct }})</span></td>
      <td>{{ row.current.first }} <span class="hint">({{ row.previous.first }}\u00a0; {{ row.changes.first|change_pct }})</span></td>
      <td>{{ row.current.mean_doctors|decimal_fr }} <span class="hint">({{ row.previous.mean_doctors|decimal_fr }}\u00a0; {{ row.changes.mean_doctors|change_pct }})</span></td>
      <td>{{ row.changes.files|change_pct }}{% if row.alert %} <strong class="status status-alert">alerte</strong>{% endif %}</td>
      {% else %}
      <td>{{ row.current.meetings }}</td>
      <td>{{ row.current.files }}</td>
      <td>{{ row.current.mean_files|decimal_fr }}</td>
      <td>{{ row.current.first }}</td>
      <td>{{ row.current.mean_doctors|decimal_fr }}</td>
      <td><span class="hint">pas de données l’an dernier</span></td>
      {% endif %}
      <td>{% if row.current.with_specialties %}{{ row.current.quorum }} sur {{ row.current.with_specialties }}{% else %}<span class="hint">non renseigné</span>{% endif %}</td>
    </tr>{% endfor %}"""  # noqa: E501

CHART_LOOPS = (
    (
        "ticks_svg",
        """{% for tick in chart.ticks %}<line class="chart-grid" x1="{{ chart.left }}" x2="{{ chart.right }}" y1="{{ tick.y|floatformat:'1u' }}" y2="{{ tick.y|floatformat:'1u' }}"/><text class="chart-tick" x="{{ chart.left|add:'-6' }}" y="{{ tick.y|floatformat:'1u' }}">{{ tick.value }}</text>{% endfor %}""",  # noqa: E501
    ),
    (
        "bars_svg",
        """{% for bar in chart.bars %}<rect class="{{ bar.css }}" x="{{ bar.x|floatformat:'1u' }}" y="{{ bar.y|floatformat:'1u' }}" width="{{ bar.w|floatformat:'1u' }}" height="{{ bar.h|floatformat:'1u' }}"/>{% endfor %}""",  # noqa: E501
    ),
    (
        "labels_svg",
        """{% for label in chart.labels %}<text class="chart-label" x="{{ label.x|floatformat:'1u' }}" y="{{ label.y|floatformat:'1u' }}">{{ label.text }}</text>{% endfor %}""",  # noqa: E501
    ),
    (
        "alerts_svg",
        """{% for alert in chart.alerts %}<text class="chart-alert" x="{{ alert.x|floatformat:'1u' }}" y="{{ alert.y|floatformat:'1u' }}">▼</text>{% endfor %}""",  # noqa: E501
    ),
)


def activity_of_every_kind():
    """Rows with and without a year before, alerts, recorded specialties or not."""
    rcp = make_rcp(first_date=date(2025, 1, 7))
    make_activity(rcp, date(2025, 9, 2), files_discussed=7, doctors_present=5)
    make_activity(rcp, date(2025, 10, 7), files_discussed=20, doctors_present=9)
    make_activity(rcp, date(2025, 11, 4), files_discussed=3)
    make_activity(rcp, date(2026, 9, 1), files_discussed=9, specialties="surgery,oncology")
    make_activity(rcp, date(2026, 10, 6), files_discussed=5, first_presentations=2)
    make_activity(
        rcp,
        date(2026, 10, 13),
        files_discussed=1234,
        first_presentations=3,
        doctors_present=13,
        specialties="surgery,oncology,radiotherapy",
    )
    make_activity(rcp, date(2026, 11, 3), files_discussed=2)


@pytest.mark.parametrize("kind", ["quinzaine", "mois", "annee"])
def test_the_table_rows_are_what_the_template_loop_wrote(kind):
    from django.template import Context, Template

    from rcp.indicators import Period, Row
    from rcp.views import _indicator_table_html

    activity_of_every_kind()
    rows = compute(RcpActivity.objects.all(), kind=kind, today=TODAY, quorum=QuorumRule.current())
    assert any(r.alert for r in rows) or kind == "annee"
    # A label is escaped as the template escaped it.
    odd = rows[-1]
    rows.append(
        Row(Period(odd.period.start, odd.period.end, "<b>é & « x »"), odd.current, odd.previous, 5)
    )
    expected = Template(TABLE_LOOP).render(Context({"rows": rows}))
    assert _indicator_table_html(rows) == expected
    assert "&lt;b&gt;é &amp; « x »" in expected


@pytest.mark.parametrize("kind", ["quinzaine", "mois", "annee"])
def test_the_chart_marks_are_what_the_template_loops_wrote(kind):
    from django.template import Context, Template

    from rcp.charts import files_chart

    activity_of_every_kind()
    rows = compute(RcpActivity.objects.all(), kind=kind, today=TODAY, quorum=QuorumRule.current())
    chart = files_chart(rows, kind)
    assert chart["bars"] and chart["labels"] and chart["ticks"]
    for key, loop in CHART_LOOPS:
        assert chart[key] == Template(loop).render(Context({"chart": chart})), key


def test_coordinates_are_written_as_floatformat_wrote_them():
    import random

    from django.template.defaultfilters import floatformat

    from rcp.charts import coordinate

    values = [0, 2, 40, 264, 0.05, 0.15, 0.25, 1.45, 2.675, -0.04, -0.05, -1.25, 1e-7, 123.45]
    values += [random.Random(n).uniform(-10, 800) for n in range(2000)]
    values += [264 - n * 264 / 7 for n in range(8)]
    for value in values:
        assert coordinate(value) == floatformat(value, "1u"), value


def test_activity_of_unpublished_rcps_and_centres_is_not_counted(client):
    shown = make_rcp(first_date=date(2025, 1, 7))
    hidden = make_rcp(first_date=date(2025, 1, 7), is_published=False)
    of_hidden_centre = make_rcp(first_date=date(2025, 1, 7))
    of_hidden_centre.organiser.is_published = False
    of_hidden_centre.organiser.save()
    for rcp, files in ((shown, 7), (hidden, 100), (of_hidden_centre, 1000)):
        make_activity(rcp, date(2026, 10, 6), files_discussed=files)
    response = client.get(reverse("rcp:indicators"))
    assert row_for(response.context["rows"], date(2026, 10, 1)).current.files == 7
    body = client.get(reverse("rcp:indicators_csv")).content.decode("utf-8-sig")
    october = next(
        r for r in csv.DictReader(io.StringIO(body), delimiter=";") if r["debut"] == "2026-10-01"
    )
    assert (october["reunions"], october["dossiers_discutes"]) == ("1", "7")


def test_demonstration_records_of_a_real_rcp_are_marked_too(client):
    rcp = make_rcp(first_date=date(2025, 1, 7))
    make_activity(rcp, date(2026, 10, 6), source=RcpActivity.Source.DEMO)
    page = " ".join(client.get(reverse("rcp:indicators")).content.decode().split())
    assert "<strong>Données de démonstration.</strong>" in page


def test_filtered_indicator_queries_are_constant(axes, client, django_assert_max_num_queries):
    """The perimeter (axis, region, RCP) is one subquery of the figures' query,
    and each menu one query: nothing per RCP or per meeting."""
    first = make_rcp(axes=[axes["pancreas"]], first_date=date(2025, 1, 7))
    region = first.organiser.department.region.slug
    url = reverse("rcp:indicators") + f"?periode=quinzaine&axe=pancreas&region={region}"
    csv_url = reverse("rcp:indicators_csv") + f"?axe=pancreas&region={region}&rcp={first.slug}"
    make_activity(first, date(2026, 10, 6))
    for n in range(10):
        other = make_rcp(axes=[axes["pancreas"]], first_date=date(2025, 1, 7))
        for day in (date(2025, 10, 7), date(2026, 10, 6), date(2026, 10, 13)):
            make_activity(other, day, files_discussed=n + 1, first_presentations=0)
    # QuorumRule, the axis, the region, the figures, three menus.
    with django_assert_max_num_queries(7):
        page = client.get(url)
    assert row_for(page.context["rows"], date(2026, 10, 1)).current.meetings == 21  # 1 + 10 × 2
    # QuorumRule, the axis, the region, the RCP, the figures.
    with django_assert_max_num_queries(5):
        body = client.get(csv_url).content.decode("utf-8-sig")
    # Only the chosen RCP's meeting of 6 October, not the ten others'.
    october = next(
        r for r in csv.DictReader(io.StringIO(body), delimiter=";") if r["debut"] == "2026-10-01"
    )
    assert october["reunions"] == "1"
