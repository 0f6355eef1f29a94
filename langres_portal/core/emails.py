"""The outbox: queue e-mails in the caller's transaction, send them from a command.

A queued e-mail stores its template key and its context (JSON). It is written at once when it can be; when the
staff-edited template cannot be rendered, the row waits, with the reason for staff, and is written again at the
next run after the template is saved (or every hour). The request that queued it is never lost.

What applicants typed reaches a mail as plain text only: it is escaped in the HTML part, and every URL or address
it contains is broken up so that mail clients do not make a link of it. Only the site's own URLs, declared by the
app that sends the mail (`EmailSpec.links`), are links.
"""

import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import TextNode
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe

from .models import EmailTemplate, OutboxEmail, SiteIdentity

logger = logging.getLogger(__name__)

# A mail whose template is broken is tried again this often, and at once when its template is saved.
RENDER_RETRY_DELAY = timedelta(hours=1)

# Private-use characters around a site URL while the text is rendered; never left in a mail.
LINK_START, LINK_END = "\ue000", "\ue001"
WORD_JOINER = "\u2060"
# The dot and the "@" of addresses, and the dots IDNA treats as dots.
SEPARATORS = ".@\u3002\uff0e\uff61\uff20"

# Templates are staff-edited text: no file loaders (no include/extends), no tag libraries to load.
ENGINE = Engine(debug=True, loaders=[], libraries={}, autoescape=False)


@dataclass(frozen=True)
class EmailSpec:
    """What the code that sends e-mail `key` gives its template (see hooks: an app's `email_contexts.EMAILS`).

    `sample` returns a context with every variable the real sender passes, with plausible values: staff's edits
    are rendered with it before they are saved. `links` are the paths of the values that are the site's own
    URLs ("tracking_url", "links.url" for the `url` of each item of the list `links`): the only links of the mail.
    """

    sample: Callable[[], dict]
    links: tuple[str, ...] = ()


@cache
def email_specs() -> dict[str, EmailSpec]:
    from .hooks import all_email_specs

    return all_email_specs()


# --- Context, stored as JSON ------------------------------------------------------------------------------------


