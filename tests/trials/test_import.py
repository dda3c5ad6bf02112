"""import_ctgov: create, update, keep staff's fields, match sites, flag changes, bad input."""

import io
import json
import socket
import urllib.error
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from centres.models import Centre
from trials import services
from trials.models import FacilityAlias, Trial, TrialSite
from trials.services import ImportReport, import_document

from .factories import fixture_path, load_fixture, long_study, make_site, make_trial


def run(*args, code=0):
    """Run the command; its exit status must be `code` (0: everything asked was done)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_ctgov", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = exc.code
    assert status == code, (status, out.getvalue(), err.getvalue())
    return out.getvalue(), err.getvalue()


def import_json(document, **kwargs):
    report = ImportReport()
    import_document(document, source="test.json", report=report, **kwargs)
    return report


def test_import_creates_the_trial_with_its_french_sites(network, axes):
    out, err = run(fixture_path("pancreas_study.json"))
    trial = Trial.objects.get(nct_number="NCT09900101")
    assert trial.source == "registry"
    assert trial.acronym == "PANEO-3"
    assert trial.is_published is False  # waits for staff to write the French title
    assert trial.last_imported_at is not None
    assert list(trial.axes.all()) == [axes["pancreas"]]
    sites = {s.facility_city: s for s in trial.sites.all()}
    assert set(sites) == {"Brest", "Paris", "Lyon Cedex 03", "Cornebarrieu", "Saint-Denis"}
    assert sites["Brest"].centre == network["brest"]
    # "HCL Édouard-Herriot" in "Lyon Cedex 03" is the Lyon centre (short name, cedex ignored).
    assert sites["Lyon Cedex 03"].centre == network["lyon"]
    # "Hôpital Pitié-Salpêtrière" is the centre "CHU Pitié-Salpêtrière, AP-HP".
    assert sites["Paris"].centre == network["pitie"]
    assert sites["Cornebarrieu"].centre is None  # a clinic: only staff can say
    assert "1 essai(s) créé(s)" in out
    assert "NCT09900101 : Clinique des Cèdres (fictive) (Cornebarrieu)" in out
    assert err == ""


def test_second_import_changes_nothing(network):
    run(fixture_path("pancreas_study.json"), fixture_path("liver_biliary_page.json"))
    history = Trial.history.count() + TrialSite.history.count()
    updated_at = dict(Trial.objects.values_list("pk", "updated_at"))
    out, _err = run(fixture_path("pancreas_study.json"), fixture_path("liver_biliary_page.json"))
    assert "0 essai(s) créé(s), 0 mis à jour, 3 inchangé(s)" in out
    assert Trial.history.count() + TrialSite.history.count() == history
    assert dict(Trial.objects.values_list("pk", "updated_at")) == updated_at


def test_reimport_keeps_what_staff_wrote(network, axes):
    run(fixture_path("pancreas_study.json"))
    trial = Trial.objects.get(nct_number="NCT09900101")
    trial.plain_title = "Chimiothérapie avant l’opération d’un cancer du pancréas"
    trial.plain_summary = "Résumé écrit par l’équipe."
    trial.key_eligibility = "- Cancer du pancréas opérable"
    trial.setting = "neoadjuvant"
    trial.is_published = True
    trial.save()
    trial.axes.set([axes["pancreas"], axes["oesophage"]])

    study = load_fixture("pancreas_study.json")
    study["protocolSection"]["identificationModule"]["briefTitle"] = "A New Registry Title"
    study["protocolSection"]["conditionsModule"]["conditions"] = ["Liver Cancer"]
    import_json(study)

    trial.refresh_from_db()
    assert trial.brief_title == "A New Registry Title"
    assert trial.plain_title == "Chimiothérapie avant l’opération d’un cancer du pancréas"
    assert trial.plain_summary == "Résumé écrit par l’équipe."
    assert trial.key_eligibility == "- Cancer du pancréas opérable"
    assert trial.setting == "neoadjuvant"
    assert trial.is_published is True
    assert set(trial.axes.all()) == {axes["pancreas"], axes["oesophage"]}


def test_a_status_change_in_the_registry_flags_the_trial_for_review(network):
    run(fixture_path("pancreas_study.json"))
    study = load_fixture("pancreas_study.json")
    status = study["protocolSection"]["statusModule"]
    status["overallStatus"] = "ACTIVE_NOT_RECRUITING"
    status["lastUpdatePostDateStruct"]["date"] = "2025-09-01"
    report = import_json(study)
    trial = Trial.objects.get(nct_number="NCT09900101")
    assert report.flagged == ["NCT09900101"]
    assert trial.needs_review is True
    assert trial.status == "ACTIVE_NOT_RECRUITING"
    assert trial.review_note.splitlines() == [
        "Changements du registre depuis la dernière relecture "
        "(version du registre du 1 septembre 2025) :",
        "- statut (registre) : Recrute → En cours, ne recrute plus",
    ]


def test_a_text_change_updates_without_flagging(network):
    run(fixture_path("pancreas_study.json"))
    study = load_fixture("pancreas_study.json")
    study["protocolSection"]["descriptionModule"]["briefSummary"] = "Shorter summary."
    report = import_json(study)
    trial = Trial.objects.get(nct_number="NCT09900101")
    assert report.updated == ["NCT09900101"] and report.flagged == []
    assert trial.needs_review is False
    assert trial.registry_summary == "Shorter summary."


def test_the_page_never_says_recruiting_once_the_registry_closes_the_trial(client, network):
    run(fixture_path("pancreas_study.json"))
    Trial.objects.filter(nct_number="NCT09900101").update(is_published=True)
    study = load_fixture("pancreas_study.json")
    study["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    import_json(study)  # the sites still say RECRUITING in the registry
    trial = Trial.objects.get(nct_number="NCT09900101")
    body = client.get(trial.get_absolute_url()).content.decode()
    assert "Recrute" not in body and "status-open" not in body
    assert "Cet essai ne recrute pas actuellement" in body
    listing = client.get("/essais/?statut=tous").content.decode()
    assert "status-open" not in listing and ">Terminé</p>" in listing


def test_alias_chosen_in_the_admin_matches_at_the_next_import(network):
    run(fixture_path("pancreas_study.json"))
    clinic = TrialSite.objects.get(facility_city="Cornebarrieu")
    linked = services.link_facility(site=clinic, centre=network["cedres"])
    assert linked == 1
    alias = FacilityAlias.objects.get()
    assert (alias.facility_name, alias.centre) == (
        "Clinique des Cèdres (fictive)",
        network["cedres"],
    )

    # Another study naming the same facility is matched at once.
    other = load_fixture("pancreas_study.json")
    other["protocolSection"]["identificationModule"]["nctId"] = "NCT09900199"
    other["protocolSection"]["identificationModule"]["secondaryIdInfos"] = []
    report = import_json(other)
    site = TrialSite.objects.get(trial__nct_number="NCT09900199", facility_city="Cornebarrieu")
    assert site.centre == network["cedres"]
    assert not any("Cèdres" in u for u in report.unmatched)


def test_an_alias_added_later_matches_old_unmatched_sites_on_reimport(network):
    run(fixture_path("pancreas_study.json"))
    FacilityAlias.objects.create(
        facility_name="CLINIQUE DES CEDRES (FICTIVE)",
        facility_city="cornebarrieu",
        centre=network["cedres"],
    )
    out, _err = run(fixture_path("pancreas_study.json"))
    assert TrialSite.objects.get(facility_city="Cornebarrieu").centre == network["cedres"]
    assert "1 mis à jour" in out


def test_an_alias_name_helps_match_other_spellings_of_the_facility(network):
    FacilityAlias.objects.create(
        facility_name="Clinique des Cèdres", facility_city="Cornebarrieu", centre=network["cedres"]
    )
    run(fixture_path("pancreas_study.json"))  # "Clinique des Cèdres (fictive)"
    assert TrialSite.objects.get(facility_city="Cornebarrieu").centre == network["cedres"]


def test_registry_sites_that_disappear_are_closed_and_manual_ones_stay(network):
    run(fixture_path("pancreas_study.json"))
    trial = Trial.objects.get(nct_number="NCT09900101")
    manual = make_site(trial, network["pitie"], investigator="Dr Test")
    study = load_fixture("pancreas_study.json")
    locations = study["protocolSection"]["contactsLocationsModule"]["locations"]
    study["protocolSection"]["contactsLocationsModule"]["locations"] = locations[:1]
    import_json(study)
    open_sites = trial.sites.filter(dropped_on__isnull=True)
    assert set(open_sites.values_list("facility_city", flat=True)) == {"Brest", ""}
    closed = trial.sites.filter(dropped_on__isnull=False)
    assert set(closed.values_list("facility_city", "status")) == {
        ("Paris", "ACTIVE_NOT_RECRUITING"),
        ("Lyon Cedex 03", "ACTIVE_NOT_RECRUITING"),
        ("Cornebarrieu", "ACTIVE_NOT_RECRUITING"),
        ("Saint-Denis", "ACTIVE_NOT_RECRUITING"),
    }
    assert TrialSite.objects.filter(pk=manual.pk).exists()


def test_a_centre_staff_chose_is_kept_when_the_name_matches_nothing(network):
    run(fixture_path("pancreas_study.json"))
    clinic = TrialSite.objects.get(facility_city="Cornebarrieu")
    clinic.centre = network["brest"]
    clinic.save()
    import_json(load_fixture("pancreas_study.json"))
    clinic.refresh_from_db()
    assert clinic.centre == network["brest"]


def test_bad_studies_are_reported_and_the_rest_of_the_file_imports(network):
    out, err = run(fixture_path("page_with_bad_studies.json"), code=1)
    assert list(Trial.objects.values_list("nct_number", flat=True)) == ["NCT09900131"]
    assert "page_with_bad_studies.json, étude n° 1 (sans numéro NCT)" in err
    assert "nctId manque" in err
    assert "étude NCT09900132 : valeur inconnue « RECRUTING »" in err
    assert "étude NCT09900133 : âge illisible « eighteen »" in err
    assert "1 essai(s) créé(s)" in out and "3 erreur(s)" in out


def test_malformed_and_missing_files_are_reported_without_stopping(network):
    out, err = run(
        fixture_path("malformed.json"),
        "/nonexistent/file.json",
        fixture_path("oesophagus_page.json"),
        code=1,
    )
    assert "malformed.json : JSON mal formé (ligne 7" in err
    assert "/nonexistent/file.json : fichier introuvable" in err
    assert Trial.objects.count() == 2


def test_a_study_failing_halfway_leaves_no_partial_trial(network, monkeypatch):
    def broken_sync(*args, **kwargs):
        raise services.StudyError("panne simulée pendant l’écriture des lieux")

    monkeypatch.setattr(services, "_sync_sites", broken_sync)
    report = import_json(load_fixture("pancreas_study.json"))
    assert report.errors == [
        "test.json, étude NCT09900101 : panne simulée pendant l’écriture des lieux"
    ]
    assert not Trial.objects.exists()
    assert not Trial.history.exists()


def test_a_duplicate_eu_number_is_a_reported_validation_error(network):
    import_json(load_fixture("pancreas_study.json"))
    other = load_fixture("pancreas_study.json")
    other["protocolSection"]["identificationModule"]["nctId"] = "NCT09900198"
    report = import_json(other)
    assert "Un essai porte déjà ce numéro EU CT" in report.errors[0]
    assert Trial.objects.count() == 1


def test_a_manual_trial_with_the_same_nct_number_becomes_a_registry_trial(network):
    Trial.objects.create(plain_title="Saisi à la main", nct_number="NCT09900101")
    report = import_json(load_fixture("pancreas_study.json"))
    trial = Trial.objects.get()
    assert report.updated == ["NCT09900101"]
    assert (trial.source, trial.plain_title) == ("registry", "Saisi à la main")
    assert trial.start_date == date(2024, 3, 4)


def test_the_command_needs_a_file_fetch_or_refresh(db):
    with pytest.raises(CommandError, match="au moins un fichier JSON, --fetch TERMES ou --refresh"):
        run()


# --- --fetch, with a fake opener: tests never touch the network ----------------


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class FakeOpener:
    """Answers each request with the next item: a dict (JSON) or an exception."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.urls = []
        self.timeouts = []

    def open(self, request, timeout=None):
        self.urls.append(request.full_url)
        self.timeouts.append(timeout)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return FakeResponse(json.dumps(answer).encode())


