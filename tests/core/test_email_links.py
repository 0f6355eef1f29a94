"""Defect 6: nothing an applicant typed becomes a link or markup in an e-mail; only the site's own URLs are links."""

import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.utils.html import urlize
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from langres_portal.core.emails import WORD_JOINER, neutralise, send_pending_emails, text_to_html
from langres_portal.core.models import OutboxEmail, SiteIdentity
from tests.core.outbox_flows import send_complement, submit_application
from tests.ratelimits import reset_rate_limits

pytestmark = pytest.mark.usefixtures("content")

SITE = "http://testserver/"
# Pieces phishing text is made of: schemes, « www. », addresses, markup, markdown links, lookalike dots.
PIECES = [
    "https://", "http://", "HTTPS://", "javascript:", "mailto:", "ftp://", "//", "http:\\\\", "www.", "WWW.",
    "@", ".", "。", "．", "<a href=\"", "\">", "</a>", "<b>", "<img src=x onerror=alert(1)>", "[clic](", ")",
    "evil", "example", "com", "fr", "/login", "?next=", "&amp;", "&", " ", "\n", "Camille", "é", "1",
]  # fmt: skip
hostile = st.lists(st.sampled_from(PIECES), min_size=1, max_size=25).map("".join)
ALLOWED_TAGS = {"html", "head", "meta", "title", "body", "p", "br", "hr", "a", "span"}


class MailHTML(HTMLParser):
    """The tags, the hrefs and the text outside links of an HTML part."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.hrefs, self.texts, self.spans, self._in_a, self._span = set(), [], [], [], False, None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))
            self._in_a = True
        if tag == "span":
            self._span = ""

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_a = False
        if tag == "span":
            self.spans.append(self._span)
            self._span = None

    def handle_data(self, data):
        if self._span is not None:
            self._span += data
        elif not self._in_a:
            self.texts.append(data)


def assert_no_user_link(body_html, body_text, site_urls):
    parsed = MailHTML()
    parsed.feed(body_html)
    assert parsed.tags <= ALLOWED_TAGS, parsed.tags - ALLOWED_TAGS
    assert set(parsed.hrefs) <= set(site_urls), set(parsed.hrefs) - set(site_urls)
    # The spans hold only a word joiner and the separator they break.
    assert all(re.fullmatch(f"{WORD_JOINER}[.@\u3002\uff0e\uff61\uff20]", s) for s in parsed.spans), parsed.spans
    for text in parsed.texts:
        # Django's linkifier stands for the mail clients' ones: it finds nothing to link in the text.
        assert "<a" not in urlize(text, autoescape=True), text
    # The text part: no URL scheme, no « www. », no address but the site's own links.
    rest = body_text
    for url in sorted(site_urls, key=len, reverse=True):
        rest = rest.replace(url, "")
    assert not re.search(r"(?i)[a-z0-9][a-z0-9+.\-]*:\s*[/\\]{2}", rest), rest
    assert not re.search(r"(?i)\bwww\.", rest), rest
    assert not re.search(r"\w[.@]\w{2}", rest), rest


@given(text=st.text(max_size=300) | hostile)
@settings(max_examples=200, deadline=None)
def test_neutralised_text_has_no_link_in_either_part(text):
    neutral = neutralise(text)
    body_html = text_to_html(neutral)
    assert_no_user_link(body_html, neutral, site_urls=[])


def test_the_issue_example_is_neither_a_link_nor_a_scheme():
    neutral = neutralise("https://evil.example/login")
    assert neutral == f"https[:]//evil{WORD_JOINER}.example/login"
    assert "<a" not in text_to_html(neutral) and "://" not in neutral


def site_urls_of(application):
    site = SiteIdentity.current()
    return [
        SITE.rstrip("/") + application.get_tracking_url(),
        SITE + f"admin/microprojets/application/{application.pk}/change/",
        site.phone_uri,
    ]


@given(first_name=hostile, organisation=hostile, title=hostile)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_what_an_applicant_types_is_never_a_link_in_the_emails(client, admin_client, first_name, organisation, title):
    reset_rate_limits()  # the draft limit per client, for every example
    data = {"first_name": first_name[:100], "organisation_name": organisation[:200], "title": title[:150]}
    try:
        application = submit_application(client, admin_client, **data)
    except AssertionError:  # refused by a rule of the form: nothing is mailed
        assert not OutboxEmail.objects.filter(sent_at=None).exists()
        return
    mail.outbox.clear()
    assert send_pending_emails() == (2, 0)
    for message in mail.outbox:
        html_part = message.alternatives[0].content
        assert_no_user_link(html_part, message.body + message.subject, site_urls_of(application))
    # The site's own links are still links.
    tracking_url = site_urls_of(application)[0]
    assert f'<a href="{tracking_url}">{tracking_url}</a>' in mail.outbox[0].alternatives[0].content


@given(message=hostile)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_complement_message_is_never_a_link_in_the_staff_email(client, admin_client, message):
    event = send_complement(client, admin_client, message=message)
    if event is None:  # refused by the form: nothing is mailed
        assert not OutboxEmail.objects.filter(sent_at=None).exists()
        return
    mail.outbox.clear()
    assert send_pending_emails() == (1, 0)
    sent = mail.outbox[0]
    assert_no_user_link(sent.alternatives[0].content, sent.body + sent.subject, site_urls_of(event.application))


def test_the_first_name_of_the_issue_is_shown_but_not_linked(client, admin_client):
    submit_application(client, admin_client, first_name="https://evil.example/login")
    send_pending_emails()
    html_part = mail.outbox[0].alternatives[0].content
    assert "evil" in html_part and 'href="https://evil' not in html_part
    assert "https[:]//evil" in mail.outbox[0].body
