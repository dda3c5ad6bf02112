"""The results page of the search box in every page's header (works without JavaScript)."""

from django.shortcuts import render
from django.utils.cache import patch_cache_control

from .engine import search, words_of
from .forms import SearchForm
from .models import MissedSearch


def results(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "search/results.html", {"form": form, "invalid": True}, status=400)
    text = form.cleaned_data["q"]
    only = form.cleaned_data["type"] or None
    groups = search(text, only=only) if text else []
    total = sum(group.total for group in groups)
    response = render(
        request,
        "search/results.html",
        {
            "form": form,
            "text": text,
            "groups": [g for g in groups if g.total],
            "total": total,
            "only": only,
        },
    )
    words = " ".join(words_of(text))
    if words and total == 0 and only is None:
        # Counted every time: this answer is not kept by the page cache.
        MissedSearch.record(words[:200])
        patch_cache_control(response, no_cache=True)
    return response
