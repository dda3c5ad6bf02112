"""Every database constraint of the project, one test each.

Each test starts from a valid stored object, breaks exactly the constraint's
rule, and checks three things: the constraint itself names the rule in French
(so `full_clean()` can see it), `full_clean()` refuses the object with that
message or with the error of the field whose validator states the same rule
first, and the database refuses the row when it is saved anyway.

A constraint without a test here fails `test_every_constraint_has_its_test`.
"""

from datetime import date, time
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from centres.models import CentreAxis, Role
from rcp.models import QuorumRule, RcpMember
from tests.factories import make_centre, make_person, make_role
from tests.rcp.factories import make_activity, make_exception, make_rcp
from tests.trials.factories import make_site, make_trial

pytestmark = pytest.mark.django_db

TESTED = {}


def covers(name):
    """Record that the decorated test covers the constraint `name`."""

    def record(test):
        TESTED[name] = test
        return test

    return record


def assert_refused(obj, constraint_name, message, *, field=NON_FIELD_ERRORS, **broken):
    """Break the valid `obj` by setting `broken`, then check it is refused three times."""
    obj.full_clean()
    for name, value in broken.items():
        setattr(obj, name, value)
    model = type(obj)
    constraint = next(c for c in model._meta.constraints if c.name == constraint_name)

    with pytest.raises(ValidationError) as by_constraint:
        constraint.validate(model, obj)
    assert by_constraint.value.messages == [constraint.get_violation_error_message()]
    assert constraint.get_violation_error_message() != constraint.default_violation_error_message

    with pytest.raises(ValidationError) as by_full_clean:
        obj.full_clean()
    errors = by_full_clean.value.message_dict
    assert list(errors) == [field], errors
    assert message in errors[field]

    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


# --- centres --------------------------------------------------------------------


@covers("centre_finess_unique")
def test_two_centres_cannot_share_a_finess_number():
    make_centre(finess="290000017")
    assert_refused(
        make_centre(),
        "centre_finess_unique",
        "Un centre porte déjà ce numéro FINESS.",
        finess="290000017",
    )


def test_centres_without_finess_number_are_not_duplicates():
    make_centre(finess="")
    make_centre(finess="").full_clean()


@covers("centre_coordinates_range")
def test_a_centre_is_on_earth():
    # The field's validator states the rule before the constraint does.
    assert_refused(
        make_centre(),
        "centre_coordinates_range",
        "Assurez-vous que cette valeur est inférieure ou égale à 90.",
        field="latitude",
        latitude=90.5,
    )


@covers("centre_axis_unique")
def test_a_centre_has_an_axis_once(axes):
    centre = make_centre(axes=[axes["pancreas"], axes["oesophage"]])
    assert_refused(
        CentreAxis.objects.get(centre=centre, axis=axes["oesophage"]),
        "centre_axis_unique",
        "Ce centre a déjà cet axe.",
        axis=axes["pancreas"],
    )


@covers("role_has_scope")
def test_a_role_other_than_national_coordination_has_a_centre_or_an_axis():
    assert_refused(
        make_role(kind=Role.Kind.SECRETARY, centre=make_centre()),
        "role_has_scope",
        "Un rôle se rattache à un centre, à un axe, ou aux deux (sauf la coordination nationale).",
        centre=None,
    )


@covers("role_unique")
def test_a_person_holds_a_role_once_even_without_centre_or_axis(axes):
    person = make_person()
    make_role(person, kind=Role.Kind.NATIONAL_COORDINATOR)
    assert_refused(
        make_role(person, kind=Role.Kind.NATIONAL_COORDINATOR, axis=axes["pancreas"]),
        "role_unique",
        "Cette personne a déjà ce rôle.",
        axis=None,
    )


# --- rcp ------------------------------------------------------------------------

TUESDAY = date(2026, 1, 13)  # make_rcp meets on Tuesdays from 6 January 2026
NEXT_TUESDAY = date(2026, 1, 20)