@pytest.fixture
def fake_network(monkeypatch):
    """Route the command's requests to a FakeOpener; never sleep."""
    from trials import fetch

    state = {}

    def install(*answers):
        opener = FakeOpener(*answers)
        state["opener"] = opener

        def sleep(seconds):
            state.setdefault("sleeps", []).append(seconds)

        for name in ("fetch_pages", "fetch_by_ids"):
            real = getattr(fetch, name)

            def patched(*args, real=real, **kwargs):
                return real(*args, **kwargs, opener=opener, sleep=sleep)

            monkeypatch.setattr(fetch, name, patched)
        return opener

    install.state = state
    return install


def test_fetch_follows_the_pages_with_the_query(network, fake_network):
    first = load_fixture("oesophagus_page.json")
    second = {"studies": [load_fixture("pancreas_study.json")]}
    opener = fake_network(first, second)
    out, err = run("--fetch", "esophageal cancer", "--timeout", "7")
    assert Trial.objects.count() == 3
    assert "3 essai(s) créé(s)" in out and err == ""
    assert "query.cond=esophageal+cancer" in opener.urls[0]
    assert "query.locn=France" in opener.urls[0]
    assert "pageToken" not in opener.urls[0]
    assert "pageToken=ZVNj7o2Elu8o3lpoWsSH" in opener.urls[1]
    assert opener.timeouts == [7.0, 7.0]


