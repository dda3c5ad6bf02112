"""Read studies from the live ClinicalTrials.gov API v2, page by page.

Standard library only (urllib): one GET per page, a timeout on each, `retries`
more tries (so `retries + 1` in all) with a growing pause on network errors,
HTTP 429 and 5xx. Without a
network the caller gets a `FetchError` whose message says so in French; the
pages themselves go through the same mapping code as files (services.py).
The opener and the pause are parameters so that tests never touch the network.
"""

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

API_URL = "https://clinicaltrials.gov/api/v2/studies"
USER_AGENT = "PAN-TOGETHER-portail/1.0 (import des essais du réseau)"
RETRIED_HTTP = frozenset({429, 500, 502, 503, 504})


class FetchError(Exception):
    """The live API could not be read; the message is for staff (French)."""


def query_params(*, condition: str, country: str = "France", statuses=(), page_size=100) -> dict:
    params = {"format": "json", "pageSize": str(page_size), "query.cond": condition}
    if country:
        params["query.locn"] = country
    if statuses:
        params["filter.overallStatus"] = ",".join(statuses)
    return params


def fetch_pages(
    *,
    condition: str,
    country: str = "France",
    statuses=(),
    page_size: int = 100,
    max_pages: int = 20,
    timeout: float = 30,
    retries: int = 3,
    opener=None,
    sleep: Callable[[float], None] | None = None,
) -> Iterator[tuple[str, dict]]:
    """Yield (label, page) for each page of results, following `nextPageToken`."""
    params = query_params(
        condition=condition, country=country, statuses=statuses, page_size=page_size
    )
    yield from _pages(
        params,
        label="API ClinicalTrials.gov, page {number}",
        max_pages=max_pages,
        timeout=timeout,
        retries=retries,
        opener=opener or urllib.request.build_opener(),
        sleep=sleep or time.sleep,
    )


def fetch_by_ids(
    nct_numbers,
    *,
    batch_size: int = 100,
    max_pages: int = 20,
    timeout: float = 30,
    retries: int = 3,
    opener=None,
    sleep: Callable[[float], None] | None = None,
) -> Iterator[tuple[str, dict]]:
    """Yield (label, page) for these studies, asked by NCT number (`filter.ids`),
    `batch_size` numbers per request so that the URL stays short."""
    numbers = list(nct_numbers)
    opener = opener or urllib.request.build_opener()
    sleep = sleep or time.sleep
    for start in range(0, len(numbers), batch_size):
        batch = numbers[start : start + batch_size]
        params = {"format": "json", "pageSize": str(len(batch)), "filter.ids": ",".join(batch)}
        yield from _pages(
            params,
            label=f"API ClinicalTrials.gov, lot {start // batch_size + 1}, page {{number}}",
            max_pages=max_pages,
            timeout=timeout,
            retries=retries,
            opener=opener,
            sleep=sleep,
        )


def _pages(params: dict, *, label: str, max_pages: int, timeout, retries, opener, sleep):
    """The pages of one query, following `nextPageToken` up to `max_pages`."""
    params = dict(params)
    token = None
    for number in range(1, max_pages + 1):
        if token:
            params["pageToken"] = token
        url = f"{API_URL}?{urlencode(params)}"
        page = _get_json(url, opener=opener, timeout=timeout, retries=retries, sleep=sleep)
        yield label.format(number=number), page
        token = page.get("nextPageToken") if isinstance(page, dict) else None
        if not token:
            return
    raise FetchError(
        f"Plus de {max_pages} pages de résultats : précisez la recherche "
        "ou augmentez --max-pages. Les pages lues ont été importées."
    )


def _get_json(url: str, *, opener, timeout: float, retries: int, sleep) -> dict:
    """One page of the API, tried `retries + 1` times at most."""
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )
    last_error = ""
    attempts = max(0, retries) + 1
    for attempt in range(1, attempts + 1):
        try:
            with opener.open(request, timeout=timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code not in RETRIED_HTTP:
                raise FetchError(
                    f"ClinicalTrials.gov refuse la requête (HTTP {exc.code}) : "
                    "vérifiez les termes de recherche."
                ) from exc
            last_error = f"HTTP {exc.code}"
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            last_error = str(reason) or type(reason).__name__
        else:
            try:
                return json.loads(body)
            except (ValueError, RecursionError) as exc:
                if looks_like_html(body):
                    raise FetchError(
                        "ClinicalTrials.gov a répondu par une page HTML (page d’erreur ou de "
                        "maintenance) au lieu du JSON : réessayez plus tard."
                    ) from exc
                raise FetchError(
                    "ClinicalTrials.gov a répondu par autre chose que du JSON : "
                    "réessayez plus tard."
                ) from exc
        if attempt < attempts:
            sleep(2 ** (attempt - 1))
    raise FetchError(
        f"Pas de réseau ou ClinicalTrials.gov injoignable ({last_error}, "
        f"{attempts} tentative{'s' if attempts > 1 else ''}). "
        "Sans connexion, téléchargez les études au format JSON depuis un poste connecté "
        "puis importez les fichiers : python manage.py import_ctgov fichier.json"
    )


def looks_like_html(body: bytes) -> bool:
    """An HTML page (an error, login or maintenance page saved or served instead of JSON)."""
    start = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")) or (
        start.startswith(b"<") and b"<html" in body[:4096].lower()
    )
