"""500 RCPs over 12 months: the calendar and the all-RCPs feed stay fast, with a
number of queries that does not grow with the number of RCPs."""

import io
import time

import pytest
from django.urls import reverse

from bench.generate import rcps as bench
from rcp.models import Rcp, RcpActivity, RcpException
from tests import factories

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("rcp:directory"),
    reverse("rcp:calendar"),
    reverse("rcp:calendar") + "?mois=2027-01",
    reverse("rcp:feed_all"),
    reverse("rcp:feed_axis", args=["pancreas"]),
    reverse("rcp:indicators") + "?periode=quinzaine",
]


@pytest.fixture
def centres(axes):
    return [
        factories.make_centre(axes=[axes["pancreas"]]),
        factories.make_centre(
            postcode="97400",
            city="Saint-Denis",
            department_code="974",
            latitude=-20.88,
            longitude=55.45,
        ),
        factories.make_centre(),
    ]


def build(count: int) -> None:
    bench.build(stdout=io.StringIO(), rcps=count)


def test_bench_builds_rcps_with_schedules_exceptions_and_activity(centres):
    out = io.StringIO()
    bench.build(stdout=out, rcps=30)
    assert Rcp.objects.filter(slug__startswith="banc-").count() == 30
    assert RcpException.objects.exists()
    assert RcpActivity.objects.count() > 30 * 10
    assert "30 RCP" in out.getvalue()
    bench.build(stdout=out, rcps=10)  # a second run replaces the first
    assert Rcp.objects.filter(slug__startswith="banc-").count() == 10


@pytest.mark.parametrize("url", PAGES)
def test_queries_do_not_grow_with_the_number_of_rcps(
    client, centres, url, django_assert_max_num_queries
):
    build(10)
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    build(80)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_500_rcps_calendar_and_feed_are_well_under_a_second(client, centres):
    build(500)
    for url in (
        reverse("rcp:calendar") + "?mois=2027-01",
        reverse("rcp:calendar"),
        reverse("rcp:feed_all"),
    ):
        client.get(url)  # warm the template and URL caches
        started = time.process_time()
        response = client.get(url)
        spent = time.process_time() - started
        assert response.status_code == 200
        # CPU time of this process: other jobs on the machine do not count.
        assert spent < 0.8, f"{url}: {spent:.2f} s"
