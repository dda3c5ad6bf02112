"""The open-data pages: the datasets (CSV, JSON, Table Schema) and the CSV of a
listing's current results (« Télécharger (CSV) » on /centres/, /rcp/, /essais/)."""

import json
from collections.abc import Iterator

from django.db.models import Max
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from centres.forms import CentreFilterForm
from centres.models import Centre
from rcp.forms import RcpFilterForm
from rcp.models import Rcp
from trials.forms import TrialFinderForm
from trials.models import Trial

from . import selection
from .datasets import DATASETS, LICENCE, csv_lines, json_value

# The listing each dataset comes from: its page's form and how it selects.
LISTINGS = {
    "centres": (CentreFilterForm, selection.centres, Centre),
    "rcp": (RcpFilterForm, selection.rcps, Rcp),
    "essais": (TrialFinderForm, selection.trials, Trial),
}


def _dataset(slug):
    if slug not in DATASETS:
        raise Http404("jeu de données inconnu")
    return DATASETS[slug]


def _whole(slug) -> selection.Selection:
    """Every published row, in the listing's order (every trial status)."""
    form_class, select, _model = LISTINGS[slug]
    form = form_class({"statut": "tous"} if slug == "essais" else {})
    form.is_valid()
    return select(form)


def _filename(slug: str, extension: str) -> str:
    return f"pan-together-{slug}-{timezone.localdate().isoformat()}.{extension}"


def _csv_response(dataset, found, request, filename):
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(dataset, dataset.rows(found, request=request))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def index(request):
    """« Données ouvertes »: the datasets, their schemas, the licence, the API."""
    entries = []
    for slug, dataset in DATASETS.items():
        _form, _select, model = LISTINGS[slug]
        published = model.objects.published()
        entries.append(
            {
                "dataset": dataset,
                "rows": published.count(),
                "updated": published.aggregate(last=Max("updated_at"))["last"],
            }
        )
    return render(request, "opendata/index.html", {"entries": entries, "licence": LICENCE})


def dataset_csv(request, slug):
    dataset = _dataset(slug)
    return _csv_response(dataset, _whole(slug), request, _filename(slug, "csv"))


def _json_chunks(dataset, found, request) -> Iterator[bytes]:
    """The rows as one JSON array, written row by row: the whole trials
    dataset (2.5 MB) is never held in memory, and the first bytes leave at once.
    The text is what json.dumps of the whole list writes."""
    yield b"["
    for number, row in enumerate(dataset.rows(found, request=request)):
        text = json.dumps(
            {key: json_value(value) for key, value in row.items()}, ensure_ascii=False
        )
        yield (", " + text if number else text).encode("utf-8")
    yield b"]"


def dataset_json(request, slug):
    dataset = _dataset(slug)
    response = StreamingHttpResponse(
        _json_chunks(dataset, _whole(slug), request), content_type="application/json"
    )
    response["Content-Disposition"] = f'inline; filename="{_filename(slug, "json")}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def dataset_schema(request, slug):
    dataset = _dataset(slug)
    response = JsonResponse(dataset.table_schema(), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def listing_csv(request, slug):
    """The current results of a public listing, as its page filters them (the
    same query string, the same defaults: /essais/ shows the recruiting trials)."""
    dataset = _dataset(slug)
    form_class, select, _model = LISTINGS[slug]
    form = form_class(request.GET)
    if not form.is_valid():
        errors = "; ".join(f"{name}\u00a0: {' '.join(msgs)}" for name, msgs in form.errors.items())
        return HttpResponse(
            f"Paramètres refusés — {errors}", status=400, content_type="text/plain; charset=utf-8"
        )
    return _csv_response(dataset, select(form), request, _filename(f"{slug}-selection", "csv"))
