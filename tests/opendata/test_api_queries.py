"""The API's query counts do not grow with the rows answered (no N+1): each
list is measured with 2 and with 12 objects of every kind related."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.rcp.factories import make_exception, make_rcp
from tests.trials.factories import make_site, make_trial

pytestmark = pytest.mark.django_db

URLS = [
    "/api/centres/",
    "/api/centres/?pres_de=29200",
    "/api/personnes/",
    "/api/rcp/",
    "/api/rcp/?pres_de=29200",
    "/api/essais/",
    "/api/essais/?pres_de=29200&statut=recrute",
]


def add_rows(axes, count):
    for _ in range(count):
        centre = factories.make_centre(axes=[axes["pancreas"], axes["oesophage"]])
        centre.services.set([factories.make_service()])
        person = factories.make_person()
        factories.make_role(person, centre=centre)
        factories.make_role(person, kind="axis", axis=axes["pancreas"])
        rcp = make_rcp(organiser=centre, participants=[centre], axes=[axes["pancreas"]])
        rcp.coordinator = person
        rcp.save()
        make_exception(rcp, datetime(2026, 12, 8).date())
        trial = make_trial(axes=[axes["pancreas"]])
        make_site(trial, centre)
        make_site(trial, None, facility_name="Clinique", facility_city="Nantes")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=UTC), tick=False)
def test_every_list_costs_the_same_queries_for_2_or_12_rows(client, axes):
    add_rows(axes, 2)
    small = {url: count_queries(client, url) for url in URLS}
    add_rows(axes, 10)
    large = {url: count_queries(client, url) for url in URLS}
    assert large == small
    # Pinned, so that an added query is a decision. Centres: count, page, axes, services.
    # RCP: count, page (organiser, coordinator, secretary joined), axes with their
    # case guides' forms, exceptions, participants. Near a place, the ranking
    # replaces the count.
    # Trials: the finder's form reads its axis, region and centre choices (3), then
    # count, page, axes, sites.
    assert small == {
        "/api/centres/": 4,
        "/api/centres/?pres_de=29200": 4,
        "/api/personnes/": 3,
        "/api/rcp/": 5,
        "/api/rcp/?pres_de=29200": 5,
        "/api/essais/": 7,
        "/api/essais/?pres_de=29200&statut=recrute": 8,
    }
