"""Hostile input in the admin: a 4xx or a normal page, never a server error.

The URLs are generated, not listed by hand: every ModelAdmin registered on
``admin.site`` gives its changelist with each list filter's parameters (read
from the filters themselves), its date hierarchy, sorting, paging and a few
lookups Django lets through; its change, delete, history and history-version
pages with bad ids; its own extra URLs (``get_urls``); and the autocomplete
endpoint for each autocomplete field of the admin and its inlines. Each is
requested by a network manager (« Pilotage du réseau ») and by a centre
coordinator (« Coordination de centre », editor of one centre).

PostgreSQL and SQLite fail differently (an integer past bigint or a NUL in
text raises in psycopg; SQLite overflows past 64 bits): run this on both.
"""

import logging
from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, reverse
from simple_history.admin import SimpleHistoryAdmin

from centres.admin_scoping import CENTRE_GROUP, NETWORK_GROUP
from centres.models import Role
from tests.factories import make_centre, make_person, make_role, make_service
from tests.rcp.factories import make_activity, make_exception, make_rcp
from tests.trials.factories import make_site, make_trial
from trials.models import FacilityAlias

pytestmark = pytest.mark.django_db

OVERFLOW = "9" * 23  # past bigint, and past SQLite's 64-bit integers
# Object and version ids, in the URL path ("_00" is the admin's quoting of NUL).
BAD_IDS = ("abc", OVERFLOW, "1.5", "-1", "\x00", "_00", "x" * 300)
# Values for each changelist parameter, one at a time: not a number, past
# bigint alone and in a list. NUL (PostgreSQL refuses it in text) and a long
# value go to every parameter at once: whatever the name, NUL is refused first.
BAD_VALUES = ("abc", OVERFLOW, f"1,{OVERFLOW}")
EVERY_PARAMETER_VALUES = ("\x00", "x" * 10_000)
DATE_QUERIES = (
    {"year": "99999999999"},
    {"year": OVERFLOW},
    {"year": "abc"},
    {"year": "0"},
    {"year": "-1"},
    {"year": "9999"},
    {"year": "2024", "month": "13"},
    {"year": "2024", "month": "0"},
    {"year": "2024", "month": "abc"},
    {"year": "2024", "month": OVERFLOW},
    {"year": "9999", "month": "12"},
    {"year": "2024", "month": "2", "day": "0"},
    {"year": "2024", "month": "2", "day": "30"},
    {"year": "2024", "month": "2", "day": "abc"},
    {"year": "9999", "month": "12", "day": "31"},
    {"month": "2"},
    {"day": "1"},
)
# The changelist's own parameters: sorting, paging, search, popups.
CHANGELIST_QUERIES = (
    *({"o": v} for v in ("abc", "99", "-99", "1.abc", "0.0.0", OVERFLOW, "-", "")),
    *({"p": v} for v in ("99999999999", OVERFLOW, "-1", "0", "abc", "1.5")),
    *({"q": v} for v in ("\x00", "x" * 10_000, "%", "'", "\\", "_")),
    *({"id": v} for v in (f"-{OVERFLOW}", "1.5", "2024-13-45", "1,abc")),
    {"all": ""},
    {"e": "1"},
    {"_to_field": "abc"},
    {"_to_field": "password"},
    {"_popup": "abc"},
    {"\x00": "1"},
    {"kind\x00": "1"},
    {"id__regex": "("},  # an unbalanced regex fails in both databases
    {"id__iregex": "["},
)
# Lookups Django lets through on any model (local fields, and a relation's id).
ID_LOOKUPS = ("pk", "id__in", "id__range", "id__regex")
RELATION_LOOKUPS = ("{}__id__exact", "{}__id__in", "{}")
# What a custom view may read from a POST.
POST_FIELDS = ("centre", "rcp", "file", "dry_run")
UPLOADS = (
    b"rcp;date;dossiers;medecins;specialites\n\x00",
    b"\xff\xfe\x00r\x00c\x00p",
    "rcp;date;dossiers;medecins;specialites\n{};9999-12-31;{};{};{}\n".format(
        "x" * 10_000, OVERFLOW, OVERFLOW, "-1"
    ).encode(),
)
MEDIA_PATHS = (
    "/media/centres/" + "a" * 256 + ".jpg",
    "/media/centres/" + "a" * 10_000 + ".jpg",
    "/media/people/" + "é" * 200 + ".jpg",
    "/media/centres/a\x00.jpg",
    "/media/centres/" + "a/" * 200 + "a.jpg",
)
# 405: a view that only takes a POST (« Vérifié, rien n’a changé ») answers a GET so.
ACCEPTED = {200, 400, 403, 404, 405}


# --- The people and the rows ---------------------------------------------------------


def staff(django_user_model, username, group, centres=()):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", None)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=group))
    for centre in centres:
        centre.editors.add(user)
    return user