def test_fetch_retries_on_server_errors(network, fake_network):
    busy = urllib.error.HTTPError("https://x", 503, "Service Unavailable", {}, None)
    opener = fake_network(busy, {"studies": [load_fixture("pancreas_study.json")]})
    out, err = run("--fetch", "pancreatic cancer")
    assert Trial.objects.count() == 1
    assert len(opener.urls) == 2
    assert fake_network.state["sleeps"] == [1]


def test_fetch_without_network_says_so_in_french(network, fake_network):
    offline = urllib.error.URLError(socket.gaierror(-3, "Temporary failure in name resolution"))
    fake_network(offline, offline, offline, offline)
    out, err = run("--fetch", "pancreatic cancer", code=3)
    assert "Pas de réseau ou ClinicalTrials.gov injoignable" in err
    assert "4 tentatives" in err  # --retries 3 by default: 3 retries after the first try
    assert "python manage.py import_ctgov fichier.json" in err
    assert fake_network.state["sleeps"] == [1, 2, 4]
    assert not Trial.objects.exists()


def test_fetch_refused_query_is_not_retried(network, fake_network):
    refused = urllib.error.HTTPError("https://x", 400, "Bad Request", {}, None)
    opener = fake_network(refused)
    _out, err = run("--fetch", "pancreatic cancer", code=3)
    assert "refuse la requête (HTTP 400)" in err
    assert len(opener.urls) == 1


