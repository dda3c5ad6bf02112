"""The page cache: anonymous public pages served again without SQL, fresh after any edit."""

import threading
import time

import pytest
from django.contrib import admin
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from centres.models import Centre, Service
from pantogether import pagecache
from pantogether.middleware import GEOLOCATION_SELF, PERMISSIONS_POLICY
from tests import factories


@pytest.fixture(autouse=True)
def _own_version_file(settings, tmp_path):
    # Other test processes on this machine bump the default file: keep ours apart.
    settings.PAGE_CACHE_VERSION_FILE = str(tmp_path / "content-version")
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def brest(db):
    return factories.make_centre(name="CHU de test de Brest", slug="chu-test-brest")


def test_second_visit_of_a_page_is_served_without_sql(client, brest, django_assert_num_queries):
    first = client.get(brest.get_absolute_url())
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(brest.get_absolute_url())
    assert second.status_code == 200
    assert second.content == first.content
    for header in ("Content-Type", "Content-Security-Policy", "X-Frame-Options"):
        assert second[header] == first[header]


def test_cached_pages_keep_their_own_permissions_policy(client, brest, django_assert_num_queries):
    client.get("/centres/")
    client.get(brest.get_absolute_url())
    with django_assert_num_queries(0):
        directory = client.get("/centres/")
        centre = client.get(brest.get_absolute_url())
    assert directory["Permissions-Policy"] == GEOLOCATION_SELF
    assert centre["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "geolocation=()" in centre["Permissions-Policy"]


def test_each_full_url_is_its_own_entry(client, brest):
    everything = client.get("/centres/").content.decode()
    nothing = client.get("/centres/?q=introuvablexyz").content.decode()
    assert brest.name in everything
    assert brest.name not in nothing
    assert brest.name in client.get("/centres/").content.decode()


def test_a_saved_change_shows_on_the_next_request(client, brest):
    assert "02 98 22 33 33" in client.get(brest.get_absolute_url()).content.decode()
    brest.phone = "02 61 91 00 00"
    brest.save()
    page = client.get(brest.get_absolute_url()).content.decode()
    assert "02 61 91 00 00" in page
    assert "02 98 22 33 33" not in page


def test_many_to_many_changes_and_deletions_show_at_once(client, brest):
    service = factories.make_service(name="Écho-endoscopie interventionnelle")
    assert service.name not in client.get(brest.get_absolute_url()).content.decode()
    brest.services.add(service)
    assert service.name in client.get(brest.get_absolute_url()).content.decode()
    Service.objects.filter(pk=service.pk).delete()
    assert service.name not in client.get(brest.get_absolute_url()).content.decode()
    brest.delete()
    assert client.get(brest.get_absolute_url()).status_code == 404


def test_bulk_changes_show_once_the_code_calls_bump(client, brest):
    client.get(brest.get_absolute_url())
    Centre.objects.filter(pk=brest.pk).update(phone="02 61 91 00 01")  # no signal
    assert "02 61 91 00 01" not in client.get(brest.get_absolute_url()).content.decode()
    pagecache.bump()
    assert "02 61 91 00 01" in client.get(brest.get_absolute_url()).content.decode()


def test_a_bump_from_another_web_process_is_seen(client, brest, settings):
    client.get(brest.get_absolute_url())
    Centre.objects.filter(pk=brest.pk).update(phone="02 61 91 00 02")
    # Another process of the host wrote a new version (local-memory caches).
    with open(settings.PAGE_CACHE_VERSION_FILE, "w") as f:
        f.write("version-written-elsewhere")
    assert "02 61 91 00 02" in client.get(brest.get_absolute_url()).content.decode()


def test_a_version_file_that_cannot_be_read_disables_the_cache(client, brest, settings, tmp_path):
    settings.PAGE_CACHE_VERSION_FILE = str(tmp_path)  # a directory: unreadable as a file
    client.get(brest.get_absolute_url())
    Centre.objects.filter(pk=brest.pk).update(phone="02 61 91 00 03")
    assert "02 61 91 00 03" in client.get(brest.get_absolute_url()).content.decode()


def test_staff_neither_read_nor_fill_the_cache(client, admin_client, brest):
    staff_view = admin_client.get(brest.get_absolute_url())
    assert staff_view.status_code == 200
    Centre.objects.filter(pk=brest.pk).update(phone="02 61 91 00 04")
    # The anonymous visitor does not get the page rendered for the staff member.
    assert "02 61 91 00 04" in client.get(brest.get_absolute_url()).content.decode()
    Centre.objects.filter(pk=brest.pk).update(phone="02 61 91 00 05")
    assert "02 61 91 00 05" in admin_client.get(brest.get_absolute_url()).content.decode()


def test_admin_pages_errors_and_cookies_are_never_cached(admin_client, client, db):
    cache_keys = lambda: [k for k in pagecache.caches["default"]._cache if "pagecache:page" in k]  # noqa: E731
    assert admin_client.get("/admin/").status_code == 200
    anonymous_admin = Client()
    assert anonymous_admin.get("/admin/login/").cookies.get("csrftoken")
    assert client.get("/centres/centre-qui-n-existe-pas/").status_code == 404
    assert client.get("/centres/?axe=%00").status_code == 400
    assert cache_keys() == []


def test_very_long_urls_are_not_cached(client, brest, django_assert_max_num_queries):
    url = "/centres/?q=" + "a" * 100 + "&x=" + "b" * 3000
    client.get(url)
    with django_assert_max_num_queries(50) as queries:
        client.get(url)
    assert len(queries) > 0


def test_page_cache_can_be_switched_off(client, brest, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(brest.get_absolute_url())
    Centre.objects.filter(pk=brest.pk).update(phone="02 61 91 00 06")
    assert "02 61 91 00 06" in client.get(brest.get_absolute_url()).content.decode()


def test_post_requests_are_never_answered_from_the_cache(client, brest):
    client.get("/centres/")
    Centre.objects.filter(pk=brest.pk).update(name="CHU de test renommé")
    assert "CHU de test renommé" in client.post("/centres/").content.decode()


def _response(**headers):
    response = HttpResponse("<!doctype html><title>t</title>")
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


@pytest.mark.parametrize(
    ("response", "cacheable"),
    [
        (_response(), True),
        (_response(Vary="Cookie"), True),
        (_response(Vary="Accept-Language"), False),
        (_response(Vary="Cookie, Accept-Encoding"), False),
        (_response(Cache_Control="private"), False),
        (_response(Cache_Control="no-store"), False),
        (_response(Content_Type="application/json"), False),
        (_response(Content_Security_Policy="script-src 'self' 'nonce-abc'"), False),
        (HttpResponse("x", status=404), False),
        (HttpResponse("x", status=302), False),
    ],
)
def test_only_plain_public_html_responses_are_cacheable(response, cacheable):
    assert pagecache._response_is_cacheable(response) is cacheable


def test_responses_setting_a_cookie_are_not_cacheable():
    response = _response()
    response.set_cookie("suivi", "1")
    assert pagecache._response_is_cacheable(response) is False


# --- Through the admin -----------------------------------------------------------


def change_form_data(response) -> dict:
    """The POST data of an admin change form as displayed (main form and inlines)."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if field.disabled or value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


@pytest.mark.skipif(
    not admin.site.is_registered(Centre), reason="the centres admin is not registered yet"
)
def test_an_admin_edit_of_a_centre_phone_shows_on_the_next_request(client, admin_client, brest):
    assert "02 98 22 33 33" in client.get(brest.get_absolute_url()).content.decode()
    change = f"/admin/centres/centre/{brest.pk}/change/"
    data = change_form_data(admin_client.get(change))
    data["phone"] = "02 61 91 12 34"
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    page = client.get(brest.get_absolute_url()).content.decode()
    assert "02 61 91 12 34" in page


@override_settings(PAGE_CACHE_SKIP_PREFIXES=["/admin/", "/centres/"])
def test_skipped_prefixes_are_not_cached(client, brest):
    client.get(brest.get_absolute_url())
    Centre.objects.filter(pk=brest.pk).update(phone="02 61 91 00 07")
    assert "02 61 91 00 07" in client.get(brest.get_absolute_url()).content.decode()


# --- One render per page after a bump --------------------------------------------


def _key_and_version(url):
    request = RequestFactory().get(url)
    return pagecache.page_key(request), pagecache.current_version()


def test_a_request_waits_for_the_page_another_one_is_rendering(
    client, brest, django_assert_num_queries
):
    url = brest.get_absolute_url()
    key, version = _key_and_version(url)
    backend = pagecache.caches["default"]
    assert backend.add(f"{key}:lock:{version}", 1)  # another request renders it

    def finish_rendering():
        time.sleep(0.2)
        backend.set(key, (version, 200, [("Content-Type", "text/html")], b"<p>rendu</p>"))

    other = threading.Thread(target=finish_rendering)
    other.start()
    with django_assert_num_queries(0):
        response = client.get(url)
    other.join()
    assert response.content == b"<p>rendu</p>"


def test_a_waiting_request_renders_itself_when_the_other_gives_up(client, brest, settings):
    settings.PAGE_CACHE_LOCK_WAIT = 0.3
    url = brest.get_absolute_url()
    key, version = _key_and_version(url)
    pagecache.caches["default"].add(f"{key}:lock:{version}", 1)  # never released
    started = time.monotonic()
    response = client.get(url)
    assert brest.name in response.content.decode()
    assert 0.3 <= time.monotonic() - started < 2


def test_a_released_lock_without_entry_ends_the_wait_at_once(client, brest):
    url = brest.get_absolute_url() + "?page=abc"
    key, version = _key_and_version(url)
    lock = f"{key}:lock:{version}"
    backend = pagecache.caches["default"]
    backend.add(lock, 1)
    threading.Timer(0.1, backend.delete, args=[lock]).start()  # rendered, not cacheable
    started = time.monotonic()
    assert client.get(url).status_code == 200
    assert time.monotonic() - started < 2


def test_the_renderer_releases_its_lock(client, brest):
    url = brest.get_absolute_url()
    client.get(url)
    key, version = _key_and_version(url)
    assert not pagecache.caches["default"].has_key(f"{key}:lock:{version}")
