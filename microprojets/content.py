"""Initial content of the microprojets: the eligibility check's answers ([[microprojets_eligibility]]) and the
replies staff start their messages from ([[microprojets_reply_templates]])."""

from langres_portal.core.content import create_missing

from .models import EligibilityMessage, ReplyTemplate


def load(data: dict) -> int:
    created = 0
    for item in data.get("microprojets_eligibility", []):
        created += create_missing(EligibilityMessage, {"key": item["key"]}, {"text": item["text"]})
    for item in data.get("microprojets_reply_templates", []):
        created += create_missing(
            ReplyTemplate, {"title": item["title"]}, {"body": item["body"], "order": item.get("order", 0)}
        )
    return created