def test_fetch_stops_at_max_pages(network, fake_network):
    page = {"studies": [], "nextPageToken": "again"}
    fake_network(page, page)
    _out, err = run("--fetch", "cancer", "--max-pages", "2", code=3)
    assert "Plus de 2 pages" in err


def test_default_fetch_uses_urllib_without_calling_it_in_tests(monkeypatch, db):
    """The real opener path is wired; the opener itself is replaced at the lowest level."""
    import urllib.request

    calls = []

    class Offline:
        def open(self, request, timeout=None):
            calls.append(request.full_url)
            raise urllib.error.URLError(ConnectionRefusedError(111, "Connection refused"))

    monkeypatch.setattr(urllib.request, "build_opener", lambda *a: Offline())
    monkeypatch.setattr("time.sleep", lambda s: None)
    _out, err = run("--fetch", "cholangiocarcinoma", "--retries", "2", code=3)
    assert len(calls) == 3
    assert calls[0].startswith("https://clinicaltrials.gov/api/v2/studies?")
    assert "Connection refused" in err


def test_centre_matching_uses_postcode_when_the_city_is_spelt_differently(network):
    study = load_fixture("pancreas_study.json")
    brest = study["protocolSection"]["contactsLocationsModule"]["locations"][0]
    brest["city"] = "Brest Cedex 2"
    brest["zip"] = "29200"
    import_json(study)
    assert TrialSite.objects.get(facility_name="CHU de Brest").centre == network["brest"]
    assert Centre.objects.count() == 4  # no centre created by an import


# --- --refresh: every registry trial read again by NCT number ---------------------


