"""Axes by whole words and phrases, MeSH terms included; --publish only trials
recruiting at a network centre for one of its cancers."""

import pytest

from trials import ctgov
from trials.axes import axes_for
from trials.models import Trial

from .factories import fixture_path, load_fixture
from .test_import import import_json, run

PANC, OESO, LIVER = "pancreas", "oesophage", "foie-voies-biliaires"

# Condition lists as studies give them in ClinicalTrials.gov (conditionsModule).
CONDITIONS = [
    ("Pancreatic Ductal Adenocarcinoma\nResectable Pancreatic Cancer", [PANC]),
    ("Metastatic Pancreatic Adenocarcinoma", [PANC]),
    ("Borderline Resectable Pancreatic Adenocarcinoma", [PANC]),
    ("Pancreatic Cancer Non-resectable", [PANC]),
    ("Adenocarcinoma of the Pancreas", [PANC]),
    ("Malignant Neoplasm of Pancreas", [PANC]),
    ("PDAC", [PANC]),
    ("Pancreatic Neuroendocrine Tumor", [PANC]),
    ("Cancer du pancréas\nAdénocarcinome pancréatique métastatique", [PANC]),
    ("Pancreatic Cancer\nLiver Metastases", [PANC]),
    ("Cachexia\nPancreatic Cancer", [PANC]),
    ("Esophageal Adenocarcinoma\nGastroesophageal Junction Adenocarcinoma", [OESO]),
    ("Esophageal Squamous Cell Carcinoma", [OESO]),
    ("Squamous Cell Carcinoma of the Esophagus", [OESO]),
    ("Esophageal Cancer", [OESO]),
    ("Oesophageal Cancer", [OESO]),
    ("Gastro-oesophageal Junction Cancer", [OESO]),
    ("Adenocarcinoma of the Cardia", [OESO]),
    ("Siewert Type II Adenocarcinoma", [OESO]),
    ("Carcinome épidermoïde de l’œsophage", [OESO]),
    ("Gastric Cancer\nGastroesophageal Junction Adenocarcinoma", [OESO]),
    ("Hepatocellular Carcinoma\nLiver Cirrhosis", [LIVER]),
    ("HCC", [LIVER]),
    ("Carcinoma, Hepatocellular", [LIVER]),
    ("Intrahepatic Cholangiocarcinoma", [LIVER]),
    ("Biliary Tract Cancer\nGallbladder Carcinoma\nCholangiocarcinoma", [LIVER]),
    ("Klatskin Tumor", [LIVER]),
    ("Liver Cancer", [LIVER]),
    ("Primary Liver Cancer", [LIVER]),
    ("Carcinome hépatocellulaire", [LIVER]),
    ("Cancer des voies biliaires", [LIVER]),
    ("Primary Sclerosing Cholangitis\nCholangiocarcinoma", [LIVER]),
    ("Hepatocellular Carcinoma\nPancreatic Cancer\nEsophageal Cancer", [PANC, OESO, LIVER]),
    # Not the network's cancers, however close the words.
    ("Coronary Artery Disease\nMyocardial Infarction", []),
    ("Cardiac Surgery\nCardia Bifida", []),
    ("Myocardial Ischemia\nCardiac Arrhythmia", []),
    ("Acute Pancreatitis", []),
    ("Chronic Pancreatitis\nPancreatic Insufficiency", []),
    ("Post-ERCP Pancreatitis", []),
    ("Postoperative Pancreatic Fistula", []),
    ("Pancreatic Cyst", []),
    ("Biliary Atresia", []),
    ("Primary Biliary Cholangitis", []),
    ("Esophageal Varices\nLiver Cirrhosis", []),
    ("Eosinophilic Esophagitis", []),
    ("Achalasia", []),
    ("Gastroesophageal Reflux Disease", []),
    ("Colorectal Cancer Liver Metastases\nLiver Neoplasms", []),
    ("Liver Metastases From Colorectal Cancer", []),
    ("Solid Tumor With Hepatic Impairment", []),
    ("Nonalcoholic Fatty Liver Disease", []),
    ("Liver Transplantation", []),
    ("Gastric Cancer", []),
    ("Breast Cancer", []),
]


