"""The selection committee: its sessions, members, agenda, votes and proposed decisions.

Residents co-decide the grants, as in the « fonds de participation des habitants »: a session examines the
applications of one or more calls; each present member votes on each application (or declares a conflict of
interest and does not vote); without quorum no decision is recorded; the decisions are published together
afterwards (services.committee.publish), and only then do the applications move.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone


class CommitteeSessionQuerySet(models.QuerySet):
    def upcoming(self, today=None):
        """Sessions still to come (today included) whose decisions are not published: the public pages' dates."""
        today = today or timezone.localdate()
        return (
            self.filter(date__gte=today)
            .exclude(status=CommitteeSession.Status.PUBLISHED)
            .order_by("date", "time", "pk")
        )


class CommitteeSession(models.Model):
    """A meeting of the selection committee (« séance du comité de sélection »)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Prévue"
        HELD = "held", "Tenue (décisions à publier)"
        PUBLISHED = "published", "Décisions publiées"

    date = models.DateField("date")
    time = models.TimeField("heure", null=True, blank=True)
    place = models.CharField("lieu", max_length=200)
    calls = models.ManyToManyField(
        "microprojets.Call",
        related_name="committee_sessions",
        verbose_name="appels examinés",
        help_text="Les dossiers de ces appels peuvent être inscrits à l’ordre du jour.",
    )
    status = models.CharField("état", max_length=10, choices=Status, default=Status.DRAFT, editable=False)
    published_at = models.DateTimeField("décisions publiées le", null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="décisions publiées par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    objects = CommitteeSessionQuerySet.as_manager()

    class Meta:
        verbose_name = "séance du comité de sélection"
        verbose_name_plural = "séances du comité de sélection"
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(status="published") & models.Q(published_at__isnull=False))
                | (~models.Q(status="published") & models.Q(published_at__isnull=True)),
                name="microprojets_committeesession_published_has_date",
                violation_error_message="Une séance publiée a une date de publication, et seulement elle.",
            ),
        ]

    def __str__(self):
        from django.utils.formats import date_format

        return f"Comité du {date_format(self.date, 'j F Y')} – {self.place}"

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class CommitteeMember(models.Model):
    """A member of one session, and whether they were present (only present members vote and count for quorum)."""

    class Role(models.TextChoices):
        HABITANT = "habitant", "Habitant"
        CONSEIL_CITOYEN = "conseil_citoyen", "Membre du conseil citoyen"
        ELU = "elu", "Élu"
        AGENT = "agent", "Agent"
        PARTENAIRE = "partenaire", "Partenaire"

    session = models.ForeignKey(
        CommitteeSession, on_delete=models.CASCADE, related_name="members", verbose_name="séance"
    )
    name = models.CharField("nom et prénom", max_length=150)
    role = models.CharField("qualité", max_length=20, choices=Role)
    present = models.BooleanField("présent", default=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "membre du comité"
        verbose_name_plural = "membres du comité"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "name"],
                name="microprojets_committeemember_unique_name",
                violation_error_message="Ce membre figure déjà dans la séance.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class AgendaItem(models.Model):
    """An application on a session's agenda, with the decision the committee proposes for it.

    `active` stays true until the session's decisions are published: an application is on one agenda at a time;
    a postponed one goes on the next session's agenda as a new item, the old one kept for the minutes.
    """

    class Decision(models.TextChoices):
        ACCEPT = "accept", "Retenir"
        REFUSE = "refuse", "Ne pas retenir"
        POSTPONE = "postpone", "Ajourner au prochain comité"

    session = models.ForeignKey(
        CommitteeSession, on_delete=models.PROTECT, related_name="items", verbose_name="séance"
    )
    application = models.ForeignKey(
        "microprojets.Application", on_delete=models.PROTECT, related_name="agenda_items", verbose_name="dossier"
    )
    order = models.PositiveIntegerField("ordre", default=0)
    active = models.BooleanField("à l’ordre du jour", default=True, editable=False)
    decision = models.CharField("décision proposée", max_length=10, choices=Decision, blank=True)
    amount = models.DecimalField("montant accordé (€)", max_digits=10, decimal_places=2, null=True, blank=True)
    reason = models.TextField("motif", blank=True, validators=[MaxLengthValidator(2000)])
    decided_at = models.DateTimeField("décision enregistrée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décision enregistrée par",
    )
    created_at = models.DateTimeField("inscrit le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "dossier à l’ordre du jour"
        verbose_name_plural = "ordre du jour"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "application"],
                name="microprojets_agendaitem_once_per_session",
                violation_error_message="Ce dossier est déjà à l’ordre du jour de cette séance.",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(active=True),
                name="microprojets_agendaitem_one_agenda_at_a_time",
                violation_error_message="Ce dossier est déjà à l’ordre du jour d’une autre séance.",
            ),
            models.CheckConstraint(
                condition=(models.Q(decision="accept") & models.Q(amount__isnull=False, amount__gt=0))
                | (~models.Q(decision="accept") & models.Q(amount__isnull=True)),
                name="microprojets_agendaitem_accept_has_amount",
                violation_error_message="Un dossier retenu a un montant accordé, supérieur à 0 € ; "
                "un autre n’en a pas.",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="refuse") | ~models.Q(reason=""),
                name="microprojets_agendaitem_refusal_has_reason",
                violation_error_message="Indiquez le motif du refus : il est communiqué au porteur.",
            ),
            models.CheckConstraint(
                condition=(models.Q(decision="") & models.Q(decided_at__isnull=True))
                | (~models.Q(decision="") & models.Q(decided_at__isnull=False)),
                name="microprojets_agendaitem_decision_has_date",
                violation_error_message="Une décision proposée a une date d’enregistrement.",
            ),
        ]

    def __str__(self):
        return f"{self.application.reference} – {self.session}"


class Vote(models.Model):
    """One member's vote on one application: one row per member and item (the database refuses a second one).

    A declared conflict of interest is that row too (choice « conflit »): the member then cannot vote on it, and
    does not count for that application's quorum.
    """

    class Choice(models.TextChoices):
        FOR = "for", "Pour"
        AGAINST = "against", "Contre"
        ABSTAIN = "abstain", "Abstention"
        CONFLICT = "conflict", "Conflit d’intérêts (ne vote pas)"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes", verbose_name="dossier")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="votes", verbose_name="membre")
    choice = models.CharField("vote", max_length=10, choices=Choice)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistré par",
    )
    created_at = models.DateTimeField("enregistré le", default=timezone.now)

    class Meta:
        verbose_name = "vote"
        verbose_name_plural = "votes"
        ordering = ["item", "member__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "member"],
                name="microprojets_vote_one_per_member_and_item",
                violation_error_message="Ce membre a déjà voté sur ce dossier (ou déclaré un conflit d’intérêts).",
            ),
        ]

    def __str__(self):
        return f"{self.member.name} : {self.get_choice_display()}"
