"""The datasets and the listings' CSV downloads: what a spreadsheet and a
reuser read, checked against the Table Schema each file announces."""

import csv
import io
import json
import re
from datetime import UTC, date, datetime

import pytest
import time_machine

from tests import factories
from tests.rcp.factories import make_rcp
from tests.trials.factories import make_site, make_trial

pytestmark = pytest.mark.django_db


def read_csv(response):
    """As a spreadsheet opens it: UTF-8 with BOM, semicolons, a header row."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith("\ufeff".encode())
    assert b"\r\n" in body
    text = body.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


TYPES = {
    "string": lambda v: True,
    "integer": lambda v: re.fullmatch(r"-?\d+", v),
    "number": lambda v: re.fullmatch(r"-?\d+(\.\d+)?", v),
    "boolean": lambda v: v in ("true", "false"),
    "date": lambda v: date.fromisoformat(v),
    "time": lambda v: re.fullmatch(r"\d{2}:\d{2}:\d{2}", v),
    "datetime": lambda v: re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", v),
}


def check_against_schema(rows, schema):
    """An independent reading of the Table Schema: types, required, enum, pattern, unique."""
    names = [f["name"] for f in schema["fields"]]
    assert rows and list(rows[0]) == names
    for spec in schema["fields"]:
        seen = set()
        constraints = spec.get("constraints", {})
        for row in rows:
            value = row[spec["name"]]
            if value == "":
                assert not constraints.get("required"), spec["name"]
                continue
            assert TYPES[spec["type"]](value), (spec["name"], value)
            if "enum" in constraints:
                assert value in constraints["enum"]
            if "pattern" in constraints:
                assert re.fullmatch(constraints["pattern"], value), (spec["name"], value)
            if constraints.get("unique"):
                assert value not in seen
                seen.add(value)
    assert schema["primaryKey"] in names
    assert schema["licenses"][0]["name"] == "etalab-2.0"


@pytest.fixture
def network(axes):
    with time_machine.travel(datetime(2026, 11, 2, 8, tzinfo=UTC), tick=False):
        brest = factories.make_centre(
            name="CHU de Brest", finess="290000017", axes=[axes["pancreas"]]
        )
        lyon = factories.make_centre(
            name="HCL Lyon",
            finess="690000880",
            department_code="69",
            postcode="69003",
            city="Lyon",
            latitude=45.76,
            longitude=4.85,
        )
        factories.make_centre(name="Centre caché", is_published=False, finess="290000025")
        make_rcp(
            name="RCP Brest",
            organiser=brest,
            participants=[brest, lyon],
            axes=[axes["pancreas"]],
            first_date=date(2026, 1, 6),
        )
        make_rcp(name="RCP cachée", organiser=brest, is_published=False)
        open_trial = make_trial(plain_title="Essai ouvert", axes=[axes["pancreas"]])
        make_site(open_trial, brest)
        make_site(open_trial, lyon)
        make_trial(plain_title="Essai terminé", status="COMPLETED")
        make_trial(plain_title="Essai brouillon", is_published=False)
    return {"brest": brest, "lyon": lyon}


@time_machine.travel(datetime(2026, 12, 7, 9, tzinfo=UTC), tick=False)
@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("centres", ["CHU de Brest", "HCL Lyon"]),
        ("rcp", ["RCP Brest"]),
        ("essais", ["Essai ouvert", "Essai terminé"]),
    ],
)
def test_each_dataset_is_the_published_rows_as_its_schema_says(client, network, slug, expected):
    response = client.get(f"/donnees-ouvertes/{slug}.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "pan-together-" + slug + "-2026-12-07.csv" in response["Content-Disposition"]
    rows = read_csv(response)
    key = "title" if slug == "essais" else "name"
    assert sorted(row[key] for row in rows) == expected
    assert all(row["updated_at"] == "2026-11-02T08:00:00Z" for row in rows)
    schema = client.get(f"/donnees-ouvertes/{slug}.schema.json").json()
    check_against_schema(rows, schema)
    as_json = json.loads(b"".join(client.get(f"/donnees-ouvertes/{slug}.json").streaming_content))
    assert [list(row) for row in as_json] == [list(row) for row in rows]
    assert sorted(row[key] for row in as_json) == expected


@time_machine.travel(datetime(2026, 12, 7, 9, tzinfo=UTC), tick=False)
def test_finess_numbers_join_the_datasets(client, network):
    centres = {r["finess"]: r for r in read_csv(client.get("/donnees-ouvertes/centres.csv"))}
    assert set(centres) == {"290000017", "690000880"}
    rcp = read_csv(client.get("/donnees-ouvertes/rcp.csv"))[0]
    assert rcp["organiser_finess"] == "290000017"
    assert rcp["participants_finess"] == "290000017|690000880"
    assert rcp["rrule"] == "FREQ=WEEKLY;BYDAY=TU" and rcp["timezone"] == "Europe/Paris"
    assert rcp["next_meeting"] == "2026-12-08T13:00:00Z"
    assert rcp["next_deadline"] == "2026-12-11T11:00:00Z"  # Sunday 12:00 is past: next one
    trials = {r["title"]: r for r in read_csv(client.get("/donnees-ouvertes/essais.csv"))}
    assert trials["Essai ouvert"]["sites_finess"] == "290000017|690000880"


def test_a_listing_downloads_its_current_results(client, network):
    page = client.get("/centres/?axe=pancreas").content.decode()
    assert 'href="/donnees-ouvertes/selection/centres.csv?axe=pancreas"' in page
    rows = read_csv(client.get("/donnees-ouvertes/selection/centres.csv?axe=pancreas"))
    assert [row["name"] for row in rows] == ["CHU de Brest"]
    near = read_csv(client.get("/donnees-ouvertes/selection/centres.csv?pres_de=69003"))
    assert [row["name"] for row in near] == ["HCL Lyon", "CHU de Brest"]


def test_the_trial_download_follows_the_finder_defaults(client, network):
    page = client.get("/essais/").content.decode()
    assert 'href="/donnees-ouvertes/selection/essais.csv"' in page
    rows = read_csv(client.get("/donnees-ouvertes/selection/essais.csv"))
    assert [row["title"] for row in rows] == ["Essai ouvert"]  # recruiting, as the page
    every = read_csv(client.get("/donnees-ouvertes/selection/essais.csv?statut=tous"))
    assert len(every) == 2
    rcps = read_csv(client.get("/donnees-ouvertes/selection/rcp.csv?axe=pancreas"))
    assert [row["name"] for row in rcps] == ["RCP Brest"]


@pytest.mark.parametrize("query", ["axe=%00", "q=%00", "pres_de=zzzz-nulle-part", "type=x"])
def test_a_bad_filter_is_a_400(client, query):
    response = client.get(f"/donnees-ouvertes/selection/centres.csv?{query}")
    assert response.status_code == 400
    assert response.content.decode().startswith("Paramètres refusés")


def test_an_unknown_dataset_is_a_404(client):
    assert client.get("/donnees-ouvertes/patients.csv").status_code == 404
    assert client.get("/donnees-ouvertes/selection/patients.csv").status_code == 404


def test_the_open_data_page_lists_each_dataset_with_its_licence(client, network):
    html = client.get("/donnees-ouvertes/").content.decode()
    assert "Licence Ouverte / Open Licence version 2.0" in html
    assert "2 lignes · dernière mise à jour le 2 novembre 2026" in html
    for slug in ("centres", "rcp", "essais"):
        assert f'href="/donnees-ouvertes/{slug}.schema.json"' in html
    assert 'href="/api/docs/"' in html
    footer = client.get("/").content.decode()
    assert 'href="/donnees-ouvertes/"' in footer