@pytest.mark.parametrize("conditions, expected", CONDITIONS)
def test_axes_by_whole_words_and_phrases(conditions, expected):
    assert axes_for(conditions) == expected


@pytest.mark.parametrize(
    "conditions, mesh, expected",
    [
        ("BCLC-B", ["Carcinoma, Hepatocellular", "Liver Neoplasms"], [LIVER]),
        ("Resectable Tumour", ["Carcinoma, Pancreatic Ductal", "Pancreatic Neoplasms"], [PANC]),
        ("Tumour", ["Esophageal Squamous Cell Carcinoma"], [OESO]),
        ("Primary tumour", ["Liver Neoplasms"], [LIVER]),
        # MeSH files liver metastases under "Liver Neoplasms": not liver cancer.
        ("Colorectal Cancer", ["Liver Neoplasms", "Neoplasm Metastasis"], []),
        ("Colorectal Cancer Metastatic", ["Liver Neoplasms"], []),
        ("Pancreatitis", ["Pancreatitis", "Pancreatic Diseases"], []),
        ("Coronary Artery Disease", ["Coronary Artery Disease", "Myocardial Ischemia"], []),
    ],
)
def test_the_registry_mesh_terms_count(conditions, mesh, expected):
    assert axes_for(conditions, mesh) == expected


def test_mesh_terms_and_their_ancestors_are_read_from_the_record():
    data = load_fixture("pancreas_study.json")
    data["protocolSection"]["conditionsModule"]["conditions"] = ["Resectable Tumour"]
    data["derivedSection"]["conditionBrowseModule"] = {
        "meshes": [{"id": "D021441", "term": "Carcinoma, Pancreatic Ductal"}],
        "ancestors": [{"id": "D010190", "term": "Pancreatic Neoplasms"}, {"term": 3}, "x"],
    }
    assert ctgov.map_study(data).axis_slugs == [PANC]
    data["derivedSection"]["conditionBrowseModule"] = ["not", "an", "object"]
    assert ctgov.map_study(data).axis_slugs == []


def test_a_coronary_trial_gets_no_axis_at_import(network):
    data = load_fixture("pancreas_study.json")
    data["protocolSection"]["conditionsModule"]["conditions"] = ["Coronary Artery Disease"]
    data["derivedSection"]["conditionBrowseModule"] = {
        "meshes": [{"id": "D003324", "term": "Coronary Artery Disease"}]
    }
    import_json(data)
    assert not Trial.objects.get().axes.exists()


# --- --publish: only trials recruiting at a network centre, for one of its cancers --


def test_publish_publishes_a_trial_with_a_network_site_and_an_axis(network):
    out, _err = run("--publish", fixture_path("pancreas_study.json"))
    trial = Trial.objects.get()
    assert trial.is_published and not trial.needs_review
    assert "Non publiés malgré --publish" not in out


def test_publish_holds_a_trial_without_any_network_site(network):
    data = load_fixture("pancreas_study.json")
    locations = data["protocolSection"]["contactsLocationsModule"]["locations"]
    data["protocolSection"]["contactsLocationsModule"]["locations"] = [
        loc for loc in locations if loc["city"] in ("Cornebarrieu", "Brussels")
    ]
    report = import_json(data, publish=True)
    trial = Trial.objects.get()
    assert not trial.is_published
    assert trial.needs_review
    assert trial.review_note == "Non publié malgré --publish : aucun lieu dans un centre du réseau."
    assert report.held == ["NCT09900101"]


def test_publish_holds_a_trial_for_none_of_the_networks_cancers(network):
    data = load_fixture("pancreas_study.json")
    data["protocolSection"]["conditionsModule"]["conditions"] = ["Acute Pancreatitis"]
    data["derivedSection"]["conditionBrowseModule"] = {"meshes": [{"term": "Pancreatitis"}]}
    report = import_json(data, publish=True)
    trial = Trial.objects.get()
    assert not trial.is_published and report.held == ["NCT09900101"]
    assert "aucun des trois cancers du réseau" in trial.review_note


def test_publish_without_centres_in_the_database_publishes_nothing(db, axes):
    out, _err = run("--publish", fixture_path("oesophagus_page.json"))
    assert not Trial.objects.filter(is_published=True).exists()
    assert "Non publiés malgré --publish" in out and "  - NCT09900111" in out
