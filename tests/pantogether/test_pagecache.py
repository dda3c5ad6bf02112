"""The page cache: anonymous public pages served again without SQL, for PAGE_CACHE_SECONDS."""

import gzip
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from centres.models import Centre
from core import pagecache
from core.headers import PERMISSIONS_POLICY
from tests import factories


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


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
    assert directory["Permissions-Policy"] == PERMISSIONS_POLICY.replace(
        "geolocation=()", "geolocation=(self)"
    )
    assert centre["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "geolocation=()" in centre["Permissions-Policy"]


def test_each_full_url_is_its_own_entry(client, brest):
    everything = client.get("/centres/").content.decode()
    nothing = client.get("/centres/?q=introuvablexyz").content.decode()
    assert brest.name in everything
    assert brest.name not in nothing
    assert brest.name in client.get("/centres/").content.decode()


def test_an_edit_reaches_anonymous_visitors_when_the_entry_expires(client, brest):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert "02 98 22 33 33" in client.get(brest.get_absolute_url()).content.decode()
        brest.phone = "02 61 91 00 00"
        brest.save()
        # Nothing invalidates the entry: the old page until it expires...
        clock.shift(timedelta(seconds=59))
        assert "02 98 22 33 33" in client.get(brest.get_absolute_url()).content.decode()
        # ... and the new one right after.
        clock.shift(timedelta(seconds=2))
        page = client.get(brest.get_absolute_url()).content.decode()
    assert "02 61 91 00 00" in page
    assert "02 98 22 33 33" not in page


def test_a_due_entry_is_served_while_another_request_renders_the_page(
    client, brest, django_assert_num_queries
):
    url = brest.get_absolute_url()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get(url)
        Centre.objects.filter(pk=brest.pk).update(phone="02 61 91 00 09")
        clock.shift(timedelta(seconds=61))
        pagecache.caches["default"].add(f"{_key(url)}:lock", 1)  # another request renders it
        with django_assert_num_queries(0):
            stale = client.get(url).content.decode()
        assert "02 98 22 33 33" in stale
        pagecache.caches["default"].delete(f"{_key(url)}:lock")  # ... and is done
        assert "02 61 91 00 09" in client.get(url).content.decode()
        # Past twice the cache time, nothing is left to serve: a plain render.
        clock.shift(timedelta(seconds=121))
        Centre.objects.filter(pk=brest.pk).update(phone="02 61 91 00 10")
        assert "02 61 91 00 10" in client.get(url).content.decode()


def test_an_unpublished_centre_leaves_the_public_pages_within_the_cache_time(client, brest):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.get(brest.get_absolute_url()).status_code == 200
        brest.is_published = False
        brest.save()
        clock.shift(timedelta(seconds=61))
        assert client.get(brest.get_absolute_url()).status_code == 404


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
        (_response(Content_Type="text/calendar; charset=utf-8"), True),
        (_response(Content_Type="application/atom+xml; charset=utf-8"), True),
        (_response(Content_Encoding="gzip"), False),
        (_response(Cache_Control="private"), False),
        (_response(Cache_Control="no-store"), False),
        (_response(Content_Type="application/json"), False),
        (_response(Content_Security_Policy="script-src 'self' 'nonce-abc'"), False),
        (HttpResponse("x", status=404), False),
        (HttpResponse("x", status=302), False),
    ],
)
def test_only_plain_public_pages_and_feeds_are_cacheable(response, cacheable):
    assert pagecache._response_is_cacheable(response) is cacheable


def test_responses_setting_a_cookie_are_not_cacheable():
    response = _response()
    response.set_cookie("suivi", "1")
    assert pagecache._response_is_cacheable(response) is False


@override_settings(PAGE_CACHE_SKIP_PREFIXES=["/admin/", "/centres/"])
def test_skipped_prefixes_are_not_cached(client, brest):
    client.get(brest.get_absolute_url())
    Centre.objects.filter(pk=brest.pk).update(phone="02 61 91 00 07")
    assert "02 61 91 00 07" in client.get(brest.get_absolute_url()).content.decode()


# --- One render per page when its entry expires ----------------------------------


def _key(url):
    return pagecache.page_key(RequestFactory().get(url))


def test_a_request_waits_for_the_page_another_one_is_rendering(
    client, brest, django_assert_num_queries
):
    url = brest.get_absolute_url()
    key = _key(url)
    backend = pagecache.caches["default"]
    assert backend.add(f"{key}:lock", 1)  # another request renders it

    def finish_rendering():
        time.sleep(0.2)
        backend.set(
            key, (200, [("Content-Type", "text/html")], b"<p>rendu</p>", None, 'W/"x"', 1e12)
        )

    other = threading.Thread(target=finish_rendering)
    other.start()
    with django_assert_num_queries(0):
        response = client.get(url)
    other.join()
    assert response.content == b"<p>rendu</p>"


def test_a_waiting_request_renders_itself_when_the_other_gives_up(client, brest, settings):
    settings.PAGE_CACHE_LOCK_WAIT = 0.3
    url = brest.get_absolute_url()
    key = _key(url)
    pagecache.caches["default"].add(f"{key}:lock", 1)  # never released
    started = time.monotonic()
    response = client.get(url)
    assert brest.name in response.content.decode()
    # It waited, then gave up long before the lock's own expiry (the bound is
    # wide: the suite runs beside the gates on a loaded machine).
    assert 0.3 <= time.monotonic() - started < 10


def test_a_released_lock_without_entry_ends_the_wait_at_once(client, brest, settings):
    settings.PAGE_CACHE_LOCK_WAIT = 30  # a wait to its end could not pass for « at once »
    url = brest.get_absolute_url() + "?page=abc"
    key = _key(url)
    lock = f"{key}:lock"
    backend = pagecache.caches["default"]
    backend.add(lock, 1)
    threading.Timer(0.1, backend.delete, args=[lock]).start()  # rendered, not cacheable
    started = time.monotonic()
    assert client.get(url).status_code == 200
    assert time.monotonic() - started < 10


def test_the_renderer_releases_its_lock(client, brest):
    url = brest.get_absolute_url()
    client.get(url)
    key = _key(url)
    assert not pagecache.caches["default"].has_key(f"{key}:lock")


# --- ETag and compression ---------------------------------------------------------


def test_a_client_asking_again_with_its_etag_gets_a_304_without_sql(
    client, brest, django_assert_num_queries
):
    first = client.get(brest.get_absolute_url())
    etag = first["ETag"]
    assert etag.startswith('W/"')
    with django_assert_num_queries(0):
        again = client.get(brest.get_absolute_url(), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    other = client.get(brest.get_absolute_url(), headers={"If-None-Match": 'W/"autre"'})
    assert other.status_code == 200
    assert other.content == first.content


def test_large_entries_are_compressed_once_for_clients_that_accept_gzip(client, db):
    for n in range(40):
        factories.make_centre(name=f"Centre de test numéro {n}", slug=f"centre-test-{n}")
    plain = client.get("/centres/carte/")
    assert "Content-Encoding" not in plain
    compressed = client.get("/centres/carte/", headers={"Accept-Encoding": "gzip, deflate"})
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 3
    refused = client.get("/centres/carte/", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused
    assert refused.content == plain.content


def test_pages_are_cached_per_host(client, brest, settings):
    settings.ALLOWED_HOSTS = ["testserver", "autre.example.org"]
    client.get(brest.get_absolute_url())
    Centre.objects.filter(pk=brest.pk).update(phone="02 61 91 00 08")
    other_host = client.get(brest.get_absolute_url(), headers={"Host": "autre.example.org"})
    assert "02 61 91 00 08" in other_host.content.decode()
