"""Initial content of the microprojets: the eligibility check's answers ([[microprojets_eligibility]])."""

from langres_portal.core.content import create_missing

from .models import EligibilityMessage


def load(data: dict) -> int:
    created = 0
    for item in data.get("microprojets_eligibility", []):
        created += create_missing(EligibilityMessage, {"key": item["key"]}, {"text": item["text"]})
    return created
