"""Site matching on real registry spellings of French hospitals.

The table lists facility names, communes and postcodes as ClinicalTrials.gov
records spell them: the network's centres (the pilot and referent centres, and
the expert centres of demo/data/centres.csv, which are real hospitals) under
their many spellings, which must match, and other French hospitals (many in
the same cities, some in the same groups), which must not. Aim: 90 % of the
network's spellings matched, and no false match ever.
"""

import csv
import json
from pathlib import Path

import pytest
from django.conf import settings

from core import geo
from core.text import normalise
from trials import matching
from trials.matching import CentreNames, Facility, best_match

ROOT = Path(settings.BASE_DIR)

# (facility, city, postcode, country, centre slug or None when it must not match)
TABLE = [
    # The pilot centre and the referent centres.
    ("CHU de Brest", "Brest", "29200", "France", "chu-brest"),
    ("CHU Brest", "Brest", "", "France", "chu-brest"),
    ("CHRU de Brest", "Brest", "29609", "France", "chu-brest"),
    ("Centre Hospitalier Universitaire de Brest", "Brest", "", "France", "chu-brest"),
    ("CHRU Brest - Hôpital Morvan", "Brest", "29609", "France", "chu-brest"),
    ("Hopital Morvan", "Brest Cedex", "", "France", "chu-brest"),
    ("CHU Brest - Hôpital de la Cavale Blanche", "Brest", "29609", "France", "chu-brest"),
    ("Hôpital Pitié-Salpêtrière", "Paris", "75013", "France", "chu-pitie-salpetriere"),
    ("Hôpital Pitié-Salpêtrière, AP-HP", "Paris", "75013", "France", "chu-pitie-salpetriere"),
    ("Groupe Hospitalier Pitié-Salpêtrière", "Paris", "75651", "France", "chu-pitie-salpetriere"),
    ("Hopital Pitie Salpetriere", "Paris Cedex 13", "", "France", "chu-pitie-salpetriere"),
    ("APHP - Hôpital de la Pitié Salpêtrière", "Paris", "", "France", "chu-pitie-salpetriere"),
    ("Pitié-Salpêtrière Hospital", "Paris", "75013", "France", "chu-pitie-salpetriere"),
    ("Hôpital Avicenne", "Bobigny", "93009", "France", "chu-avicenne"),
    ("Hopital Avicenne - AP-HP", "Bobigny", "", "France", "chu-avicenne"),
    ("CHU Avicenne", "Bobigny", "93000", "France", "chu-avicenne"),
    ("Avicenne Hospital", "Bobigny", "", "France", "chu-avicenne"),
    # Expert centres.
    ("Hopital Beaujon", "Clichy", "92110", "France", "aphp-beaujon"),
    ("Hôpital Beaujon, AP-HP", "Clichy", "92118", "France", "aphp-beaujon"),
    ("Beaujon Hospital", "Clichy", "", "France", "aphp-beaujon"),
    ("Institut Gustave Roussy", "Villejuif", "94805", "France", "gustave-roussy"),
    ("Gustave Roussy", "Villejuif", "94805", "France", "gustave-roussy"),
    ("Gustave Roussy Cancer Campus", "Villejuif", "", "France", "gustave-roussy"),
    ("Hôpital Henri Mondor", "Créteil", "94010", "France", "aphp-henri-mondor"),
    ("Hopital Henri Mondor - APHP", "Creteil", "", "France", "aphp-henri-mondor"),
    ("Hôpital Saint-Antoine", "Paris", "75012", "France", "aphp-saint-antoine"),
    ("Hopital Saint Antoine", "Paris", "75571", "France", "aphp-saint-antoine"),
    (
        "CHU de Rennes - Hôpital Pontchaillou",
        "Rennes",
        "35033",
        "France",
        "chu-rennes-pontchaillou",
    ),
    ("CHU Rennes", "Rennes", "", "France", "chu-rennes-pontchaillou"),
    ("Hôpital Pontchaillou", "Rennes", "35000", "France", "chu-rennes-pontchaillou"),
    ("Centre Eugène Marquis", "Rennes", "35042", "France", "centre-eugene-marquis"),
    ("Centre Eugene Marquis", "Rennes Cedex", "", "France", "centre-eugene-marquis"),
    ("CHU de Nantes", "Nantes", "44093", "France", "chu-nantes"),
    ("Hôtel Dieu - CHU de Nantes", "Nantes", "", "France", "chu-nantes"),
    (
        "Institut de Cancérologie de l'Ouest (ICO) - Site René Gauducheau",
        "Saint-Herblain",
        "44805",
        "France",
        "ico-saint-herblain",
    ),
    ("ICO Site René Gauducheau", "Saint-Herblain", "", "France", "ico-saint-herblain"),
    ("Institut de Cancérologie de l'Ouest", "Saint Herblain", "", "France", "ico-saint-herblain"),
    ("CHU d'Angers", "Angers", "49933", "France", "chu-angers"),
    ("CHU Angers", "Angers", "", "France", "chu-angers"),
    ("CHU de Caen", "Caen", "14033", "France", "chu-caen"),
    ("CHU Caen Normandie", "Caen", "", "France", "chu-caen"),
    (
        "CHU de Rouen - Hôpital Charles Nicolle",
        "Rouen",
        "76031",
        "France",
        "chu-rouen-charles-nicolle",
    ),
    ("Hôpital Charles Nicolle", "Rouen", "", "France", "chu-rouen-charles-nicolle"),
    ("CHRU de Lille - Hôpital Claude Huriez", "Lille", "59037", "France", "chu-lille-huriez"),
    ("Hôpital Claude Huriez, CHU Lille", "Lille", "", "France", "chu-lille-huriez"),
    ("Centre Oscar Lambret", "Lille", "59020", "France", "centre-oscar-lambret"),
    ("CHU Amiens Picardie", "Amiens", "80054", "France", "chu-amiens-picardie"),
    ("CHU Amiens-Picardie Site Sud", "Amiens", "80054", "France", "chu-amiens-picardie"),
    (
        "Hôpitaux Universitaires de Strasbourg",
        "Strasbourg",
        "67091",
        "France",
        "hus-nouvel-hopital-civil",
    ),
    ("Nouvel Hôpital Civil", "Strasbourg", "", "France", "hus-nouvel-hopital-civil"),
    (
        "Institut de Cancérologie Strasbourg Europe (ICANS)",
        "Strasbourg",
        "67200",
        "France",
        "icans-strasbourg",
    ),
    (
        "CHRU de Nancy - Hôpitaux de Brabois",
        "Vandoeuvre-les-Nancy",
        "54511",
        "France",
        "chru-nancy-brabois",
    ),
    ("CHU de Reims - Hôpital Robert Debré", "Reims", "51092", "France", "chu-reims-robert-debre"),
    ("CHU Dijon Bourgogne", "Dijon", "21079", "France", "chu-dijon-bourgogne"),
    ("CHU de Besançon - Hôpital Jean Minjoz", "Besançon", "25030", "France", "chu-besancon-minjoz"),
    ("Hôpital Jean Minjoz", "Besancon", "", "France", "chu-besancon-minjoz"),
    ("Hôpital Edouard Herriot", "Lyon", "69437", "France", "hcl-edouard-herriot"),
    (
        "Hospices Civils de Lyon - Hôpital Edouard Herriot",
        "Lyon",
        "",
        "France",
        "hcl-edouard-herriot",
    ),
    ("Hôpital de la Croix Rousse", "Lyon", "69004", "France", "hcl-croix-rousse"),
    ("Centre Hospitalier Lyon Sud", "Pierre-Bénite", "69495", "France", "hcl-lyon-sud"),
    ("Centre Hospitalier Lyon-Sud", "Lyon", "", "France", "hcl-lyon-sud"),
    ("Centre Léon Bérard", "Lyon", "69008", "France", "centre-leon-berard"),
    ("Centre Leon Berard", "Lyon Cedex 08", "", "France", "centre-leon-berard"),
    (
        "CHU de Saint-Etienne - Hôpital Nord",
        "Saint-Priest-en-Jarez",
        "42270",
        "France",
        "chu-saint-etienne-nord",
    ),
    ("CHU Saint-Etienne", "Saint-Etienne", "42055", "France", "chu-saint-etienne-nord"),
    ("Hôpital Nord", "Saint Etienne", "", "France", "chu-saint-etienne-nord"),
    ("CHU Grenoble Alpes", "La Tronche", "38700", "France", "chu-grenoble-alpes"),
    ("CHU de Grenoble", "Grenoble", "38043", "France", "chu-grenoble-alpes"),
    ("Hôpital Michallon", "Grenoble", "", "France", "chu-grenoble-alpes"),
    (
        "CHU Clermont-Ferrand - Hôpital Estaing",
        "Clermont-Ferrand",
        "63003",
        "France",
        "chu-clermont-estaing",
    ),
    ("CHU Estaing", "Clermont-Ferrand", "", "France", "chu-clermont-estaing"),
    ("Hôpital de la Timone", "Marseille", "13385", "France", "ap-hm-timone"),
    ("AP-HM Hôpital de la Timone", "Marseille", "", "France", "ap-hm-timone"),
    ("Hopital La Timone", "Marseille Cedex 05", "", "France", "ap-hm-timone"),
    ("Institut Paoli Calmettes", "Marseille", "13009", "France", "institut-paoli-calmettes"),
    ("Institut Paoli-Calmettes", "Marseille Cedex 9", "", "France", "institut-paoli-calmettes"),
    ("CHU de Nice - Hôpital de l'Archet", "Nice", "06202", "France", "chu-nice-archet"),
    ("Hôpital l'Archet 2", "Nice", "", "France", "chu-nice-archet"),
    ("CHU de Toulouse - Hôpital Rangueil", "Toulouse", "31059", "France", "chu-toulouse-rangueil"),
    (
        "Institut Universitaire du Cancer de Toulouse - Oncopole",
        "Toulouse",
        "31059",
        "France",
        "iuct-oncopole",
    ),
    ("IUCT Oncopole", "Toulouse", "", "France", "iuct-oncopole"),
    (
        "CHU de Montpellier - Hôpital Saint Eloi",
        "Montpellier",
        "34295",
        "France",
        "chu-montpellier-saint-eloi",
    ),
    ("Hôpital Saint-Eloi", "Montpellier", "", "France", "chu-montpellier-saint-eloi"),
    ("CHU de Nîmes - Hôpital Carémeau", "Nîmes", "30029", "France", "chu-nimes-caremeau"),
    (
        "CHU Bordeaux - Hôpital Haut-Lévêque",
        "Pessac",
        "33604",
        "France",
        "chu-bordeaux-haut-leveque",
    ),
    ("Hôpital Haut Lévêque", "Pessac", "", "France", "chu-bordeaux-haut-leveque"),
    ("CHU de Bordeaux", "Bordeaux", "33076", "France", "chu-bordeaux-haut-leveque"),
    ("Institut Bergonié", "Bordeaux", "33076", "France", "institut-bergonie"),
    ("Institut Bergonie", "Bordeaux Cedex", "", "France", "institut-bergonie"),
    ("CHU de Poitiers", "Poitiers", "86021", "France", "chu-poitiers"),
    ("CHU de Limoges - Hôpital Dupuytren", "Limoges", "87042", "France", "chu-limoges-dupuytren"),
    ("Centre Hospitalier de Pau", "Pau", "64046", "France", "ch-pau"),
    ("Centre Hospitalier Régional d'Orléans", "Orléans", "45067", "France", "chr-orleans"),
    ("CHR Orleans", "Orleans", "", "France", "chr-orleans"),
    ("Centre Hospitalier de Valenciennes", "Valenciennes", "59322", "France", "ch-valenciennes"),
    ("Centre Hospitalier Annecy Genevois", "Pringy", "74374", "France", "ch-annecy-genevois"),
    ("Centre Hospitalier Henri Duffaut", "Avignon", "84902", "France", "ch-avignon"),
    ("Centre Hospitalier de Cornouaille", "Quimper", "29107", "France", "ch-cornouaille-quimper"),
    ("Centre Hospitalier Bretagne Atlantique", "Vannes", "56017", "France", "chba-vannes"),
    ("Centre Hospitalier de Bastia", "Bastia", "20604", "France", "ch-bastia"),
    (
        "CHU de la Réunion - Site Félix Guyon",
        "Saint-Denis",
        "97405",
        "Réunion",
        "chu-reunion-felix-guyon",
    ),
    ("CHU Felix Guyon", "Saint-Denis", "", "Reunion", "chu-reunion-felix-guyon"),
    ("CHU Sud Réunion", "Saint-Pierre", "97448", "Réunion", "chu-reunion-sud"),
    ("CHU de Martinique", "Fort-de-France", "97261", "Martinique", "chu-martinique"),
    ("CHU de Pointe-à-Pitre", "Pointe-à-Pitre", "", "Guadeloupe", "chu-guadeloupe"),
    ("Centre Hospitalier de Cayenne", "Cayenne", "97306", "French Guiana", "ch-cayenne"),
    # Other hospitals, often in the same cities or groups: never a network centre.
    ("Institut Curie", "Paris", "75005", "France", None),
    ("Hôpital Européen Georges Pompidou", "Paris", "75015", "France", None),
    ("Hôpital Cochin", "Paris", "75014", "France", None),
    ("Hôpital Saint-Louis", "Paris", "75010", "France", None),
    ("Hôpital Bichat - Claude Bernard", "Paris", "75018", "France", None),
    ("Hôpital Tenon", "Paris", "75020", "France", None),
    ("Hôpital Lariboisière", "Paris", "75010", "France", None),
    ("Institut Mutualiste Montsouris", "Paris", "75014", "France", None),
    ("Hôpital Privé des Peupliers", "Paris", "75013", "France", None),
    ("Groupe Hospitalier Diaconesses Croix Saint-Simon", "Paris", "75020", "France", None),
    ("Assistance Publique - Hôpitaux de Paris", "Paris", "", "France", None),
    ("Hôpital Paul Brousse", "Villejuif", "94804", "France", None),
    ("Hôpital Bicêtre", "Le Kremlin-Bicêtre", "94275", "France", None),
    ("Hôpital Jean Verdier", "Bondy", "93143", "France", None),
    ("Hôpital Louis Mourier", "Colombes", "92700", "France", None),
    ("Hôpital Ambroise Paré", "Boulogne-Billancourt", "92100", "France", None),
    ("Hôpital Foch", "Suresnes", "92150", "France", None),
    ("Centre Hospitalier Intercommunal de Créteil", "Créteil", "94010", "France", None),
    ("Hôpital Delafontaine", "Saint-Denis", "93200", "France", None),
    ("Centre Hospitalier de Saint-Denis", "Saint-Denis", "93205", "France", None),
    ("Hôpital Nord", "Marseille", "13015", "France", None),
    ("Hôpital de la Conception", "Marseille", "13005", "France", None),
    ("Assistance Publique Hôpitaux de Marseille", "Marseille", "", "France", None),
    ("Hôpital Européen Marseille", "Marseille", "13003", "France", None),
    ("Hôpital Saint-Joseph", "Marseille", "13008", "France", None),
    ("Hôpital Privé Jean Mermoz", "Lyon", "69008", "France", None),
    ("Centre Hospitalier Saint Joseph Saint Luc", "Lyon", "69007", "France", None),
    ("Hospices Civils de Lyon", "Lyon", "", "France", None),
    ("Clinique Pasteur Lanroze", "Brest", "29200", "France", None),
    ("Hôpital d'Instruction des Armées Clermont-Tonnerre", "Brest", "29240", "France", None),
    ("Centre Hospitalier de Landerneau", "Landerneau", "29207", "France", None),
    ("Centre Georges François Leclerc", "Dijon", "21079", "France", None),
    ("Institut Sainte Catherine", "Avignon", "84918", "France", None),
    ("Centre Antoine Lacassagne", "Nice", "06189", "France", None),
    ("Institut du Cancer de Montpellier - Val d'Aurelle", "Montpellier", "34298", "France", None),
    ("Centre François Baclesse", "Caen", "14076", "France", None),
    ("Centre Henri Becquerel", "Rouen", "76038", "France", None),
    ("Institut Jean Godinot", "Reims", "51726", "France", None),
    ("Institut de Cancérologie de Lorraine", "Vandoeuvre-les-Nancy", "54519", "France", None),
    ("Centre Jean Perrin", "Clermont-Ferrand", "63011", "France", None),
    ("Clinique Pasteur", "Toulouse", "31076", "France", None),
    ("Hôpital Privé du Confluent", "Nantes", "44277", "France", None),
    ("ICO - Site Paul Papin", "Angers", "49055", "France", None),
    ("Centre Hospitalier Bretagne Sud", "Lorient", "56322", "France", None),
    ("Polyclinique Bordeaux Nord Aquitaine", "Bordeaux", "33077", "France", None),
    ("Centre Hospitalier Sud Francilien", "Corbeil-Essonnes", "91106", "France", None),
    ("Hôpital Privé d'Antony", "Antony", "92160", "France", None),
    ("Centre Hospitalier Universitaire de Saint-Denis", "Saint-Denis", "93200", "France", None),
]


