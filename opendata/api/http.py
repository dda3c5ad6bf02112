"""HTTP behaviour of every API answer: JSON only, ETag and 304, CORS for reads.

- ETag: a strong validator, the hash of the body. A client sending it back in
  If-None-Match gets a 304 without a body: right even for the RCPs, whose
  next dates change with the clock and not with the rows.
- Last-Modified: the latest change of the rows answered (or of the object),
  for information: If-Modified-Since is not honoured, as a row leaving a list,
  or a change to what hangs on an object (a trial's sites, a centre's axes),
  moves no date. The ETag says it all.
- CORS: any origin may read (GET, HEAD, and the preflight OPTIONS); nothing
  else is offered (POST and the others are 405, without CORS headers).

The page cache (core/pagecache.py) keeps HTML and calendars only: JSON answers
are computed for each request and validated by their own ETag.
"""

import hashlib

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

READ_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, If-None-Match",
    "Access-Control-Max-Age": "86400",
}
CACHE_CONTROL = "public, no-cache"  # reuse after revalidation (ETag): cheap and never stale


class JsonOnly(BaseContentNegotiation):
    """Always JSON, whatever Accept says (no 406, no Vary: Accept)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    ours = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == ours for tag in header.split(","))


class ReadOnlyApiView(APIView):
    """Base of every API view: no session, no authentication, reads only."""

    authentication_classes: list = []
    permission_classes: list = []
    renderer_classes = [JSONRenderer]
    parser_classes: list = []
    content_negotiation_class = JsonOnly
    http_method_names = ["get", "head", "options"]

    def options(self, request, *args, **kwargs):
        response = HttpResponse(status=204)
        for name, value in PREFLIGHT_HEADERS.items():
            response.headers[name] = value
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in READ_METHODS:
            return response
        if request.method != "OPTIONS" and response.status_code == 200:
            response = self._conditional(request, response)
        for name, value in CORS_HEADERS.items():
            response.headers[name] = value
        return response

    def _conditional(self, request, response):
        response.render()
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
        response.headers["ETag"] = etag
        response.headers["Cache-Control"] = CACHE_CONTROL
        last_modified = getattr(response, "last_modified", None)
        if last_modified is not None:
            response.headers["Last-Modified"] = http_date(last_modified.timestamp())
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is None or not etag_matches(if_none_match, etag):
            return response
        not_modified = HttpResponseNotModified()
        for name in ("ETag", "Cache-Control", "Last-Modified"):
            if name in response.headers:
                not_modified.headers[name] = response.headers[name]
        return not_modified
