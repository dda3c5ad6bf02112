"""Plain French, honestly labelled: glossary terms in French, registry English marked
as such (lang="en"), registry Markdown rendered right, planned or actual
participants, and the glossary page of the registry's words."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from trials import explanations
from trials.models import GlossaryTerm, Phase, Setting, Status, Trial
from trials.registry_text import as_markdown, registry_html

from .factories import load_fixture, make_trial
from .test_import import import_json

NBSP = "\u00a0"


def page(client, trial) -> str:
    """The page as read: without its scripts (the structured data for search
    engines keeps the registry's own words)."""
    body = client.get(trial.get_absolute_url()).content.decode()
    return re.sub(r"<script\b.*?</script>", "", body, flags=re.S)


def test_known_terms_are_shown_in_french_and_the_rest_as_registry_english(client, db):
    trial = make_trial(
        conditions="Pancreatic Ductal Adenocarcinoma\nTrousseau Syndrome",
        interventions="mFOLFIRINOX\nEXM-4471",
    )
    body = page(client, trial)
    assert "Maladies étudiées&nbsp;: adénocarcinome canalaire du pancréas, " in body
    assert '<span lang="en">Trousseau Syndrome</span>' in body
    assert f"mFOLFIRINOX (FOLFIRINOX modifié{NBSP}: 5-FU" in body
    assert '<span lang="en">EXM-4471</span>' in body
    assert body.count("texte du registre, en anglais") == 2
    assert "Pancreatic Ductal Adenocarcinoma" not in body


def test_a_term_staff_add_to_the_glossary_is_used_at_once(client, db):
    trial = make_trial(conditions="Trousseau Syndrome")
    GlossaryTerm.objects.create(
        english="TROUSSEAU syndrome", french="syndrome de Trousseau", kind="condition"
    )
    body = page(client, trial)
    assert "Maladies étudiées&nbsp;: syndrome de Trousseau." in body
    assert "texte du registre, en anglais" not in body


def test_a_term_is_in_the_glossary_once(db):
    term = GlossaryTerm(english="pancreatic  CANCER", french="autre", kind="condition")
    with pytest.raises(ValidationError, match="Ce terme figure déjà dans le glossaire"):
        term.full_clean()


def test_the_glossary_is_seeded_with_the_networks_cancers_and_treatments(db):
    french = GlossaryTerm.objects.french_for(
        ["Hepatocellular Carcinoma", "Esophageal Squamous Cell Carcinoma", "FLOT", "Nivolumab"]
    )
    assert french["Esophageal Squamous Cell Carcinoma"] == "carcinome épidermoïde de l’œsophage"
    assert french["FLOT"].startswith("FLOT (chimiothérapie")
    assert GlossaryTerm.objects.count() >= 100


def test_an_english_title_says_it_is_the_registrys(client, db):
    trial = make_trial(plain_title="", brief_title="Perioperative FLOT in Gastric Cancer")
    body = page(client, trial)
    assert '<h1 lang="en">Perioperative FLOT in Gastric Cancer</h1>' in body
    assert "Titre du registre, en anglais&nbsp;: le titre en français" in body
    listing = client.get("/essais/").content.decode()
    assert "Titre du registre, en anglais" in listing


CRITERIA = """Inclusion Criteria:
* Histologically confirmed pancreatic adenocarcinoma
* Adequate organ function, defined as:
  1. Neutrophils >= 1.5 G/L
  2. Platelets >= 100 G/L
* ECOG performance status 0-1

Exclusion Criteria:
- Prior chemotherapy
    - including adjuvant
- Pregnancy"""


def test_registry_lists_are_indented_four_spaces_per_level():
    assert as_markdown(CRITERIA).splitlines() == [
        "Inclusion Criteria:",
        "",
        "* Histologically confirmed pancreatic adenocarcinoma",
        "* Adequate organ function, defined as:",
        "    1. Neutrophils >= 1.5 G/L",
        "    2. Platelets >= 100 G/L",
        "* ECOG performance status 0-1",
        "",
        "Exclusion Criteria:",
        "",
        "- Prior chemotherapy",
        "    - including adjuvant",
        "- Pregnancy",
    ]


def test_registry_criteria_render_as_nested_lists_without_raw_bullets():
    html = registry_html(CRITERIA)
    assert "* " not in html and "- Pr" not in html
    assert re.search(
        r"<li>Adequate organ function, defined as:\s*<ol>\s*<li>Neutrophils &gt;= 1.5 G/L</li>"
        r"\s*<li>Platelets &gt;= 100 G/L</li>\s*</ol>\s*</li>\s*<li>ECOG",
        html,
    ), html
    assert html.count("<ul>") == 3 and html.count("<ol>") == 1


def test_the_trial_page_renders_the_registry_criteria_and_summary(client, db):
    trial = make_trial(eligibility_criteria=CRITERIA, registry_summary="Aims:\n* one\n* two")
    trial.plain_summary = ""
    trial.save()
    body = page(client, trial)
    assert "<li>Neutrophils &gt;= 1.5 G/L</li>" in body
    assert '<blockquote lang="en"><p>Aims:</p>\n<ul>\n<li>one</li>' in body


@pytest.mark.parametrize(
    "kind, wording",
    [("ESTIMATED", "Participants prévus"), ("ACTUAL", "Participants inclus"), ("", "indiqué")],
)
def test_participants_planned_or_included_as_the_registry_counts_them(client, db, kind, wording):
    trial = make_trial(enrollment=340, enrollment_type=kind)
    assert f"{wording}" in page(client, trial)
    assert "tous pays confondus&nbsp;: 340." in page(client, trial)


def test_the_import_reads_the_enrolment_type(network):
    study = load_fixture("liver_biliary_page.json")["studies"][0]  # a completed count
    import_json(study)
    assert Trial.objects.get().enrollment_type == "ACTUAL"


def test_every_phase_situation_and_status_is_explained():
    assert set(explanations.PHASES) == set(Phase.values)
    assert set(explanations.SETTINGS) == set(Setting.values)
    assert set(explanations.STATUSES) == set(Status.values)


def test_the_glossary_page_is_linked_from_the_finder_and_the_trial_page(client, db):
    url = reverse("trials:glossary")
    assert f'href="{url}"' in client.get("/essais/").content.decode()
    assert f'href="{url}"' in page(client, make_trial())
    body = client.get(url).content.decode()
    assert body.count("<h1") == 1
    assert '<dt id="phase-phase3">Phase 3</dt><dd>Le nouveau traitement est comparé' in body
    assert "Métastatique, 1re ligne" in body and "Recrute" in body
