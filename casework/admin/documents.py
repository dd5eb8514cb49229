"""Links to an application's documents in admin.

The documents are read through the portal's download view, which checks who may read them and
audits the read; casework sits below the portal and cannot name its URLs, so the portal registers
how a document's address is built (``document_url_builder_register``, from its ``ready()``).
Without one, documents are listed without links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.html import format_html, format_html_join

_url_builder: Callable[[object], str] | None = None


def document_url_builder_register(builder: Callable[[object], str] | None) -> None:
    """``builder(document)`` gives the address where a clerk reads ``document`` ("" for none)."""
    global _url_builder
    _url_builder = builder


def document_url(document) -> str:
    return _url_builder(document) if _url_builder is not None else ""


def document_links(documents: Iterable, *, label: Callable[[object], str] = str):
    """An HTML list of ``documents``, each linked when its address is known; "—" for none."""
    documents = list(documents)
    if not documents:
        return "—"
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li>{}</li>",
            (
                (
                    format_html('<a href="{}">{}</a>', url, label(document))
                    if (url := document_url(document))
                    else label(document),
                )
                for document in documents
            ),
        ),
    )
