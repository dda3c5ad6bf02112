"""An import never loses what a record does not mention, never goes back to an
older version, closes the sites the registry stops listing instead of deleting
them, and flags each change for review once, with a note that does not grow."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import make_centre
from trials import services
from trials.models import Trial, TrialSite

from .factories import fixture_path, load_fixture
from .test_import import import_json, run

NCT = "NCT09900101"
PARIS = "2025-06-20 10:00 +02:00"  # the clock of these tests, after the fixture's version


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(PARIS, tick=False):
        yield


@pytest.fixture
def imported(network):
    """The full pancreas record, imported and published, its Paris site matched by staff."""
    run(fixture_path("pancreas_study.json"))
    trial = Trial.objects.get(nct_number=NCT)
    trial.is_published = True
    trial.save()
    services.link_facility(site=trial.sites.get(facility_city="Paris"), centre=network["pitie"])
    return Trial.objects.get(pk=trial.pk)


def sites(trial):
    return {
        s.facility_city: (s.status, s.centre_id, s.dropped_on)
        for s in trial.sites.filter(source="registry")
    }


def test_a_partial_capture_keeps_everything_it_does_not_mention(imported):
    criteria = imported.eligibility_criteria
    before = sites(imported)
    out, _err = run(fixture_path("pancreas_fields_status.json"))
    trial = Trial.objects.get(pk=imported.pk)
    assert len(criteria) > 300 and trial.eligibility_criteria == criteria
    assert trial.official_title.startswith("A Randomized Phase III Trial")
    assert trial.contact_email == "essais-paneo3@example.org"
    assert (trial.min_age, trial.max_age, trial.enrollment) == (18, 75, 340)
    assert sites(trial) == before
    assert "1 inchangé(s)" in out


def test_a_study_without_its_locations_module_keeps_its_sites(imported, network):
    before = sites(imported)
    criteria = imported.eligibility_criteria
    history = TrialSite.history.count()
    run(fixture_path("pancreas_study_without_locations.json"))
    trial = Trial.objects.get(pk=imported.pk)
    assert sites(trial) == before
    assert trial.sites.get(facility_city="Paris").centre == network["pitie"]
    assert trial.eligibility_criteria == criteria  # the newer record lacks the text
    assert trial.registry_updated == date(2025, 9, 15)
    assert TrialSite.history.count() == history


def test_a_capture_of_locations_without_city_or_country_leaves_the_sites_alone(imported):
    before = sites(imported)
    out, _err = run(fixture_path("pancreas_fields_locations.json"))
    assert sites(Trial.objects.get(pk=imported.pk)) == before
    assert "liste des lieux incomplète (capture partielle" in out


def test_a_location_without_its_status_keeps_the_stored_one(imported):
    study = load_fixture("pancreas_study.json")
    lyon = study["protocolSection"]["contactsLocationsModule"]["locations"][2]
    del lyon["status"], lyon["contacts"]
    import_json(study)
    site = TrialSite.objects.get(facility_city="Lyon Cedex 03")
    assert site.status == "NOT_YET_RECRUITING"
    assert site.investigator == "Julie Modèle, MD"


def test_an_explicitly_empty_value_clears_only_from_a_full_record(imported):
    partial = load_fixture("pancreas_study.json")
    del partial["derivedSection"]
    partial["protocolSection"]["conditionsModule"]["keywords"] = []
    partial["protocolSection"]["identificationModule"]["acronym"] = ""
    import_json(partial)
    trial = Trial.objects.get(pk=imported.pk)
    assert (trial.keywords, trial.acronym) == ("neoadjuvant\npancreatectomy\nFOLFIRINOX", "PANEO-3")

    full = load_fixture("pancreas_study.json")
    full["protocolSection"]["conditionsModule"]["keywords"] = []
    full["protocolSection"]["identificationModule"]["acronym"] = ""
    import_json(full)
    trial.refresh_from_db()
    assert (trial.keywords, trial.acronym) == ("", "")


def test_an_older_version_changes_nothing_and_says_so(imported):
    history = (Trial.history.count(), TrialSite.history.count())
    read_at = imported.last_imported_at
    with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
        out, _err = run(fixture_path("pancreas_study_2024_version.json"))
    trial = Trial.objects.get(pk=imported.pk)
    assert trial.status == "RECRUITING" and trial.brief_title.startswith(
        "Neoadjuvant mFOLFIRINOX V"
    )
    assert trial.registry_updated == date(2025, 6, 12)
    assert trial.last_imported_at == read_at  # an old record vouches for nothing today
    assert (Trial.history.count(), TrialSite.history.count()) == history
    assert (
        "version du registre du 2 novembre 2024, plus ancienne que celle du 12 juin 2025 "
        "déjà importée : rien n’est changé." in out
    )
    assert "1 ignoré(s) (version plus ancienne)" in out
    assert out.splitlines()[-1].endswith("Code de sortie 0 : tout ce qui était demandé a été fait.")


@pytest.mark.parametrize(
    "order",
    [
        ("pancreas_study_2024_version.json", "pancreas_study.json"),
        ("pancreas_study.json", "pancreas_study_2024_version.json"),
    ],
)
def test_both_versions_in_any_order_and_on_every_run_leave_the_newer(network, order):
    for _run in range(3):
        run(*(fixture_path(name) for name in order))
    trial = Trial.objects.get(nct_number=NCT)
    assert trial.status == "RECRUITING"
    assert trial.registry_updated == date(2025, 6, 12)
    note = trial.review_note
    run(*(fixture_path(name) for name in order))
    trial.refresh_from_db()
    assert trial.review_note == note  # no flip, no growth


def test_an_undated_record_of_a_stored_trial_changes_nothing(imported):
    study = load_fixture("pancreas_fields_status.json")
    status = study["studies"][0]["protocolSection"]["statusModule"]
    del status["lastUpdatePostDateStruct"]
    status["overallStatus"] = "TERMINATED"
    report = import_json(study)
    assert report.ignored == [NCT]
    assert Trial.objects.get(pk=imported.pk).status == "RECRUITING"
    assert "version sans date de mise à jour" in report.warnings[0]


def test_sites_dropped_by_the_registry_are_closed_never_deleted_and_reopen(imported, network):
    study = load_fixture("pancreas_study.json")
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2025-07-01"
    locations = study["protocolSection"]["contactsLocationsModule"]["locations"]
    study["protocolSection"]["contactsLocationsModule"]["locations"] = [
        loc for loc in locations if loc["city"] != "Paris"
    ]
    import_json(study)
    paris = TrialSite.objects.get(facility_city="Paris")
    assert paris.centre == network["pitie"]  # matched by staff: kept, with its centre
    assert (paris.status, paris.dropped_on) == ("ACTIVE_NOT_RECRUITING", date(2025, 6, 20))
    assert not paris.is_recruiting
    assert paris.history.latest().dropped_on == date(2025, 6, 20)

    import_json(load_fixture("pancreas_study.json"))  # the older record: ignored
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2025-08-01"
    study["protocolSection"]["contactsLocationsModule"]["locations"] = locations
    import_json(study)
    paris.refresh_from_db()
    assert (paris.status, paris.dropped_on) == ("RECRUITING", None)


def test_a_site_dropped_from_a_trial_not_yet_open_is_withdrawn(network):
    study = load_fixture("pancreas_study_2024_version.json")
    import_json(study)
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2024-12-01"
    study["protocolSection"]["contactsLocationsModule"]["locations"] = []
    import_json(study)
    assert set(TrialSite.objects.values_list("status", flat=True)) == {"WITHDRAWN"}


def test_the_centre_staff_confirmed_is_never_replaced_by_the_matcher(imported, network):
    other = make_centre(
        name="Hôpital Pitié-Salpêtrière",
        slug="autre",
        postcode="75013",
        city="Paris",
        department_code="75",
        latitude=48.838,
        longitude=2.36,
    )
    assert other.pk != network["pitie"].pk
    import_json(load_fixture("pancreas_study.json"))
    assert TrialSite.objects.get(facility_city="Paris").centre == network["pitie"]


def test_every_change_to_a_published_trial_is_in_its_history(imported):
    study = load_fixture("pancreas_study.json")
    study["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2025-07-01"
    study["protocolSection"]["contactsLocationsModule"]["locations"][0]["status"] = "COMPLETED"
    import_json(study)
    latest = Trial.objects.get(pk=imported.pk).history.latest()
    assert (latest.status, latest.needs_review) == ("COMPLETED", True)
    assert "statut (registre) : Recrute → Terminé" in latest.review_note
    brest = TrialSite.objects.get(facility_city="Brest")
    assert brest.history.latest().status == "COMPLETED"


def test_changes_flag_once_and_the_note_keeps_what_staff_last_saw(imported):
    def version(day, status, brest_status="RECRUITING"):
        study = load_fixture("pancreas_study.json")
        study["protocolSection"]["statusModule"]["overallStatus"] = status
        study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = day
        study["protocolSection"]["contactsLocationsModule"]["locations"][0]["status"] = brest_status
        return study

    first = import_json(version("2025-07-01", "ACTIVE_NOT_RECRUITING", "ACTIVE_NOT_RECRUITING"))
    again = import_json(version("2025-07-01", "ACTIVE_NOT_RECRUITING", "ACTIVE_NOT_RECRUITING"))
    assert first.flagged == [NCT] and again.flagged == [] and again.unchanged == [NCT]
    later = import_json(version("2025-08-01", "COMPLETED", "ACTIVE_NOT_RECRUITING"))
    assert later.flagged == [NCT]
    trial = Trial.objects.get(pk=imported.pk)
    assert trial.review_note.splitlines() == [
        "Changements du registre depuis la dernière relecture "
        "(version du registre du 1 août 2025) :",
        "- statut (registre) : Recrute → Terminé",
        "- lieu CHU de Brest (Brest) : Recrute → En cours, ne recrute plus",
    ]
    # Back to what staff last saw: nothing left to review for that site.
    import_json(version("2025-08-02", "COMPLETED", "RECRUITING"))
    trial.refresh_from_db()
    assert trial.review_note.splitlines()[1:] == ["- statut (registre) : Recrute → Terminé"]
    # Reviewed: the next change starts from what staff saw then.
    trial.needs_review = False
    trial.save()
    import_json(version("2025-08-03", "TERMINATED"))
    trial.refresh_from_db()
    assert trial.review_note.splitlines()[1:] == [
        "- statut (registre) : Terminé → Arrêté avant son terme"
    ]


def test_the_trial_page_says_a_site_is_no_longer_listed(client, imported):
    study = load_fixture("pancreas_study.json")
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2025-07-01"
    locations = study["protocolSection"]["contactsLocationsModule"]["locations"]
    study["protocolSection"]["contactsLocationsModule"]["locations"] = locations[:1]
    import_json(study)
    body = client.get(imported.get_absolute_url()).content.decode()
    assert "Clinique des Cèdres (fictive) (Cornebarrieu) — En cours, ne recrute plus" in body
    assert "plus cité par le registre depuis le 20 juin 2025" in body


def test_the_status_change_date_follows_the_registry(imported):
    assert imported.status_changed_at == timezone.now()  # created now
    study = load_fixture("pancreas_study.json")
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2025-07-01"
    study["protocolSection"]["descriptionModule"]["briefSummary"] = "Shorter."
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        import_json(study)  # a text change: same status
    assert Trial.objects.get(pk=imported.pk).status_changed_at == imported.status_changed_at
    study["protocolSection"]["statusModule"]["overallStatus"] = "SUSPENDED"
    with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
        import_json(study)
        assert Trial.objects.get(pk=imported.pk).status_changed_at == timezone.now()