@pytest.fixture
def today(monkeypatch):
    """A fixed today, after the meetings recorded as held."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 3, 2))


@covers("rcp_deadline_days_range")
def test_an_rcp_deadline_is_at_most_thirty_days_before():
    assert_refused(
        make_rcp(),
        "rcp_deadline_days_range",
        "Assurez-vous que cette valeur est inférieure ou égale à 30.",
        field="deadline_days_before",
        deadline_days_before=31,
    )


@covers("rcp_duration_range")
def test_an_rcp_lasts_from_fifteen_minutes_to_ten_hours():
    assert_refused(
        make_rcp(),
        "rcp_duration_range",
        "Assurez-vous que cette valeur est inférieure ou égale à 600.",
        field="duration_minutes",
        duration_minutes=601,
    )


@covers("rcp_timezone_known")
def test_an_rcp_meets_in_a_known_time_zone():
    assert_refused(
        make_rcp(),
        "rcp_timezone_known",
        "La valeur «\u00a0'Europe/Atlantis'\u00a0» n’est pas un choix valide.",
        field="timezone",
        timezone="Europe/Atlantis",
    )


@covers("rcp_first_date_range")
def test_an_rcp_first_meets_between_2000_and_2100():
    assert_refused(
        make_rcp(),
        "rcp_first_date_range",
        "La première séance doit être entre 2000 et 2100.",
        field="first_date",
        first_date=date(1999, 12, 28),
    )


@covers("rcp_exception_unique")
def test_a_meeting_is_cancelled_or_moved_once():
    rcp = make_rcp()
    make_exception(rcp, TUESDAY)
    assert_refused(
        make_exception(rcp, NEXT_TUESDAY),
        "rcp_exception_unique",
        "Cette séance a déjà un changement enregistré.",
        original_date=TUESDAY,
    )


@covers("rcp_exception_consistent")
def test_a_moved_meeting_has_a_new_date():
    moved = make_exception(
        make_rcp(), TUESDAY, kind="moved", new_date=date(2026, 1, 15), new_start_time=time(9, 0)
    )
    assert_refused(
        moved,
        "rcp_exception_consistent",
        "Indiquez la nouvelle date de la séance déplacée.",
        field="new_date",
        new_date=None,
    )


def test_full_clean_drops_the_new_date_of_a_cancelled_meeting():
    """The other half of rcp_exception_consistent: clean() repairs it, the database refuses it."""
    cancelled = make_exception(make_rcp(), TUESDAY)
    cancelled.new_date = NEXT_TUESDAY
    cancelled.full_clean()
    assert cancelled.new_date is None
    cancelled.new_date = NEXT_TUESDAY
    with pytest.raises(IntegrityError), transaction.atomic():
        cancelled.save()


@covers("rcp_activity_unique")
def test_a_meeting_held_is_recorded_once(today):
    rcp = make_rcp()
    make_activity(rcp, TUESDAY)
    assert_refused(
        make_activity(rcp, NEXT_TUESDAY),
        "rcp_activity_unique",
        "Cette séance est déjà enregistrée pour cette RCP.",
        date=TUESDAY,
    )


@covers("rcp_activity_first_le_files")
def test_first_presentations_are_among_the_files_discussed(today):
    assert_refused(
        make_activity(make_rcp(), TUESDAY, files_discussed=10, first_presentations=10),
        "rcp_activity_first_le_files",
        "Les premières présentations ne peuvent pas dépasser les dossiers discutés.",
        first_presentations=11,
    )


@covers("rcp_member_unique")
def test_a_person_sits_at_an_rcp_once_per_specialty():
    rcp, person = make_rcp(), make_person()
    RcpMember.objects.create(rcp=rcp, person=person, specialty="surgery")
    assert_refused(
        RcpMember.objects.create(rcp=rcp, person=person, specialty="oncology"),
        "rcp_member_unique",
        "Cette personne est déjà membre de la RCP pour cette spécialité.",
        specialty="surgery",
    )


@covers("rcp_quorum_rule_single")
def test_the_network_has_one_quorum_rule():
    rule = QuorumRule.objects.get(pk=1)  # the national rule, from the migration
    assert_refused(rule, "rcp_quorum_rule_single", "Il n’y a qu’une règle de quorum.", pk=2)


# --- trials ---------------------------------------------------------------------


@covers("trial_nct_number_unique")
def test_two_trials_cannot_share_an_nct_number():
    first = make_trial()
    assert_refused(
        make_trial(),
        "trial_nct_number_unique",
        "Un essai porte déjà ce numéro NCT.",
        nct_number=first.nct_number,
    )


@covers("trial_eu_ct_number_unique")
def test_two_trials_cannot_share_an_eu_ct_number():
    make_trial(eu_ct_number="2023-501234-12-00")
    assert_refused(
        make_trial(),
        "trial_eu_ct_number_unique",
        "Un essai porte déjà ce numéro EU CT.",
        eu_ct_number="2023-501234-12-00",
    )


def test_trials_without_registry_numbers_are_not_duplicates():
    make_trial(nct_number="", eu_ct_number="")
    make_trial(nct_number="", eu_ct_number="").full_clean()


@covers("trial_registry_has_nct")
def test_a_trial_imported_from_the_registry_has_an_nct_number():
    assert_refused(
        make_trial(source="registry"),
        "trial_registry_has_nct",
        "Un essai importé du registre a un numéro NCT.",
        nct_number="",
    )


@covers("trial_has_title")
def test_a_trial_has_a_title():
    assert_refused(
        make_trial(),
        "trial_has_title",
        "Donnez au moins un titre à l’essai.",
        plain_title="",
        brief_title="",
    )


@covers("trial_age_range")
def test_a_trial_minimum_age_is_not_above_its_maximum():
    assert_refused(
        make_trial(min_age=18, max_age=75),
        "trial_age_range",
        "L’âge minimum dépasse l’âge maximum.",
        min_age=76,
    )


@covers("trialsite_centre_or_facility")
def test_a_trial_site_is_a_centre_or_a_named_facility():
    assert_refused(
        make_site(make_trial(), make_centre()),
        "trialsite_centre_or_facility",
        "Choisissez un centre du réseau ou donnez le nom de l’établissement.",
        centre=None,
    )


@covers("trialsite_registry_key_unique")
def test_a_registry_site_is_listed_once_per_trial():
    trial = make_trial()
    make_site(trial, make_centre(), registry_key="chu brest|brest")
    assert_refused(
        make_site(trial, make_centre(), registry_key="chu rennes|rennes"),
        "trialsite_registry_key_unique",
        "Ce lieu du registre figure déjà dans cet essai.",
        registry_key="chu brest|brest",
    )


# --- the list above is complete -------------------------------------------------------


def our_models():
    """The models of the project's own apps (not Django's, not third parties')."""
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and "site-packages" not in path.parts:
            yield from config.get_models()


def test_every_constraint_has_its_test():
    constraints = {c.name for model in our_models() for c in model._meta.constraints}
    assert constraints, "no constraint found: the model registry was not read"
    assert sorted(constraints - TESTED.keys()) == [], "constraints without a test here"
    assert sorted(TESTED.keys() - constraints) == [], "tests of constraints that are gone"
