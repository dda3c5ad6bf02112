"""The OpenAPI schema (JSON) and the human documentation (Swagger UI, vendored).

The schema is built once per process: it depends on the code only. The
documentation page loads Swagger UI from static/vendor/ and starts it from a
static file (static/js/api-docs.js), so the strict CSP stays as it is: no
inline script or style, no CDN.
"""

from django.shortcuts import render
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from .http import JsonOnly, ReadOnlyApiView

_schema: dict | None = None


def openapi_schema() -> dict:
    global _schema
    if _schema is None:
        _schema = SchemaGenerator().get_schema(request=None, public=True)
    return _schema


class SchemaView(ReadOnlyApiView):
    renderer_classes = [OpenApiJsonRenderer]
    content_negotiation_class = JsonOnly

    @extend_schema(exclude=True)
    def get(self, request):
        return Response(openapi_schema())


def docs_page(request):
    return render(request, "opendata/api_docs.html", {"schema_url": reverse("api:schema")})