def dump_context(value, links=(), path=""):
    """A JSON value for the context: dates and decimals tagged, a model instance as a snapshot of its fields."""
    if isinstance(value, dict):
        return {str(k): dump_context(v, links, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [dump_context(v, links, path) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime):
        return {"__type__": "datetime", "value": value.isoformat()}
    if isinstance(value, date):
        return {"__type__": "date", "value": value.isoformat()}
    if isinstance(value, time):
        return {"__type__": "time", "value": value.isoformat()}
    if isinstance(value, Decimal):
        return {"__type__": "decimal", "value": str(value)}
    if isinstance(value, models.Model):
        return {"__type__": "object", "str": str(value), "fields": snapshot(value)}
    if path in links:
        return {"__type__": "link", "value": str(value)}
    return str(value)


def snapshot(instance: models.Model) -> dict:
    """The concrete fields of an instance (a related object by its name), and the labels of its choices."""
    fields = {"pk": instance.pk}
    for f in instance._meta.concrete_fields:
        if f.is_relation:
            related = getattr(instance, f.name)
            fields[f.name] = None if related is None else str(related)
        else:
            fields[f.name] = dump_context(f.value_from_object(instance))
            if f.choices:
                fields[f"get_{f.name}_display"] = str(instance._get_FIELD_display(f))
    return fields


class Snapshot(dict):
    """A model instance as templates see it: its fields by name, and its text when printed whole."""

    def __init__(self, text, fields):
        super().__init__(fields)
        self.text = text

    def __str__(self):
        return self.text


def load_context(value):
    """The stored context, ready for a template: applicants' text neutralised, site URLs marked as links."""
    if isinstance(value, list):
        return [load_context(v) for v in value]
    if isinstance(value, str):
        return neutralise(value)
    if not isinstance(value, dict):
        return value
    kind = value.get("__type__")
    if kind == "datetime":
        return datetime.fromisoformat(value["value"])
    if kind == "date":
        return date.fromisoformat(value["value"])
    if kind == "time":
        return time.fromisoformat(value["value"])
    if kind == "decimal":
        return Decimal(value["value"])
    if kind == "object":
        return Snapshot(neutralise(value["str"]), {k: load_context(v) for k, v in value["fields"].items()})
    if kind == "link":
        url = value["value"]
        is_site_url = re.fullmatch(r"https?://[^\s<>\"'\ue000\ue001]+", url)
        return f"{LINK_START}{url}{LINK_END}" if is_site_url else neutralise(url)
    return {k: load_context(v) for k, v in value.items()}


def neutralise(text: str) -> str:
    """Text typed by someone else, made unlinkable: « https[:]//evil⁠.example », « www[.] », « a⁠@b⁠.fr ».

    The scheme and « www. » are defanged visibly; a word joiner (U+2060, invisible, not allowed in a URL) goes
    before the dots and the « @ » inside words, as mail clients link bare domains and addresses too.
    """
    text = text.replace(LINK_START, "").replace(LINK_END, "")
    text = re.sub(r"(?i)([a-z][a-z0-9+.\-]*):(?=\s*[/\\]{2})", r"\1[:]", text)
    text = re.sub(r"(?i)\b(www)[.\u3002\uff0e\uff61]", r"\1[.]", text)
    return re.sub(rf"(?<=\w)([{SEPARATORS}])(?=\w)", WORD_JOINER + r"\1", text)


# --- Rendering --------------------------------------------------------------------------------------------------


class EmailRenderError(Exception):
    """A template that cannot be rendered: `field` ("subject" or "body") and a French `message` for staff."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class UndefinedVariable(Exception):
    pass


class _Undefined(str):
    """`string_if_invalid` of the strict check: printing a variable the context lacks raises."""

    def __contains__(self, key):
        return key == "%s"

    def __mod__(self, name):
        raise UndefinedVariable(name)


STRICT_ENGINE = Engine(debug=True, loaders=[], libraries={}, autoescape=False, string_if_invalid=_Undefined("?"))


@dataclass
class Rendered:
    subject: str
    body_text: str
    body_html: str = field(repr=False)


FIELD_LABELS = {"subject": "objet", "body": "texte"}


def compile_template(source: str, field_name: str, *, strict=False):
    source = source.replace(LINK_START, "").replace(LINK_END, "")
    try:
        template = (STRICT_ENGINE if strict else ENGINE).from_string(source)
    except TemplateSyntaxError as exc:
        raise EmailRenderError(field_name, explain(exc)) from exc
    for node in template.nodelist.get_nodes_by_type(TextNode):
        found = re.search(r"\{\{|\}\}|\{%|%\}|\{#|#\}", node.s)
        if found:
            line = getattr(getattr(node, "token", None), "lineno", None)
            where = f"Ligne {line} : " if line else ""
            raise EmailRenderError(
                field_name,
                f"{where}« {found.group()} » est seul : une balise s’écrit {{{{ variable }}}} ou {{% balise %}}, "
                "avec ses deux accolades de chaque côté, sur une seule ligne.",
            )
    return template


def render_source(source: str, context: dict, field_name: str, *, strict=False) -> str:
    template = compile_template(source, field_name, strict=strict)
    try:
        return template.render(Context(context, autoescape=False))
    except UndefinedVariable as exc:
        names = ", ".join(f"{{{{ {name} }}}}" for name in sorted(context))
        raise EmailRenderError(
            field_name,
            f"La variable {{{{ {exc} }}}} n’existe pas dans ce courriel : elle resterait vide. "
            f"Variables disponibles : {names}.",
        ) from exc
    except Exception as exc:  # noqa: BLE001 - any error of a staff template is reported, never raised
        raise EmailRenderError(field_name, explain(exc)) from exc


def render_email(subject: str, body: str, stored_context: dict, *, strict=False) -> Rendered:
    """Render a template's subject and body with a stored context; raises EmailRenderError."""
    context = {"site": SiteIdentity.current(), **load_context(stored_context)}
    subject = " ".join(render_source(subject, context, "subject", strict=strict).split())
    text = render_source(body, context, "body", strict=strict).strip() + "\n"
    subject = subject.replace(LINK_START, "").replace(LINK_END, "")
    page = {"subject": subject, "body_html": text_to_html(text), "site": context["site"]}
    body_html = render_to_string("emails/base.html", page)
    return Rendered(subject, text.replace(LINK_START, "").replace(LINK_END, ""), body_html)


def text_to_html(text: str) -> str:
    """The rendered text as HTML: all escaped, the site's links as <a>, the applicants' separators wrapped."""
    escaped = html.escape(text, quote=False)
    escaped = re.sub(f"{LINK_START}([^{LINK_END}]*){LINK_END}", _link, escaped)
    escaped = escaped.replace(LINK_START, "").replace(LINK_END, "")
    # Word joiner and a tag around each dot: Gmail reads through invisible characters, Apple Mail through tags.
    escaped = re.sub(f"{WORD_JOINER}([{SEPARATORS}])", rf"<span>{WORD_JOINER}\1</span>", escaped)
    return mark_safe(linebreaks(escaped, autoescape=False))  # built from escaped text above


def _link(match):
    url = html.unescape(match.group(1))
    return f'<a href="{html.escape(url)}">{html.escape(url, quote=False)}</a>'


def explain(exc: Exception) -> str:
    """Django's template error, in French, with the line when known."""
    message = _explain(exc)
    return message[:1].upper() + message[1:]


def _explain(exc: Exception) -> str:
    message = str(exc)
    debug = getattr(exc, "template_debug", None) or {}
    line = debug.get("line")
    where = f"Ligne {line} : " if line else ""
    during = debug.get("during", "").strip()
    patterns = [
        (
            r"Unclosed tag on line (\d+): '(\w+)'\. Looking for one of: (.*)\.",
            lambda m: (
                f"Ligne {m[1]} : la balise {{% {m[2]} %}} n’est pas fermée ; ajoutez "
                f"{{% {_closing(m[3])} %}} là où elle se termine."
            ),
        ),
        (
            r"Invalid block tag on line (\d+): '([^']*)', expected (.*)\. Did you forget.*",
            lambda m: f"Ligne {m[1]} : la balise {{% {m[2]} %}} n’est pas attendue ici (attendu : {_tags(m[3])}).",
        ),
        (
            r"Invalid block tag on line (\d+): '([^']*)'\. Did you forget.*",
            lambda m: (
                f"Ligne {m[1]} : la balise {{% {m[2]} %}} n’existe pas."
                + (" Elle ferme une balise qui n’a pas été ouverte." if m[2].startswith("end") else "")
            ),
        ),
        (r"Invalid filter: '([^']*)'", lambda m: f"{where}le filtre « {m[1]} » n’existe pas."),
        (r"Empty variable tag on line (\d+)", lambda m: f"Ligne {m[1]} : la balise {{{{ }}}} est vide."),
        (r"Empty block tag on line (\d+)", lambda m: f"Ligne {m[1]} : la balise {{% %}} est vide."),
        (
            r"Could not parse the remainder: '(.*)' from '(.*)'",
            lambda m: (
                f"{where}« {m[2]} » ne peut pas être lu (« {m[1].strip()} » en trop). Une variable s’écrit "
                "{{ nom }} ou {{ nom.attribut }}, un filtre {{ nom|filtre }}."
            ),
        ),
        (
            r"'([^']*)' is not a (?:registered tag library|valid tag library).*",
            lambda m: f"{where}la bibliothèque « {m[1]} » n’est pas disponible dans les courriels.",
        ),
        (
            r"Variables and attributes may not begin with underscores: '(.*)'",
            lambda m: f"{where}un nom de variable ne peut pas commencer par « _ » (« {m[1]} »).",
        ),
    ]
    for pattern, build in patterns:
        found = re.fullmatch(pattern, message, flags=re.DOTALL)
        if found:
            return build(found)
    name = type(exc).__name__
    if name == "TemplateDoesNotExist":
        return f"{where}{{% include %}} et {{% extends %}} ne sont pas disponibles dans les courriels."
    if name == "NoReverseMatch":
        return f"{where}{{% url %}} ne trouve pas cette adresse ; écrivez plutôt une variable de lien."
    near = f" (près de « {during} »)" if during else ""
    return f"{where}le modèle contient une erreur{near} : {message}"


def _closing(tags: str) -> str:
    names = [t.strip() for t in tags.split(",")]
    return next((n for n in names if n.startswith("end")), names[-1])


def _tags(text: str) -> str:
    names = re.findall(r"'([^']*)'", text)
    return ", ".join(f"{{% {n} %}}" for n in names) or text


def check_template(key: str, subject: str, body: str) -> dict[str, str]:
    """Errors by field of a template as staff would save it: it compiles, and renders with sample data."""
    spec = email_specs().get(key)
    errors = {}
    for name, source in (("subject", subject), ("body", body)):
        try:
            compile_template(source, name)
        except EmailRenderError as exc:
            errors[name] = exc.message
    if errors:
        return errors
    stored = dump_context(spec.sample(), spec.links) if spec else {}
    try:
        render_email(subject, body, stored, strict=spec is not None)
    except EmailRenderError as exc:
        errors[exc.field] = exc.message
    return errors


# --- Queue and send ---------------------------------------------------------------------------------------------


def queue_email(*, key: str, to: list[str], context: dict, reply_to: list[str] | None = None) -> OutboxEmail:
    """Store the mail of template `key` in the caller's transaction; written now if its template renders.

    Nothing here raises because of a template: a broken one leaves the mail waiting, with its reason."""
    spec = email_specs().get(key)
    mail = OutboxEmail(
        to=list(to),
        reply_to=list(reply_to or []),
        template_key=key,
        context=dump_context(context, spec.links if spec else ()),
    )
    if not render_into(mail):
        mail.next_attempt_at = timezone.now() + RENDER_RETRY_DELAY
        logger.error("Courriel « %s » non rédigé : %s", key, mail.last_error)
    mail.save()
    return mail


def render_into(mail: OutboxEmail) -> bool:
    """Write the mail from its template and context; on failure keep the context and say why in last_error."""
    template = EmailTemplate.objects.filter(key=mail.template_key).first()
    try:
        if template is None:
            raise EmailRenderError("body", f"Le modèle de courriel « {mail.template_key} » n’existe pas.")
        rendered = render_email(template.subject, template.body, mail.context)
    except EmailRenderError as exc:
        label = FIELD_LABELS.get(exc.field, exc.field)
        mail.last_error = (
            f"Modèle « {mail.template_key} » à corriger ({label}) : {exc.message} "
            "Le courriel partira au prochain passage après l’enregistrement du modèle corrigé."
        )[:2000]
        return False
    mail.subject, mail.body_text, mail.body_html = rendered.subject[:255], rendered.body_text, rendered.body_html
    mail.rendered_at, mail.last_error = timezone.now(), ""
    mail.context = {}  # written: the mail now holds only what it says
    return True


def retry_delay(attempts: int) -> timedelta:
    """Back-off: 1, 2, 4 … minutes, at most 6 hours, so a mail server down for hours loses nothing."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def send_pending_emails(*, limit: int = 100, now=None) -> tuple[int, int]:
    """Send the due e-mails once each, writing first those whose template was broken; returns (sent, failed)."""
    sent = failed = 0
    now = now or timezone.now()
    ids = list(OutboxEmail.objects.due(now).order_by("created_at").values_list("pk", flat=True)[:limit])
    fields = ["attempts", "last_error", "next_attempt_at", "gave_up", "sent_at"]
    for pk in ids:
        with transaction.atomic():
            # skip_locked: two cron runs at once never send the same mail twice (PostgreSQL).
            mail = OutboxEmail.objects.select_for_update(skip_locked=True).filter(pk=pk, sent_at=None).first()
            if mail is None:
                continue
            if mail.rendered_at is None:
                if not render_into(mail):
                    # Not an attempt: a template error is not the mail server's; retried, never given up.
                    failed += 1
                    mail.next_attempt_at = now + RENDER_RETRY_DELAY
                    mail.save(update_fields=["last_error", "next_attempt_at"])
                    logger.warning("Outbox e-mail %s not rendered: %s", mail.pk, mail.last_error)
                    continue
                mail.save(update_fields=["subject", "body_text", "body_html", "rendered_at", "last_error", "context"])
            message = EmailMultiAlternatives(
                subject=mail.subject,
                body=mail.body_text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=mail.to,
                reply_to=mail.reply_to or None,
            )
            if mail.body_html:
                message.attach_alternative(mail.body_html, "text/html")
            mail.attempts += 1
            try:
                message.send()
            except Exception as exc:  # noqa: BLE001 - any transport error means "try again later"
                failed += 1
                mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                mail.next_attempt_at = now + retry_delay(mail.attempts)
                mail.gave_up = mail.attempts >= settings.OUTBOX_MAX_ATTEMPTS
                logger.warning("Outbox e-mail %s not sent (attempt %s): %s", mail.pk, mail.attempts, exc)
            else:
                sent += 1
                mail.sent_at = timezone.now()
                mail.last_error = ""
            mail.save(update_fields=fields)
    return sent, failed
