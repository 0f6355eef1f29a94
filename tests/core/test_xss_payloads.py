"""XSS payloads saved into a project's rich texts (description, outcome) and plain texts (title, summary), through
the admin and through the model layer, reach the public page, the admin list and the Atom feed inert.

Inert, read by an HTML parser (an XML parser for the feed): the page has exactly the script, style, frame, form
and media elements it has with harmless text; no on* attribute; no javascript:, vbscript: or data: URL in a link,
a form action or a frame; the payload's marker is in no script, style or attribute; the feed's texts are type
"text"."""

import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from contrat_ville.models import Project
from langres_portal.core.fields import sanitize_html
from tests.contrat_ville.factories import ProjectFactory
from tests.contrat_ville.test_admin import project_data

pytestmark = pytest.mark.usefixtures("content")
MARKER = "XSS"
PAYLOADS = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=//xss.example/XSS.js></SCRIPT>",
    "<img src=x onerror=alert('XSS')>",
    "<svg onload=alert('XSS')>",
    "<svg><script>alert('XSS')</script></svg>",
    "<body onload=alert('XSS')>",
    "<a href=\"javascript:alert('XSS')\">XSS</a>",
    "<a href=\"JaVaScRiPt:alert('XSS')\">XSS</a>",
    "<a href=\"jav&#x09;ascript:alert('XSS')\">XSS</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('XSS')\">XSS</a>",
    "<a href=\"  javascript:alert('XSS')\">XSS</a>",
    "<a href=\"java\nscript:alert('XSS')\">XSS</a>",
    "<a href=\"vbscript:msgbox('XSS')\">XSS</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4=">XSS</a>',
    "<a href=\"DATA:text/html,<script>alert('XSS')</script>\">XSS</a>",
    "<iframe src=\"javascript:alert('XSS')\"></iframe>",
    "<iframe srcdoc=\"<script>alert('XSS')</script>\"></iframe>",
    "<object data=\"javascript:alert('XSS')\"></object>",
    "<embed src=\"data:image/svg+xml,<svg onload=alert('XSS')>\">",
    "<style>body{background:url(\"javascript:alert('XSS')\")}</style>",
    '<link rel="stylesheet" href="javascript:alert(\'XSS\')">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'XSS\')">',
    "<form action=\"javascript:alert('XSS')\"><button>XSS</button></form>",
    "<button formaction=\"javascript:alert('XSS')\">XSS</button>",
    '<p onclick="alert(\'XSS\')" style="color:red">XSS</p>',
    "<input autofocus onfocus=alert('XSS')>",
    "<details open ontoggle=alert('XSS')>XSS</details>",
    "<video><source onerror=\"alert('XSS')\"></video>",
    "<base href=\"javascript:alert('XSS')//\">",
    '<svg><a xlink:href="javascript:alert(\'XSS\')"><text x="20" y="20">XSS</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('XSS')>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('XSS')>\"></noscript>",
    "<<script>alert('XSS');//<</script>",
    "<scr<script>ipt>alert('XSS')</scr</script>ipt>",
    '<img """><script>alert(\'XSS\')</script>">',
    "\"><script>alert('XSS')</script>",
    "'\"--></style></script><script>alert('XSS')</script>",
    "<p>XSS<b><i>mal <u>fermé</p></i><script>alert('XSS')",
    # Pasted from Word: conditional comments, mso styles, Office namespaces.
    "<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings></xml><![endif]-->"
    "<p class=MsoNormal style='mso-bidi-font-weight:normal'><b><span style='font-family:\"Calibri\";"
    "mso-fareast-language:FR'>XSS Word</span></b><o:p></o:p></p>"
    "<!--[if !supportLists]--><script>alert('XSS')</script><!--[endif]-->",
]
WATCHED_TAGS = {
    "script", "style", "link", "meta", "base", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "input", "button", "textarea", "select", "img", "svg", "math", "video", "audio", "source", "details",
    "noscript", "template",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "xlink:href", "action", "formaction", "data"}
FRAME_TAGS = {"iframe", "frame", "object", "embed", "script"}
UNSAFE_URL = re.compile(r"^(javascript|vbscript|data):")