@pytest.fixture
def rows(axes):
    """A row of every model, in the coordinator's centre and in another one."""
    service = make_service()
    own = make_centre(axes=[axes["pancreas"]], services=[service])
    other = make_centre(axes=[axes["oesophage"]])
    for centre in (own, other):
        make_role(make_person(), centre=centre)
        rcp = make_rcp(organiser=centre, axes=[axes["pancreas"]])
        make_exception(rcp, rcp.first_date)
        make_activity(rcp, rcp.first_date)
        make_site(make_trial(axes=[axes["pancreas"]]), centre)
    make_role(make_person(), centre=own, kind=Role.Kind.NATIONAL_COORDINATOR)
    make_site(make_trial(), None, facility_name="Clinique inconnue", facility_country="France")
    FacilityAlias.objects.create(facility_name="CHU", facility_city="Brest", centre=own)
    return {"own": own, "other": other}


@pytest.fixture(autouse=True)
def _quiet_refusals(caplog):
    """Thousands of refused requests: their log lines (one per 4xx, some with a
    10,000-character URL) only slow the run down. A 500 is still logged."""
    caplog.set_level(logging.ERROR, logger="django.request")
    caplog.set_level(logging.CRITICAL, logger="django.security")


@pytest.fixture(params=["network_manager", "centre_coordinator"])
def user(request, django_user_model, rows):
    if request.param == "network_manager":
        return staff(django_user_model, "pilote", NETWORK_GROUP)
    return staff(django_user_model, "coord", CENTRE_GROUP, [rows["own"]])


# --- The URLs --------------------------------------------------------------------------


def url_name(model_admin, view: str) -> str:
    opts = model_admin.model._meta
    return f"admin:{opts.app_label}_{opts.model_name}_{view}"


def with_query(url: str, params: dict) -> str:
    return f"{url}?{urlencode(params)}"


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def first_row(model_admin, user):
    """A row the user may see, if any (its history gives a real version id)."""
    return model_admin.get_queryset(request_of(user)).order_by("pk").first()


def filter_parameters(model_admin, user) -> list[str]:
    """The query parameters of the admin's list filters, as the filters declare them."""
    changelist = model_admin.get_changelist_instance(request_of(user))
    return [name for spec in changelist.filter_specs for name in spec.expected_parameters()]


def changelist_urls(model_admin, user) -> list[str]:
    url = reverse(url_name(model_admin, "changelist"))
    model = model_admin.model
    relations = [
        field.name
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and not field.auto_created
    ]
    names = dict.fromkeys(
        [
            *filter_parameters(model_admin, user),
            *ID_LOOKUPS,
            *(lookup.format(name) for name in relations for lookup in RELATION_LOOKUPS),
        ]
    )
    urls = [with_query(url, {name: value}) for name in names for value in BAD_VALUES]
    urls += [with_query(url, dict.fromkeys(names, value)) for value in EVERY_PARAMETER_VALUES]
    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        urls += [
            with_query(url, {f"{field}__{part}": value for part, value in query.items()})
            for query in DATE_QUERIES
        ]
        # Transforms past the date hierarchy's own parameters.
        urls += [
            with_query(url, {f"{field}__{lookup}": OVERFLOW})
            for lookup in ("year__gt", "week_day__in", "month__in")
        ]
    urls += [with_query(url, query) for query in CHANGELIST_QUERIES]
    return urls


def object_urls(model_admin, user) -> list[str]:
    """Change, delete, history and old-version pages with bad ids (and a good one)."""
    model = model_admin.model
    row = first_row(model_admin, user)
    good = str(row.pk) if row else "1"
    urls = []
    for bad in BAD_IDS:
        urls += [
            reverse(url_name(model_admin, view), args=[bad])
            for view in ("change", "delete", "history")
        ]
        urls.append(reverse("admin:index") + f"{model._meta.app_label}/{model._meta.model_name}/")
        urls[-1] += quote(bad, safe="") + "/"
    urls += [
        with_query(reverse(url_name(model_admin, "change"), args=[good]), query)
        for query in ({"_to_field": "abc"}, {"_popup": "abc"}, {"_changelist_filters": "\x00"})
    ]
    if isinstance(model_admin, SimpleHistoryAdmin):
        history = getattr(row, "history", None) if row else None
        version = str(history.first().history_id) if history and history.exists() else "1"
        name = url_name(model_admin, "simple_history")
        urls += [reverse(name, args=[bad, version]) for bad in BAD_IDS]
        urls += [reverse(name, args=[good, bad]) for bad in BAD_IDS]
        urls.append(reverse(name, args=["abc", "abc"]))
    return urls


def custom_urls(model_admin, user) -> list[tuple[str, str]]:
    """(method, URL) for the admin's own views: each integer argument bad or good."""
    standard = {
        url_name(model_admin, view).removeprefix("admin:")
        for view in ("changelist", "add", "history", "delete", "change", "simple_history")
    }
    row = first_row(model_admin, user)
    found = []
    for pattern in model_admin.get_urls():
        if not isinstance(pattern, URLPattern) or not pattern.name or pattern.name in standard:
            continue
        arguments = list(pattern.pattern.converters)
        values = [OVERFLOW, "0", str(row.pk) if row else "1"] if arguments else [None]
        for value in values:
            args = [value] * len(arguments) if value is not None else []
            url = reverse(f"admin:{pattern.name}", args=args)
            found += [("get", url), ("get", with_query(url, {"x": "\x00", "page": OVERFLOW}))]
            found.append(("post", url))
    return found