def test_refresh_reads_every_registry_trial_by_nct_number_and_closes_them(network, fake_network):
    run(fixture_path("pancreas_study.json"), fixture_path("liver_biliary_page.json"))
    make_trial(plain_title="Saisi à la main", nct_number="NCT09900777")
    make_trial(plain_title="Démonstration", nct_number="NCT09900888", is_demo=True)
    Trial.objects.filter(nct_number="NCT09900888").update(source="registry")
    # The registry closed the pancreas trial since: a --fetch limited to recruiting
    # trials would never bring it back.
    closed = load_fixture("pancreas_study.json")
    closed["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    page = load_fixture("liver_biliary_page.json")
    page["studies"].append(closed)
    opener = fake_network(page)

    out, err = run("--refresh", "--timeout", "9")

    assert len(opener.urls) == 1 and opener.timeouts == [9.0]
    url = opener.urls[0]
    assert url.startswith("https://clinicaltrials.gov/api/v2/studies?")
    assert "filter.ids=NCT09900101%2CNCT09900121%2CNCT09900122" in url
    assert "NCT09900777" not in url and "NCT09900888" not in url  # manual, demo
    assert "query.locn" not in url and "filter.overallStatus" not in url
    trial = Trial.objects.get(nct_number="NCT09900101")
    assert (trial.status, trial.needs_review) == ("COMPLETED", True)
    assert "1 mis à jour, 2 inchangé(s), 0 ignoré(s) (version plus ancienne), 1 à revoir" in out
    assert err == ""


def test_refresh_records_the_read_even_when_nothing_changed(network, fake_network):
    run(fixture_path("pancreas_study.json"))
    old = timezone.now() - timedelta(days=60)
    Trial.objects.update(last_imported_at=old)
    trial = Trial.objects.get()
    assert trial.status_is_unverified
    history = Trial.history.count()
    fake_network({"studies": [load_fixture("pancreas_study.json")]})
    out, _err = run("--refresh")
    trial.refresh_from_db()
    assert "1 inchangé(s)" in out
    assert trial.last_imported_at > old and not trial.status_is_unverified
    assert Trial.history.count() == history  # a read is not a change


def test_refresh_reports_trials_the_registry_does_not_return(network, fake_network):
    run(fixture_path("liver_biliary_page.json"))
    page = load_fixture("liver_biliary_page.json")
    page["studies"] = page["studies"][:1]
    fake_network(page)
    out, _err = run("--refresh", code=1)
    assert "Non vérifiés auprès du registre" in out
    assert "  - NCT09900122" in out
    assert "1 essai(s) non vérifié(s) auprès du registre." in out


def test_refresh_without_network_says_so_and_lists_what_was_not_checked(network, fake_network):
    run(fixture_path("liver_biliary_page.json"))
    offline = urllib.error.URLError(socket.gaierror(-3, "Temporary failure in name resolution"))
    fake_network(offline, offline, offline, offline)
    out, err = run("--refresh", code=3)
    assert "Pas de réseau ou ClinicalTrials.gov injoignable" in err
    assert "2 essai(s) non vérifié(s) auprès du registre." in out
    assert "  - NCT09900121" in out and "  - NCT09900122" in out


def test_refresh_with_nothing_to_read_says_so(db, fake_network):
    opener = fake_network()
    out, _err = run("--refresh")
    assert "aucun essai du registre à relire" in out
    assert opener.urls == []


def test_refresh_asks_in_batches_and_follows_pages(fake_network):
    from trials import fetch

    first = {"studies": [], "nextPageToken": "suite"}
    opener = FakeOpener(first, {"studies": []}, {"studies": []})
    numbers = [f"NCT0990000{i}" for i in range(5)]
    pages = list(fetch.fetch_by_ids(numbers, batch_size=3, opener=opener, sleep=lambda s: None))
    assert [label for label, _page in pages] == [
        "API ClinicalTrials.gov, lot 1, page 1",
        "API ClinicalTrials.gov, lot 1, page 2",
        "API ClinicalTrials.gov, lot 2, page 1",
    ]
    assert "filter.ids=NCT09900000%2CNCT09900001%2CNCT09900002&" in opener.urls[0] + "&"
    assert "pageSize=3" in opener.urls[0]
    assert "pageToken=suite" in opener.urls[1]
    assert "filter.ids=NCT09900003%2CNCT09900004" in opener.urls[2]


def test_a_study_with_long_registry_text_imports_with_warnings(network):
    report = import_json(long_study())
    assert report.created == ["NCT09900101"] and report.errors == []
    trial = Trial.objects.get()
    assert trial.acronym == ("PANEO-3-" + "X" * 50)[:40]
    assert trial.contact_phone == "02 61 91 00 00 poste 123456789"
    assert trial.sites.get(facility_city="Brest").contact_phone == "02 61 91 00 01"
    assert any("NCT09900101 : acronyme trop long" in w for w in report.warnings)