class Inspector(HTMLParser):
    """What an HTML page holds that could run: watched elements (counted), and the problems found."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.problems, self.raw_text_of = Counter(), [], None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in WATCHED_TAGS:
            self.tags[tag] += 1
        if tag in ("script", "style"):
            self.raw_text_of = tag
        for name, value in attrs:
            value = value or ""
            url = re.sub(r"[\x00-\x20]", "", value).lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if (name in URL_ATTRIBUTES or (name == "src" and tag in FRAME_TAGS)) and UNSAFE_URL.match(url):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in ("srcdoc", "style") and MARKER in value or (tag, name) == ("meta", "http-equiv"):
                # (In a text attribute, a meta description or a title, the payload is words; in a URL that is
                # not javascript:, vbscript: or data:, the search link of the admin, it is a query.)
                self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == self.raw_text_of:
            self.raw_text_of = None

    def handle_data(self, data):
        if self.raw_text_of and MARKER in data:
            self.problems.append(f"<{self.raw_text_of}> runs the payload: {data[:80]!r}")


def pages(client, admin_client, project):
    return {
        "page publique": client.get(project.get_absolute_url()),
        "liste de l’administration": admin_client.get(reverse("admin:contrat_ville_project_changelist")),
        "recherche de l’administration": admin_client.get(
            reverse("admin:contrat_ville_project_changelist"), {"q": project.title[:30]}
        ),
    }


def assert_feed_is_inert(client, payload):
    response = client.get(reverse("contrat_ville:feed"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # well-formed XML, whatever the payload
    for element in root.iter():
        kind = element.get("type")
        if kind in ("html", "xhtml"):
            inspector = Inspector(element.text or "")
            assert inspector.problems == [] and not inspector.tags, (payload, element.tag)
        else:
            assert kind in (None, "text"), element.tag
    summaries = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}summary")]
    assert payload[:400].strip() in [s.strip() for s in summaries]  # sent as text, word for word


def save_through_the_model(project, payload):
    project.title, project.summary = payload[:200], payload[:400]
    project.description = project.outcome = payload
    project.save()


def save_through_the_admin(admin_client, project, payload):
    data = project_data(
        title=payload[:200],
        summary=payload[:400],
        description=payload,
        outcome=payload,
        slug=project.slug,
        **{"photos-TOTAL_FORMS": "0"},
    )
    response = admin_client.post(reverse("admin:contrat_ville_project_change", args=[project.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors


@pytest.mark.parametrize("through", ["model", "admin"])
@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_inert_on_the_public_page_the_admin_list_and_the_feed(client, admin_client, payload, through):
    project = ProjectFactory(title="Atelier vélo", summary="Un atelier.", description="<p>Texte.</p>")
    baseline = {name: Inspector(r.content.decode()) for name, r in pages(client, admin_client, project).items()}

    if through == "model":
        save_through_the_model(project, payload)
    else:
        save_through_the_admin(admin_client, project, payload)
    project = Project.objects.get(pk=project.pk)
    for stored in (project.description, project.outcome):
        assert sanitize_html(stored) == stored  # stored already clean: sanitising again changes nothing

    for name, response in pages(client, admin_client, project).items():
        assert response.status_code == 200, name
        inspector = Inspector(response.content.decode())
        assert inspector.problems == [], (name, payload)
        assert inspector.tags == baseline[name].tags, (name, payload)  # no element the payload brought
    assert_feed_is_inert(client, payload)


def test_there_are_at_least_thirty_payloads():
    assert len(set(PAYLOADS)) >= 30


@pytest.mark.parametrize(
    "html",
    [
        "<p onclick=x()>a</p>",
        '<a href="jav&#x09;ascript:x()">a</a>',
        '<a href=" DATA:text/html,x">a</a>',
        "<iframe srcdoc='&lt;script&gt;XSS'></iframe>",
        "<script>alert('XSS')</script>",
        '<meta http-equiv="refresh" content="0;url=/">',
    ],
)
def test_the_inspector_sees_markup_that_would_run(html):
    assert Inspector(html).problems
