"""PDF files of staff documents (the committee's agenda and minutes), drawn by WeasyPrint from a template.

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0; `make tools` installs them). The document
fetches nothing: its stylesheet is read from the static files and put in the page, and every other URL is
refused, so no data typed by anyone can make the server open a file or a web address.
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

STYLESHEET = "css/committee-print.css"


def render_pdf(body_template: str, context: dict, request=None) -> bytes:
    # Imported here: loading Pango takes time, and only the PDF views need it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    path = finders.find(STYLESHEET)
    with open(path, encoding="utf-8") as css:
        stylesheet = css.read()
    html = render_to_string(
        "microprojets/committee/pdf.html",
        {**context, "body_template": body_template, "stylesheet": stylesheet},
        request=request,
    )
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
