"""Rules stored with the data: identifiers, constraints, search column, site status."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_centre
from trials.models import FacilityAlias, Trial, TrialSite, facility_key, normalise_city

from .factories import make_site, make_trial


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as info:
        instance.full_clean()
    return info.value.message_dict


@pytest.mark.parametrize("value", ["NCT1234567", "nct01234567", "NCT012345678", "01234567"])
def test_nct_number_is_nct_and_eight_digits(db, value):
    assert "nct_number" in errors_of(Trial(plain_title="x", nct_number=value))


@pytest.mark.parametrize("value", ["2023-501234-12", "23-501234-12-00", "2023-50123-12-00"])
def test_eu_ct_number_format(db, value):
    assert "eu_ct_number" in errors_of(Trial(plain_title="x", eu_ct_number=value))


@pytest.mark.parametrize("value", ["2019-001234-5", "2019-001234-56-00", "19-001234-56"])
def test_eudract_number_format(db, value):
    assert "eudract_number" in errors_of(Trial(plain_title="x", eudract_number=value))


def test_valid_identifiers_pass(db):
    Trial(
        plain_title="x",
        nct_number="NCT01234567",
        eu_ct_number="2023-501234-12-00",
        eudract_number="2019-001234-56",
    ).full_clean()


def test_nct_and_eu_ct_numbers_are_unique(db):
    make_trial(nct_number="NCT09880500", eu_ct_number="2099-500000-01-00")
    errors = errors_of(
        Trial(plain_title="y", nct_number="NCT09880500", eu_ct_number="2099-500000-01-00")
    )
    assert errors["__all__"] == [
        "Un essai porte déjà ce numéro NCT.",
        "Un essai porte déjà ce numéro EU CT.",
    ]


def test_several_trials_without_identifiers_are_allowed(db):
    make_trial(nct_number="")
    make_trial(nct_number="")


def test_a_registry_trial_has_an_nct_number(db):
    errors = errors_of(Trial(plain_title="x", source="registry"))
    assert errors["__all__"] == ["Un essai importé du registre a un numéro NCT."]


def test_a_trial_has_a_title(db):
    assert errors_of(Trial())["__all__"] == ["Donnez au moins un titre à l’essai."]


def test_age_range_is_ordered(db):
    assert errors_of(Trial(plain_title="x", min_age=75, max_age=18))["__all__"] == [
        "L’âge minimum dépasse l’âge maximum."
    ]


def test_a_site_is_a_centre_or_a_named_facility(db):
    trial = make_trial()
    assert errors_of(TrialSite(trial=trial))["__all__"] == [
        "Choisissez un centre du réseau ou donnez le nom de l’établissement."
    ]
    make_site(trial, facility_name="Clinique exemple")


def test_search_column_is_kept_in_step_by_save(db):
    trial = make_trial(plain_title="Œsophage : immunothérapie", acronym="OESO-IO")
    assert "oesophage immunotherapie" in trial.search_text
    trial.interventions = "Nivolumab"
    trial.save()
    assert "nivolumab" in Trial.objects.get(pk=trial.pk).search_text


def test_site_status_is_never_more_open_than_the_trial(db):
    trial = make_trial(status="ACTIVE_NOT_RECRUITING")
    site = make_site(trial, facility_name="Clinique", status="RECRUITING")
    assert site.effective_status == "ACTIVE_NOT_RECRUITING"
    assert site.get_effective_status_display() == "En cours, ne recrute plus"
    trial.status = "RECRUITING"
    assert site.effective_status == "RECRUITING" and site.is_recruiting
    site.status = "NOT_YET_RECRUITING"
    assert site.effective_status == "NOT_YET_RECRUITING"
    site.status = ""
    assert site.effective_status == "RECRUITING"


def test_facility_keys_ignore_accents_case_and_cedex(db):
    assert normalise_city("LYON CEDEX 03") == "lyon"
    assert facility_key("Hôpital Pitié-Salpêtrière", "Paris") == facility_key(
        "HOPITAL PITIE SALPETRIERE", "paris cedex 13"
    )
    alias = FacilityAlias.objects.create(
        facility_name="Hôpital X", facility_city="Lyon Cedex 08", centre=make_centre()
    )
    assert alias.key == "hopital x|lyon"