def _coordinates(postcode: str, city: str) -> tuple[float, float]:
    wanted = normalise(city)
    for place in geo.postcode_places(postcode):
        name = normalise(place.commune)
        if name == wanted or name.startswith(wanted + " "):
            return place.latitude, place.longitude
    raise ValueError(f"{postcode} {city}")


@pytest.fixture(scope="module")
def network_centres() -> list[CentreNames]:
    """The network's centres as the matcher sees them, from the facts and the demo table."""
    facts = json.loads((ROOT / "centres" / "data" / "network.json").read_text())["centres"]
    centres = [
        CentreNames(
            pk=c["slug"],
            names=[c["name"], c["short_name"]],
            city=c["city"],
            postcode=c["postcode"],
            latitude=c["latitude"],
            longitude=c["longitude"],
        )
        for c in facts
    ]
    with (ROOT / "demo" / "data" / "centres.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            lat, lon = _coordinates(row["postcode"], row["city"])
            centres.append(
                CentreNames(
                    pk=row["slug"],
                    names=[row["name"], row["short_name"]],
                    city=row["city"],
                    postcode=row["postcode"],
                    latitude=lat,
                    longitude=lon,
                )
            )
    return centres


def _match(row, centres):
    name, city, postcode, country, _expected = row
    return best_match(Facility(name, city, postcode, country), centres)


def test_the_table_is_large_and_names_real_centres(network_centres):
    slugs = {c.pk for c in network_centres}
    assert len(TABLE) >= 60
    assert {row[4] for row in TABLE} - {None} <= slugs
    assert sum(row[4] is None for row in TABLE) >= 30


def test_no_registry_spelling_goes_to_a_wrong_centre(network_centres):
    wrong = [
        f"{row[0]} ({row[1]}) → {found.pk}, attendu {row[4]}"
        for row in TABLE
        if (found := _match(row, network_centres)).pk is not None and found.pk != row[4]
    ]
    assert wrong == []


def test_nine_network_spellings_in_ten_are_matched(network_centres):
    network = [row for row in TABLE if row[4]]
    missed = [
        f"{row[0]} ({row[1]})" for row in network if _match(row, network_centres).pk != row[4]
    ]
    rate = 1 - len(missed) / len(network)
    assert rate >= 0.9, f"{rate:.0%} matched; missed: {missed}"


@pytest.mark.parametrize(
    "facility, expected",
    [
        ("Hôpital Pitié-Salpétrière", "chu-pitie-salpetriere"),  # a wrong accent
        ("Hopital Pitie Salpetrire", "chu-pitie-salpetriere"),  # a letter missing
        ("Hôpital Saint-Louis", None),  # one word in common is not enough
        ("Hôpital Saint-Antoine", "aphp-saint-antoine"),
    ],
)
def test_typos_pass_but_another_saint_does_not(network_centres, facility, expected):
    assert best_match(Facility(facility, "Paris", "75013"), network_centres).pk == expected


def test_without_any_place_nothing_is_matched(network_centres):
    assert best_match(Facility("CHU de Brest"), network_centres).pk is None
    assert best_match(Facility("CHU de Brest", city="Nowhere"), network_centres).pk is None


def test_the_registry_coordinates_place_the_facility(network_centres):
    brest = Facility("CHU de Brest", city="", latitude=48.39, longitude=-4.49)
    assert best_match(brest, network_centres).pk == "chu-brest"
    far = Facility("CHU de Brest", city="Brest", latitude=43.3, longitude=5.4)
    assert best_match(far, network_centres).pk is None  # the coordinates say Marseille


def test_two_centres_that_fit_equally_are_no_match():
    centres = [
        CentreNames("a", ["CHU de Brest"], "Brest", "29200", 48.39, -4.49),
        CentreNames(
            "b", ["Centre Hospitalier Universitaire de Brest"], "Brest", "29200", 48.4, -4.5
        ),
    ]
    found = best_match(Facility("CHRU Brest", "Brest"), centres)
    assert found.pk is None and found.scores == {"a": 100.0, "b": 100.0}


@pytest.mark.parametrize(
    "name, kind, words",
    [
        ("CHRU de Brest", "chu", ()),
        ("Centre Hospitalier Régional et Universitaire de Brest", "chu", ()),
        ("Hôpital Pitié-Salpêtrière, AP-HP", "", ("pitie", "salpetriere")),
        ("Institut Gustave Roussy", "clcc", ("gustave", "roussy")),
        ("Clinique Pasteur Lanroze", "private", ("pasteur", "lanroze")),
        ("CHU de Brest - Unité de Recherche Clinique", "chu", ()),
        ("Hôpital Privé Jean Mermoz", "private", ("jean", "mermoz")),
        ("Centre Hospitalier de Pau", "ch", ()),
        ("St Antoine Hospital", "", ("saint", "antoine")),
    ],
)
def test_names_are_reduced_to_a_kind_and_distinctive_words(name, kind, words):
    places = matching.place_phrases("Brest", "Pau", "Paris Cedex 13")
    assert matching.reduce_name(name, places) == matching.Name(kind, words)
