"""The data migrations that rewrite stored overseas numbers in their national form."""

import importlib

from django.apps import apps

from centres.models import Centre, Person
from rcp.models import Rcp
from tests import factories
from tests.rcp.factories import make_rcp
from tests.trials.factories import make_site, make_trial
from trials.models import Trial, TrialSite


def _run(app_label: str, name: str) -> None:
    importlib.import_module(f"{app_label}.migrations.{name}").renormalise_phones(apps, None)


def test_overseas_numbers_stored_before_are_rewritten_mainland_ones_kept(db):
    reunion = factories.make_centre()
    brest = factories.make_centre()
    person = factories.make_person()
    Centre.objects.filter(pk=reunion.pk).update(phone="+262 2 62 90 50 50")
    Person.objects.filter(pk=person.pk).update(phone="06 92 12 34 56")
    _run("centres", "0007_overseas_phones_in_national_form")
    assert Centre.objects.get(pk=reunion.pk).phone == "0262 90 50 50"
    assert Centre.objects.get(pk=brest.pk).phone == "02 98 22 33 33"
    assert Person.objects.get(pk=person.pk).phone == "0692 12 34 56"


def test_rcp_secretariat_and_registry_contacts_are_rewritten_too(db):
    rcp = make_rcp()
    Rcp.objects.filter(pk=rcp.pk).update(secretariat_phone="+596 5 96 55 20 00")
    trial = make_trial()
    site = make_site(trial, facility_name="Boston Medical Center")
    Trial.objects.filter(pk=trial.pk).update(contact_phone="+262 2 62 90 50 50 poste 12")
    TrialSite.objects.filter(pk=site.pk).update(contact_phone="+1 555 010 0199")
    _run("rcp", "0003_overseas_phones_in_national_form")
    _run("trials", "0005_overseas_phones_in_national_form")
    assert Rcp.objects.get(pk=rcp.pk).secretariat_phone == "0596 55 20 00"
    assert Trial.objects.get(pk=trial.pk).contact_phone == "0262 90 50 50 poste 12"
    assert TrialSite.objects.get(pk=site.pk).contact_phone == "+1 555 010 0199"
