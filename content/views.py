"""Public pages of the network's content: news, documents, editable pages."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from core import markdown

from .forms import DocumentFilterForm, PageNumberForm
from .models import Document, NewsItem, Page
from .validators import DOCUMENT_TYPES

NEWS_PAGE_SIZE = 10
DOCUMENTS_PAGE_SIZE = 20


def _page_number(request) -> int | None:
    """The ?page= number, or None when it is not one (a 400)."""
    form = PageNumberForm(request.GET)
    if not form.is_valid():
        return None
    return form.cleaned_data.get("page") or 1


def news_list(request):
    number = _page_number(request)
    if number is None:
        return render(request, "content/news_list.html", {"invalid": True}, status=400)
    page = Paginator(NewsItem.objects.published(), NEWS_PAGE_SIZE).get_page(number)
    return render(request, "content/news_list.html", {"page": page})


def news_detail(request, slug):
    item = get_object_or_404(NewsItem.objects.published().prefetch_related("axes"), slug=slug)
    return render(
        request,
        "content/news_detail.html",
        {"item": item, "axes": list(item.axes.all()), "body": page_html(item.body)},
    )


def documents(request):
    """Documents to download, filtered by category and axis."""
    form = DocumentFilterForm(request.GET or None)
    number = _page_number(request)
    if (form.is_bound and not form.is_valid()) or number is None:
        return render(
            request, "content/documents.html", {"form": form, "invalid": True}, status=400
        )
    found = Document.objects.published().select_related("axis")
    if form.is_bound:
        found = form.filter(found)
    page = Paginator(found, DOCUMENTS_PAGE_SIZE).get_page(number)
    return render(
        request,
        "content/documents.html",
        {"form": form, "page": page, "filtered": form.is_bound and form.is_filtered()},
    )


def document_download(request, slug):
    """A published document, always as a download (never displayed inline)."""
    document = get_object_or_404(Document.objects.published(), slug=slug)
    extension = document.extension
    if extension not in DOCUMENT_TYPES:
        raise Http404("format inconnu")
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("fichier absent") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{document.slug}.{extension}",
        content_type=DOCUMENT_TYPES[extension][1],
    )
    response["Cache-Control"] = "no-cache"
    return response


def page_html(text: str) -> str:
    """Markdown of a whole page (or news item): its headings are the page's
    sections (h2), not subsections (h3) as core.markdown makes them elsewhere."""
    html = markdown.render(text)  # sanitised by nh3; every heading is an h3 there
    return mark_safe(html.replace("<h3>", "<h2>").replace("</h3>", "</h2>"))  # noqa: S308


def _page(request, slug):
    page = get_object_or_404(Page.objects.published(), slug=slug)
    return render(request, "content/page.html", {"page": page, "body": page_html(page.body)})


def about(request):
    return _page(request, Page.Slug.ABOUT)


def glossary(request):
    return _page(request, Page.Slug.GLOSSARY)
