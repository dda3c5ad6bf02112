"""`mailto:` links (RFC 6068), and the « Signaler une erreur » message a reader
sends about a page: nothing is stored by the site, the reader's own mail client
writes to the page's owner."""

import re
from urllib.parse import quote

from django.conf import settings

# What a reader may tick in the message (plain text: a mail client shows no form).
REPORT_REASONS = (
    "numéro erroné",
    "personne partie",
    "séance annulée",
    "essai fermé",
    "autre",
)


def mailto(address: str, *, subject: str = "", body: str = "") -> str:
    """A `mailto:` URL: every reserved character of the address, subject and
    body percent-encoded in UTF-8 (spaces as %20, never "+"), line breaks of the
    body as %0D%0A, as RFC 6068 asks; the subject is one line."""
    url = "mailto:" + quote(address, safe="@")
    fields = []
    if subject:
        fields.append("subject=" + quote(re.sub(r"[\r\n]+", " ", subject), safe=""))
    if body:
        lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        fields.append("body=" + quote("\r\n".join(lines), safe=""))
    return url + ("?" + "&".join(fields) if fields else "")


def report_error_mailto(*, title: str, url: str, to: str = "") -> str:
    """The « Signaler une erreur » link of a page: to `to` (the owner of what the
    page shows), else to the network's address, with the page's title and
    absolute URL and the reasons to tick."""
    body = "\n".join(
        [
            "Bonjour,",
            "",
            f"Page concernée\u00a0: {url}",
            "",
            "Ce qui est erroné (cochez d’un X)\u00a0:",
            *(f"[ ] {reason}" for reason in REPORT_REASONS),
            "",
            "Précisions\u00a0:",
            "",
        ]
    )
    return mailto(
        to.strip() or settings.NETWORK_EMAIL,
        subject=f"Signaler une erreur\u00a0: {title}",
        body=body,
    )
