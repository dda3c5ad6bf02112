"""ClinicalTrials.gov API v2 JSON to trial fields: every mapped field, on the fixtures."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trials import ctgov
from trials.ctgov import StudyError

from .factories import load_fixture, long_study


def study(name, index=0):
    document = load_fixture(name)
    return ctgov.studies_in(document)[index]


def test_pancreas_study_maps_identification_status_and_sponsor():
    mapped = ctgov.map_study(study("pancreas_study.json"))
    f = mapped.fields
    assert mapped.nct_number == f["nct_number"] == "NCT09900101"
    assert f["brief_title"].startswith("Neoadjuvant mFOLFIRINOX Versus Upfront Surgery")
    assert f["official_title"].startswith("A Randomized Phase III Trial")
    assert f["acronym"] == "PANEO-3"
    assert f["org_study_id"] == "GCOD-PANC-2023-01"
    assert f["eu_ct_number"] == "2099-503311-27-00"
    assert f["eudract_number"] == ""
    assert f["status"] == "RECRUITING"
    assert f["start_date"] == date(2024, 3, 4)
    # A partial registry date ("2027-12") is the first day of the month.
    assert f["primary_completion_date"] == date(2027, 12, 1)
    assert f["registry_updated"] == date(2025, 6, 12)
    assert f["sponsor"] == "Groupe coopérateur d'oncologie digestive (fictif)"
    assert f["sponsor_type"] == "academic"
    assert f["coordinator"] == "Claire Exemple, MD (CHU de Brest)"


def test_pancreas_study_maps_description_design_and_eligibility():
    f = ctgov.map_study(study("pancreas_study.json")).fields
    assert f["registry_summary"].startswith("The purpose of this study")
    assert f["conditions"] == "Pancreatic Ductal Adenocarcinoma\nResectable Pancreatic Cancer"
    assert f["keywords"] == "neoadjuvant\npancreatectomy\nFOLFIRINOX"
    assert f["interventions"] == "mFOLFIRINOX\nPancreatectomy"
    assert f["study_type"] == "INTERVENTIONAL"
    assert f["phase"] == "PHASE3"
    assert f["enrollment"] == 340
    assert f["eligibility_criteria"].startswith("Inclusion Criteria:")
    assert "Uncontrolled biliary obstruction" in f["eligibility_criteria"]
    assert f["sex"] == "ALL"
    assert (f["min_age"], f["max_age"]) == (18, 75)


def test_central_contact_phone_is_normalised():
    f = ctgov.map_study(study("pancreas_study.json")).fields
    assert f["contact_name"] == "Unité de recherche clinique (fictive)"
    assert f["contact_phone"] == "02 61 91 00 00"
    assert f["contact_email"] == "essais-paneo3@example.org"


def test_only_french_sites_are_kept_overseas_included():
    sites = ctgov.map_study(study("pancreas_study.json")).sites
    assert [s.facility_city for s in sites] == [
        "Brest",
        "Paris",
        "Lyon Cedex 03",
        "Cornebarrieu",
        "Saint-Denis",
    ]
    reunion = sites[-1]
    assert reunion.facility_country == "Réunion"
    assert reunion.facility_postcode == "97400"


def test_site_status_investigator_and_contact():
    brest, _paris, lyon, clinic, _reunion = ctgov.map_study(study("pancreas_study.json")).sites
    assert brest.facility_name == "CHU de Brest"
    assert brest.status == "RECRUITING"
    assert brest.investigator == "Claire Exemple, MD"
    assert brest.contact_name == "Attachée de recherche clinique"
    assert brest.contact_phone == "02 61 91 00 01"
    assert brest.contact_email == "arc-brest@example.org"
    assert lyon.status == "NOT_YET_RECRUITING"
    assert lyon.investigator == "Julie Modèle, MD"
    assert lyon.contact_name == ""
    assert clinic.investigator == clinic.contact_phone == ""


def test_page_of_studies_with_industry_sponsor_and_phase_na():
    first = ctgov.map_study(study("oesophagus_page.json", 0)).fields
    second = ctgov.map_study(study("oesophagus_page.json", 1)).fields
    assert first["sponsor_type"] == "industry"
    assert first["eu_ct_number"] == "2099-507788-31-00"
    assert "max_age" not in first  # the record says nothing: what is stored stays
    assert first["interventions"] == "EXM-4471\nFLOT\nPlacebo"
    assert second["phase"] == "NA"
    assert second["status"] == "NOT_YET_RECRUITING"
    assert second["start_date"] == date(2025, 10, 1)


def test_liver_studies_eudract_combined_phases_and_bad_email_warning():
    hcc = ctgov.map_study(study("liver_biliary_page.json", 0))
    cca = ctgov.map_study(study("liver_biliary_page.json", 1))
    assert hcc.fields["eudract_number"] == "2099-001234-56"
    assert hcc.fields["status"] == "ACTIVE_NOT_RECRUITING"
    assert hcc.fields["coordinator"] == "Nadia Exemple (Hôpital Avicenne)"
    assert cca.fields["phase"] == "PHASE1_PHASE2"
    assert cca.fields["contact_email"] == ""
    assert any("not-an-email" in w for w in cca.warnings)
    assert [s.facility_country for s in cca.sites] == ["France", "France", "Martinique"]


def test_axes_come_from_the_conditions_and_the_mesh_terms_of_the_record():
    assert ctgov.map_study(study("pancreas_study.json")).axis_slugs == ["pancreas"]
    first, second = (study("oesophagus_page.json", i) for i in (0, 1))
    assert ctgov.map_study(first).axis_slugs == ["oesophage"]
    assert ctgov.map_study(second).axis_slugs == ["oesophage"]
    hcc = study("liver_biliary_page.json", 0)
    hcc["protocolSection"]["conditionsModule"]["conditions"] = ["BCLC-B"]  # MeSH only
    assert ctgov.map_study(hcc).axis_slugs == ["foie-voies-biliaires"]


def test_a_single_study_or_a_page_are_both_read():
    assert len(ctgov.studies_in(load_fixture("pancreas_study.json"))) == 1
    assert len(ctgov.studies_in(load_fixture("oesophagus_page.json"))) == 2


@pytest.mark.parametrize("document", [{}, [], {"foo": 1}, "text", {"studies": "x"}, None])
def test_a_document_that_is_not_api_json_is_refused(document):
    with pytest.raises(StudyError):
        ctgov.studies_in(document)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: s["protocolSection"]["identificationModule"].pop("nctId"), "nctId manque"),
        (lambda s: s["protocolSection"]["identificationModule"].update(nctId="NCT123"), "NCT"),
        (lambda s: s["protocolSection"]["statusModule"].update(overallStatus="OPEN"), "OPEN"),
        (lambda s: s["protocolSection"]["designModule"].update(phases=["PHASE9"]), "PHASE9"),
        (lambda s: s["protocolSection"]["designModule"].update(phases="PHASE3"), "liste"),
        (lambda s: s["protocolSection"]["designModule"].update(studyType="CLINICAL"), "CLINICAL"),
        (
            lambda s: s["protocolSection"]["sponsorCollaboratorsModule"]["leadSponsor"].update(
                {"class": "PHARMA"}
            ),
            "PHARMA",
        ),
        (
            lambda s: s["protocolSection"]["contactsLocationsModule"]["locations"][0].update(
                status="OPEN"
            ),
            r"locations\[0\]\.status",
        ),
        (
            lambda s: s["protocolSection"]["statusModule"]["startDateStruct"].update(
                date="2024-13-01"
            ),
            "date impossible",
        ),
        (lambda s: s["protocolSection"]["eligibilityModule"].update(minimumAge="18"), "âge"),
        (
            lambda s: s["protocolSection"]["designModule"]["enrollmentInfo"].update(count="many"),
            "entier",
        ),
        (lambda s: s["protocolSection"].update(statusModule=[]), "objet"),
        (lambda s: s.pop("protocolSection"), "protocolSection"),
    ],
)
def test_bad_values_are_refused_with_the_field_named(change, message):
    data = study("pancreas_study.json")
    change(data)
    with pytest.raises(StudyError, match=message):
        ctgov.map_study(data)


@pytest.mark.parametrize(
    "text, years",
    [
        ("18 Years", 18),
        ("6 Months", 0),
        ("30 Months", 2),
        ("2 Weeks", 0),
        ("", None),
        ("N/A", None),
    ],
)
def test_ages(text, years):
    assert ctgov.parse_age(text, "age") == years


@given(st.text(max_size=40))
def test_any_date_text_is_a_date_none_or_a_study_error(text):
    try:
        value = ctgov.parse_date(text, "date")
    except StudyError:
        return
    assert value is None or isinstance(value, date)


@given(st.text(max_size=40))
def test_any_age_text_is_a_number_none_or_a_study_error(text):
    try:
        value = ctgov.parse_age(text, "age")
    except StudyError:
        return
    assert value is None or isinstance(value, int)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "protocolSection",
                    "identificationModule",
                    "statusModule",
                    "nctId",
                    "overallStatus",
                    "phases",
                    "locations",
                    "contactsLocationsModule",
                    "country",
                    "designModule",
                    "eligibilityModule",
                    "minimumAge",
                    "briefTitle",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@given(json_values)
def test_any_json_either_maps_or_raises_a_study_error(value):
    try:
        ctgov.map_study(value)
    except StudyError:
        pass


# --- Registry text longer than the fields: cut to fit, with a warning ---------------


def test_long_registry_text_is_cut_to_fit_with_warnings():
    mapped = ctgov.map_study(long_study())
    f = mapped.fields
    # Identifiers are cut as they are.
    assert f["acronym"] == ("PANEO-3-" + "X" * 50)[:40]
    assert len(f["org_study_id"]) == 60 and f["org_study_id"].startswith("GCOD-PANC-2023-01/")
    # Prose is cut at a word, with an ellipsis.
    assert len(f["coordinator"]) <= 200
    assert f["coordinator"].startswith("Claire Exemple, MD (Centre hospitalier universitaire")
    assert f["coordinator"].endswith("…") and not f["coordinator"].endswith(" …")
    # A phone number keeps the first number, never half of one.
    assert f["contact_phone"] == "02 61 91 00 00 poste 123456789"
    brest = mapped.sites[0]
    assert brest.contact_phone == "02 61 91 00 01"
    assert len(brest.contact_name) <= 200 and brest.contact_name.endswith("…")
    warnings = "\n".join(mapped.warnings)
    for label in (
        "acronyme trop long (58 caractères)",
        "référence du promoteur trop long",
        "investigateur coordonnateur trop long",
        "contact central : téléphone trop long",
        "contact : téléphone trop long",
        "contact : nom trop long",
    ):
        assert label in warnings


@pytest.mark.parametrize(
    "text, expected",
    [
        ("02 98 22 33 33 / 02 98 22 33 34 poste 1234", "02 98 22 33 33 poste 1234"),
        ("+33 2 98 22 33 33 or +33 2 98 22 33 34 poste 12345678901234567890", "02 98 22 33 33"),
        ("02 98 22 33 33 ext. 45 ; 02 98 22 33 34 ; 02 98 22 33 35", "02 98 22 33 33"),
        ("x" * 50, ""),
    ],
)
def test_first_phone(text, expected):
    assert ctgov.first_phone(text, 40) == expected


@pytest.mark.parametrize(
    "infos, eu_ct, eudract",
    [
        ([{"id": "EU CT 2099-501234-12-00", "type": "CTIS"}], "2099-501234-12-00", ""),
        ([{"id": "EUCT number: 2099-501234-12-00", "type": "OTHER"}], "2099-501234-12-00", ""),
        ([{"id": "EudraCT 2099-001234-56", "type": "EUDRACT_NUMBER"}], "", "2099-001234-56"),
        ([{"id": "2099-001234-56-FR", "type": "EUDRACT_NUMBER"}], "", "2099-001234-56"),
        ([{"id": "2099\u2013001234\u201356", "type": "EUDRACT_NUMBER"}], "", "2099-001234-56"),
        # An EU CT number is not read as a EudraCT one, nor a longer number as either.
        ([{"id": "2099-501234-12-00", "type": "EUDRACT_NUMBER"}], "2099-501234-12-00", ""),
        ([{"id": "12099-001234-561", "type": "EUDRACT_NUMBER"}], "", ""),
        ([{"id": "ID-RCB 2023-A01234-45", "type": "OTHER"}], "", ""),
    ],
)
def test_eu_numbers_are_found_anywhere_in_the_identifier(infos, eu_ct, eudract):
    data = study("pancreas_study.json")
    data["protocolSection"]["identificationModule"]["secondaryIdInfos"] = infos
    mapped = ctgov.map_study(data)
    assert (mapped.fields["eu_ct_number"], mapped.fields["eudract_number"]) == (eu_ct, eudract)


def test_a_malformed_eudract_number_is_a_warning():
    data = study("pancreas_study.json")
    data["protocolSection"]["identificationModule"]["secondaryIdInfos"] = [
        {"id": "2099-1234-56", "type": "EUDRACT_NUMBER"}
    ]
    mapped = ctgov.map_study(data)
    assert mapped.fields["eudract_number"] == ""
    assert "numéro EudraCT mal formé ignoré : 2099-1234-56" in mapped.warnings


def test_an_unknown_status_at_a_foreign_site_is_ignored_with_the_site():
    data = study("pancreas_study.json")
    locations = data["protocolSection"]["contactsLocationsModule"]["locations"]
    belgium = next(loc for loc in locations if loc["country"] == "Belgium")
    belgium["status"] = "OPEN_SOON"
    assert len(ctgov.map_study(data).sites) == 5
    locations[0]["status"] = "OPEN_SOON"  # in France: still refused
    with pytest.raises(StudyError, match="OPEN_SOON"):
        ctgov.map_study(data)