def autocomplete_queries(model_admin) -> list[dict]:
    """Autocomplete requests for each autocomplete field of the admin and its inlines."""
    queries = []
    for owner in (
        model_admin,
        *(inline(model_admin.model, admin.site) for inline in model_admin.inlines),
    ):
        opts = owner.model._meta
        for field_name in owner.autocomplete_fields:
            good = {"app_label": opts.app_label, "model_name": opts.model_name}
            good["field_name"] = field_name
            terms = (*BAD_VALUES, *EVERY_PARAMETER_VALUES, "%", "'", "_")
            queries += [{**good, "term": term} for term in terms]
            queries += [{**good, "page": page} for page in ("abc", OVERFLOW, "0", "-1")]
            queries += [{**good, key: bad} for key in good for bad in ("abc", "\x00")]
    return queries


ADMINS = sorted(admin.site._registry.values(), key=lambda a: a.model._meta.label)


# --- Requests ----------------------------------------------------------------------------


def problem(client: Client, method: str, url: str, data=None) -> str | None:
    """What is wrong with the answer, or None for a 4xx or a normal page."""
    # A database error aborts a PostgreSQL transaction: roll it back, or every
    # later request in the test would fail too and hide the first cause.
    savepoint = transaction.savepoint()
    response = (
        getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    )
    if response.status_code >= 500:
        transaction.savepoint_rollback(savepoint)
    else:
        transaction.savepoint_commit(savepoint)
    if response.streaming:
        b"".join(response.streaming_content)
    # Django's "Database error" page is a 200, but no normal page.
    templates = {template.name for template in response.templates}
    shown = repr(url if len(url) < 160 else url[:160] + "…")
    if response.status_code == 302:
        location = response.headers["Location"]
        if location.startswith(("/admin/", "?")):
            return None
        return f"{method.upper()} {shown}: redirects outside the admin to {location}"
    if response.status_code in ACCEPTED and "admin/invalid_setup.html" not in templates:
        return None
    cause = ""
    if response.exc_info:
        error = response.exc_info[1]
        cause = f" {type(error).__name__}: {str(error)[:160]}"
    return f"{method.upper()} {shown}: {response.status_code}{cause}"


def problems(client, requests) -> list[str]:
    found = [problem(client, method, url, data) for method, url, data in requests]
    return [p for p in found if p]


@pytest.mark.parametrize("model_admin", ADMINS, ids=lambda a: a.model._meta.label)
def test_changelist_and_object_pages_survive_hostile_input(model_admin, user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    requests = [("get", url, None) for url in changelist_urls(model_admin, user)]
    requests += [("get", url, None) for url in object_urls(model_admin, user)]
    for method, url in custom_urls(model_admin, user):
        if method == "get":
            requests.append(("get", url, None))
            continue
        values = (*BAD_VALUES, *EVERY_PARAMETER_VALUES)
        requests += [("post", url, {name: value}) for name in POST_FIELDS for value in values]
        requests += [
            ("post", url, {"file": SimpleUploadedFile("activite.csv", upload)})
            for upload in UPLOADS
        ]
    found = problems(client, requests)
    assert not found, f"{len(found)} of {len(requests)} requests failed:\n" + "\n".join(found)


def test_autocomplete_survives_hostile_input(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    url = reverse("admin:autocomplete")
    queries = [q for model_admin in ADMINS for q in autocomplete_queries(model_admin)]
    queries += [{"app_label": "\x00", "model_name": "\x00", "field_name": "\x00", "term": "a"}]
    queries += [{"term": "a"}, {}]
    requests = [("get", with_query(url, query), None) for query in queries]
    found = problems(client, requests)
    assert len(requests) > 50
    assert not found, f"{len(found)} of {len(requests)} requests failed:\n" + "\n".join(found)


@pytest.fixture
def media_root(settings, tmp_path):
    """The upload folders exist, as in production: a long name then reaches the
    file system (with no folder, the lookup stops at "no such directory")."""
    for folder in ("centres", "people"):
        (tmp_path / folder).mkdir()
    (tmp_path / "centres" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_media_names_too_long_for_the_file_system_are_404(media_root, user):
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(user)
    for client in (Client(raise_request_exception=False), signed_in):
        found = problems(client, [("get", path, None) for path in MEDIA_PATHS])
        assert not found, "\n".join(found)
        assert client.get(MEDIA_PATHS[0]).status_code == 404
        served = client.get("/media/centres/photo.jpg")
        assert served.status_code == 200
        assert b"".join(served.streaming_content) == b"\xff\xd8\xff\xe0"


def test_admin_index_and_app_pages_survive_hostile_paths(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    index = reverse("admin:index")
    paths = [index + quote(bad, safe="") + "/" for bad in BAD_IDS]
    paths += [index + f"centres/{quote(bad, safe='')}/" for bad in BAD_IDS]
    found = problems(client, [("get", path, None) for path in paths])
    assert not found, "\n".join(found)
