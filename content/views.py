"""Public pages of the network's content: news, documents, editable pages."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from centres.models import Centre
from core import markdown, text

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


def page_html(source: str) -> str:
    """Markdown of a whole page (or news item): its headings are the page's
    sections (h2), not subsections (h3) as core.markdown makes them elsewhere.
    French spacing (no-break space before « : », inside « ») is set here, so
    staff type ordinary spaces."""
    html = markdown.render(source)  # sanitised by nh3; every heading is an h3 there
    html = text.typo(html.replace("<h3>", "<h2>").replace("</h3>", "</h2>"))
    return mark_safe(html)  # noqa: S308


def _page(request, slug, template="content/page.html", extra=None):
    """An editable page: its stored Markdown, and in `template` what stays
    computed around it (`extra`: forms, settings of the deployment)."""
    page = get_object_or_404(Page.objects.published(), slug=slug)
    context = {"page": page, "body": page_html(page.body), **(extra or {})}
    return render(request, template, context)


def about(request):
    return _page(request, Page.Slug.ABOUT)


def glossary(request):
    return _page(request, Page.Slug.GLOSSARY)


def patients(request):
    """The patients' page; the support lines (phone links) stay in its template."""
    return _page(request, Page.Slug.PATIENTS, "pages/patients.html")


def doctors(request):
    """The doctors' page; the search form for RCPs near a patient stays in its template."""
    return _page(request, Page.Slug.DOCTORS, "pages/doctors.html")


def legal(request):
    """The legal notice; the publication director and the host are set per deployment."""
    return _page(
        request,
        Page.Slug.LEGAL,
        "pages/legal.html",
        {
            "publication_director": settings.PUBLICATION_DIRECTOR,
            "hosting_provider": settings.HOSTING_PROVIDER,
        },
    )


def privacy(request):
    return _page(request, Page.Slug.PRIVACY)


def accessibility(request):
    return _page(request, Page.Slug.ACCESSIBILITY)


def contact(request):
    """Whom to write to or call; the network's e-mail address (a setting of the
    deployment) and the pilot centre's page stay computed in the template."""
    return _page(
        request,
        Page.Slug.CONTACT,
        "pages/contact.html",
        {
            "network_email": getattr(settings, "NETWORK_EMAIL", "contact@pan-together.fr"),
            "pilot": Centre.objects.published().filter(kind=Centre.Kind.PILOT).first(),
        },
    )
