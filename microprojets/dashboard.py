"""The instructors' dashboard on the admin index: applications per status, the oldest waiting for the service, the
budget of the open and recent calls, the next committee session and its agenda.

Each part is one query (two for the session), whatever the number of applications: the page's query count is the
same with 10 or 5,000 of them (tests/microprojets/test_staff_performance.py).
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from . import workflow
from .exports import FUNDED
from .models import AgendaItem, Application, Call, CommitteeSession

OLDEST_WAITING = 5
RECENT_CALL_DAYS = 365  # a call closed less than a year ago is still followed (committee, payments)


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class CallBudget:
    call: Call
    requested: Decimal
    granted: Decimal
    paid: Decimal

    @property
    def envelope(self) -> Decimal:
        return self.call.envelope

    @property
    def remaining(self) -> Decimal:
        """The envelope minus the grants kept (what the committee may still give)."""
        return self.call.envelope - self.granted


def changelist_url(**params) -> str:
    url = reverse("admin:microprojets_application_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def status_counts() -> list[StatusCount]:
    """Every status in the workflow's order, with its number of applications and the list filtered on it."""
    counts = dict(Application.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return [
        StatusCount(
            status.value, status.label, counts.get(status.value, 0), changelist_url(status__exact=status.value)
        )
        for status in workflow.Status
    ]


def oldest_waiting(limit: int = OLDEST_WAITING) -> list[Application]:
    """The applications waiting for the service (workflow.WAITING_FOR_STAFF) the longest, oldest status first."""
    return list(
        Application.objects.filter(status__in=sorted(workflow.WAITING_FOR_STAFF))
        .select_related("call", "assigned_to")
        .order_by("status_changed_at", "pk")[:limit]
    )


def call_budgets(now=None) -> list[CallBudget]:
    """The calls open now or closed less than RECENT_CALL_DAYS ago: envelope against requested, granted (the
    grants kept, as the committee counts them), paid and remaining."""
    now = now or timezone.now()
    calls = (
        Call.objects.filter(opens_at__lte=now, closes_at__gte=now - timedelta(days=RECENT_CALL_DAYS))
        .annotate(
            requested=Sum("applications__amount_requested"),
            granted=Sum("applications__amount_granted", filter=Q(applications__status__in=FUNDED)),
            paid=Sum("applications__amount_paid"),
        )
        .order_by("-opens_at", "pk")
    )
    zero = Decimal(0)
    return [CallBudget(c, c.requested or zero, c.granted or zero, c.paid or zero) for c in calls]


def next_session(today=None):
    """The next committee session whose decisions are not published, with its agenda (`agenda`), or None."""
    session = CommitteeSession.objects.upcoming(today).first()
    if session is not None:
        session.agenda = list(
            AgendaItem.objects.filter(session=session, active=True)
            .select_related("application")
            .order_by("order", "pk")
        )
    return session


def dashboard() -> dict:
    return {
        "status_counts": status_counts(),
        "oldest_waiting": oldest_waiting(),
        "oldest_limit": OLDEST_WAITING,
        "call_budgets": call_budgets(),
        "next_session": next_session(),
    }
