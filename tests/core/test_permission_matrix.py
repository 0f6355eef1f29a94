"""The permission matrix (issue 11 item 1, issue 10 item 8): every admin URL, requested (GET) by each persona,
answers what ONE table says — 200, a redirect to the login page, 403, 404 or 405, never « either ».

The URLs are read from the admin site's own patterns (every registered model's pages and custom views, the
site's pages, the staff login pages under the admin's path): a URL missing from EXPECTED fails the test, so a new
admin page must be added to the table, with the answer each persona must get.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from langres_portal.core.models import Page
from langres_portal.core.permissions import ROLE_EDITORS, ROLE_INSTRUCTORS, ROLE_PRE
from langres_portal.urls import staff_login_urls

PERSONAS = ("anonyme", "equipe", "redaction", "instructeur", "pre", "superutilisateur")
L = "→login"  # a redirect to the admin's login page
R = "302"  # any other redirect

# One row per admin URL: the answer for anonyme, equipe (staff with no role), redaction, instructeur, pre,
# superutilisateur (in no group: the PRE's requests stay closed to them).
EXPECTED = {
    # The admin's own pages, and the staff's login pages under the admin's path.
    "index": (L, 200, 200, 200, 200, 200),
    "login": (200, R, R, R, R, R),
    "logout": (R, 405, 405, 405, 405, 405),
    "password_change": (L, 200, 200, 200, 200, 200),
    "password_change_done": (L, 200, 200, 200, 200, 200),
    "autocomplete": (L, 403, 403, 403, 403, 403),
    "jsi18n": (L, 200, 200, 200, 200, 200),
    "view_on_site": (L, R, R, R, R, R),
    # The login journal and the second-factor devices: superusers only; nobody reads a TOTP secret.
    "axes_accessattempt_changelist": (L, 403, 403, 403, 403, 200),
    "axes_accessattempt_add": (L, 403, 403, 403, 403, 403),
    "axes_accessattempt_history": (L, 403, 403, 403, 403, 200),
    "axes_accessattempt_delete": (L, 403, 403, 403, 403, 200),
    "axes_accessattempt_change": (L, 403, 403, 403, 403, 200),
    "axes_accesslog_changelist": (L, 403, 403, 403, 403, 200),
    "axes_accesslog_add": (L, 403, 403, 403, 403, 403),
    "axes_accesslog_history": (L, 403, 403, 403, 403, 200),
    "axes_accesslog_delete": (L, 403, 403, 403, 403, 200),
    "axes_accesslog_change": (L, 403, 403, 403, 403, 200),
    "core_staffauthenticator_changelist": (L, 403, 403, 403, 403, 200),
    "core_staffauthenticator_add": (L, 403, 403, 403, 403, 403),
    "core_staffauthenticator_history": (L, 403, 403, 403, 403, 200),
    "core_staffauthenticator_delete": (L, 403, 403, 403, 403, 200),
    "core_staffauthenticator_change": (L, 403, 403, 403, 403, 200),
    "core_staffrecoverycodes_changelist": (L, 403, 403, 403, 403, 200),
    "core_staffrecoverycodes_add": (L, 403, 403, 403, 403, 403),
    "core_staffrecoverycodes_history": (L, 403, 403, 403, 403, 200),
    "core_staffrecoverycodes_delete": (L, 403, 403, 403, 403, 200),
    "core_staffrecoverycodes_change": (L, 403, 403, 403, 403, 200),
    "axes_accessfailurelog_changelist": (L, 403, 403, 403, 403, 200),
    "axes_accessfailurelog_add": (L, 403, 403, 403, 403, 403),
    "axes_accessfailurelog_history": (L, 403, 403, 403, 403, 200),
    "axes_accessfailurelog_delete": (L, 403, 403, 403, 403, 200),
    "axes_accessfailurelog_change": (L, 403, 403, 403, 403, 200),
    # Public content: « Rédaction » (and superusers). Single rows and e-mail templates are never added or deleted;
    # a required page is not deleted (its delete page sends back to the page with the reason).
    "core_siteidentity_changelist": (L, 403, 200, 403, 403, 200),
    "core_siteidentity_add": (L, 403, 403, 403, 403, 403),
    "core_siteidentity_history": (L, 403, 200, 403, 403, 200),
    "core_siteidentity_delete": (L, 403, 403, 403, 403, 403),
    "core_siteidentity_change": (L, 403, 200, 403, 403, 200),
    "core_page_changelist": (L, 403, 200, 403, 403, 200),
    "core_page_add": (L, 403, 200, 403, 403, 200),
    "core_page_history": (L, 403, 200, 403, 403, 200),
    "core_page_delete": (L, 403, R, 403, 403, R),
    "core_page_change": (L, 403, 200, 403, 403, 200),
    "core_emailtemplate_changelist": (L, 403, 200, 403, 403, 200),
    "core_emailtemplate_add": (L, 403, 403, 403, 403, 403),
    "core_emailtemplate_history": (L, 403, 200, 403, 403, 200),
    "core_emailtemplate_delete": (L, 403, 403, 403, 403, 403),
    "core_emailtemplate_change": (L, 403, 200, 403, 403, 200),
    # The outbox: superusers (or a permission given on purpose; tests/core/test_outbox_privacy.py).
    "core_outboxemail_changelist": (L, 403, 403, 403, 403, 200),
    "core_outboxemail_add": (L, 403, 403, 403, 403, 403),
    "core_outboxemail_history": (L, 403, 403, 403, 403, 200),
    "core_outboxemail_delete": (L, 403, 403, 403, 403, 200),
    "core_outboxemail_change": (L, 403, 403, 403, 403, 200),
    "core_homeblock_changelist": (L, 403, 200, 403, 403, 200),
    "core_homeblock_add": (L, 403, 200, 403, 403, 200),
    "core_homeblock_history": (L, 403, 200, 403, 403, 200),
    "core_homeblock_delete": (L, 403, 200, 403, 403, 200),
    "core_homeblock_change": (L, 403, 200, 403, 403, 200),
    "core_glossaryterm_changelist": (L, 403, 200, 403, 403, 200),
    "core_glossaryterm_add": (L, 403, 200, 403, 403, 200),
    "core_glossaryterm_history": (L, 403, 200, 403, 403, 200),
    "core_glossaryterm_delete": (L, 403, 200, 403, 403, 200),
    "core_glossaryterm_change": (L, 403, 200, 403, 403, 200),
    "core_easyreadpage_changelist": (L, 403, 200, 403, 403, 200),
    "core_easyreadpage_add": (L, 403, 200, 403, 403, 200),
    "core_easyreadpage_history": (L, 403, 200, 403, 403, 200),
    "core_easyreadpage_delete": (L, 403, 200, 403, 403, 200),
    "core_easyreadpage_change": (L, 403, 200, 403, 403, 200),
    # Users and groups: superusers only.
    "auth_user_password_change": (L, 403, 403, 403, 403, 200),
    "auth_user_changelist": (L, 403, 403, 403, 403, 200),
    "auth_user_add": (L, 403, 403, 403, 403, 200),
    "auth_user_history": (L, 403, 403, 403, 403, 200),
    "auth_user_delete": (L, 403, 403, 403, 403, 200),
    "auth_user_change": (L, 403, 403, 403, 403, 200),
    "auth_group_changelist": (L, 403, 403, 403, 403, 200),
    "auth_group_add": (L, 403, 403, 403, 403, 200),
    "auth_group_history": (L, 403, 403, 403, 403, 200),
    "auth_group_delete": (L, 403, 403, 403, 403, 200),
    "auth_group_change": (L, 403, 403, 403, 403, 200),
    # Public content, continued.
    "quartiers_quartier_changelist": (L, 403, 200, 403, 403, 200),
    "quartiers_quartier_add": (L, 403, 200, 403, 403, 200),
    "quartiers_quartier_history": (L, 403, 200, 403, 403, 200),
    "quartiers_quartier_delete": (L, 403, 200, 403, 403, 200),
    "quartiers_quartier_change": (L, 403, 200, 403, 403, 200),
    "quartiers_street_changelist": (L, 403, 200, 403, 403, 200),
    "quartiers_street_add": (L, 403, 200, 403, 403, 200),
    "quartiers_street_history": (L, 403, 200, 403, 403, 200),
    "quartiers_street_delete": (L, 403, 200, 403, 403, 200),
    "quartiers_street_change": (L, 403, 200, 403, 403, 200),
    "quartiers_commune_changelist": (L, 403, 200, 403, 403, 200),
    "quartiers_commune_add": (L, 403, 200, 403, 403, 200),
    "quartiers_commune_history": (L, 403, 200, 403, 403, 200),
    "quartiers_commune_delete": (L, 403, 200, 403, 403, 200),
    "quartiers_commune_change": (L, 403, 200, 403, 403, 200),
    "contrat_ville_contract_changelist": (L, 403, 200, 403, 403, 200),
    "contrat_ville_contract_add": (L, 403, 200, 403, 403, 200),
    "contrat_ville_contract_history": (L, 403, 200, 403, 403, 200),
    "contrat_ville_contract_delete": (L, 403, 200, 403, 403, 200),
    "contrat_ville_contract_change": (L, 403, 200, 403, 403, 200),
    "contrat_ville_partner_changelist": (L, 403, 200, 403, 403, 200),
    "contrat_ville_partner_add": (L, 403, 200, 403, 403, 200),
    "contrat_ville_partner_history": (L, 403, 200, 403, 403, 200),
    "contrat_ville_partner_delete": (L, 403, 200, 403, 403, 200),
    "contrat_ville_partner_change": (L, 403, 200, 403, 403, 200),
    "contrat_ville_pillar_changelist": (L, 403, 200, 403, 403, 200),
    "contrat_ville_pillar_add": (L, 403, 200, 403, 403, 200),
    "contrat_ville_pillar_history": (L, 403, 200, 403, 403, 200),
    "contrat_ville_pillar_delete": (L, 403, 200, 403, 403, 200),
    "contrat_ville_pillar_change": (L, 403, 200, 403, 403, 200),
    "contrat_ville_theme_changelist": (L, 403, 200, 403, 403, 200),
    "contrat_ville_theme_add": (L, 403, 200, 403, 403, 200),
    "contrat_ville_theme_history": (L, 403, 200, 403, 403, 200),
    "contrat_ville_theme_delete": (L, 403, 200, 403, 403, 200),
    "contrat_ville_theme_change": (L, 403, 200, 403, 403, 200),
    "contrat_ville_conseilcitoyen_changelist": (L, 403, 200, 403, 403, 200),
    "contrat_ville_conseilcitoyen_add": (L, 403, 200, 403, 403, 200),
    "contrat_ville_conseilcitoyen_history": (L, 403, 200, 403, 403, 200),
    "contrat_ville_conseilcitoyen_delete": (L, 403, 200, 403, 403, 200),
    "contrat_ville_conseilcitoyen_change": (L, 403, 200, 403, 403, 200),
    "contrat_ville_video_changelist": (L, 403, 200, 403, 403, 200),
    "contrat_ville_video_add": (L, 403, 200, 403, 403, 200),
    "contrat_ville_video_history": (L, 403, 200, 403, 403, 200),
    "contrat_ville_video_delete": (L, 403, 200, 403, 403, 200),
    "contrat_ville_video_change": (L, 403, 200, 403, 403, 200),
    "contrat_ville_project_changelist": (L, 403, 200, 403, 403, 200),
    "contrat_ville_project_add": (L, 403, 200, 403, 403, 200),
    "contrat_ville_project_history": (L, 403, 200, 403, 403, 200),
    "contrat_ville_project_delete": (L, 403, 200, 403, 403, 200),
    "contrat_ville_project_change": (L, 403, 200, 403, 403, 200),
    "pre_section_changelist": (L, 403, 200, 403, 403, 200),
    "pre_section_add": (L, 403, 200, 403, 403, 200),
    "pre_section_history": (L, 403, 200, 403, 403, 200),
    "pre_section_delete": (L, 403, 200, 403, 403, 200),
    "pre_section_change": (L, 403, 200, 403, 403, 200),
    "pre_faqentry_changelist": (L, 403, 200, 403, 403, 200),
    "pre_faqentry_add": (L, 403, 200, 403, 403, 200),
    "pre_faqentry_history": (L, 403, 200, 403, 403, 200),
    "pre_faqentry_delete": (L, 403, 200, 403, 403, 200),
    "pre_faqentry_change": (L, 403, 200, 403, 403, 200),
    "pre_teammember_changelist": (L, 403, 200, 403, 403, 200),
    "pre_teammember_add": (L, 403, 200, 403, 403, 200),
    "pre_teammember_history": (L, 403, 200, 403, 403, 200),
    "pre_teammember_delete": (L, 403, 200, 403, 403, 200),
    "pre_teammember_change": (L, 403, 200, 403, 403, 200),
    "pre_presettings_changelist": (L, 403, 200, 403, 403, 200),
    "pre_presettings_add": (L, 403, 403, 403, 403, 403),
    "pre_presettings_history": (L, 403, 200, 403, 403, 200),
    "pre_presettings_delete": (L, 403, 403, 403, 403, 403),
    "pre_presettings_change": (L, 403, 200, 403, 403, 200),
    # The PRE's requests: « Coordination PRE » only, superusers included in the refusal.
    "pre_contactrequest_changelist": (L, 403, 403, 403, 200, 403),
    "pre_contactrequest_add": (L, 403, 403, 403, 403, 403),
    "pre_contactrequest_history": (L, 403, 403, 403, 200, 403),
    "pre_contactrequest_delete": (L, 403, 403, 403, 200, 403),
    "pre_contactrequest_change": (L, 403, 403, 403, 200, 403),
    # Microprojets: calls are content (« Rédaction »), the instructors see them; the rest is the instructors'.
    "microprojets_reminder_changelist": (L, 403, 403, 200, 403, 200),
    "microprojets_reminder_add": (L, 403, 403, 403, 403, 403),
    "microprojets_reminder_history": (L, 403, 403, 200, 403, 200),
    "microprojets_reminder_delete": (L, 403, 403, 403, 403, 403),
    "microprojets_reminder_change": (L, 403, 403, 200, 403, 200),
    "microprojets_call_message": (L, 403, 403, 200, 403, 200),
    "microprojets_call_changelist": (L, 403, 200, 200, 403, 200),
    "microprojets_call_add": (L, 403, 200, 403, 403, 200),
    "microprojets_call_history": (L, 403, 200, 200, 403, 200),
    "microprojets_call_delete": (L, 403, 200, 403, 403, 200),
    "microprojets_call_change": (L, 403, 200, 200, 403, 200),
    "microprojets_attachment_download": (L, 403, 403, 200, 403, 200),
    "microprojets_application_move": (
        L,
        403,
        403,
        405,
        403,
        405,
    ),  # POST only: 405 to those who may post, 403 to the others
    "microprojets_application_assign": (
        L,
        403,
        403,
        405,
        403,
        405,
    ),  # POST only: 405 to those who may post, 403 to the others
    "microprojets_application_message": (
        L,
        403,
        403,
        405,
        403,
        405,
    ),  # POST only: 405 to those who may post, 403 to the others
    "microprojets_application_note": (
        L,
        403,
        403,
        405,
        403,
        405,
    ),  # POST only: 405 to those who may post, 403 to the others
    "microprojets_application_summary": (L, 403, 403, 200, 403, 200),
    "microprojets_application_followup": (L, 403, 403, 200, 403, 200),
    "microprojets_application_changelist": (L, 403, 403, 200, 403, 200),
    "microprojets_application_add": (L, 403, 403, 403, 403, 403),
    "microprojets_application_history": (L, 403, 403, 200, 403, 200),
    "microprojets_application_delete": (L, 403, 403, 403, 403, 403),
    "microprojets_application_change": (L, 403, 403, 200, 403, 200),
    "microprojets_eligibilitymessage_changelist": (L, 403, 200, 403, 403, 200),
    "microprojets_eligibilitymessage_add": (L, 403, 403, 403, 403, 403),
    "microprojets_eligibilitymessage_history": (L, 403, 200, 403, 403, 200),
    "microprojets_eligibilitymessage_delete": (L, 403, 403, 403, 403, 403),
    "microprojets_eligibilitymessage_change": (L, 403, 200, 403, 403, 200),
    "microprojets_replytemplate_changelist": (L, 403, 403, 200, 403, 200),
    "microprojets_replytemplate_add": (L, 403, 403, 200, 403, 200),
    "microprojets_replytemplate_history": (L, 403, 403, 200, 403, 200),
    "microprojets_replytemplate_delete": (L, 403, 403, 200, 403, 200),
    "microprojets_replytemplate_change": (L, 403, 403, 200, 403, 200),
    "microprojets_committeesession_session": (L, 403, 403, 200, 403, 200),
    "microprojets_committeesession_publish": (L, 403, 403, 200, 403, 200),
    "microprojets_committeesession_agenda": (L, 403, 403, 200, 403, 200),
    "microprojets_committeesession_agenda_pdf": (L, 403, 403, 200, 403, 200),
    "microprojets_committeesession_minutes": (L, 403, 403, 200, 403, 200),
    "microprojets_committeesession_minutes_pdf": (L, 403, 403, 200, 403, 200),
    "microprojets_committeesession_changelist": (L, 403, 403, 200, 403, 200),
    "microprojets_committeesession_add": (L, 403, 403, 200, 403, 200),
    "microprojets_committeesession_history": (L, 403, 403, 200, 403, 200),
    "microprojets_committeesession_delete": (L, 403, 403, 200, 403, 200),
    "microprojets_committeesession_change": (L, 403, 403, 200, 403, 200),
    # Each app's index: 404 when the user may see none of its models.
    "app_list:auth": (L, 404, 404, 404, 404, 200),
    "app_list:axes": (L, 404, 404, 404, 404, 200),
    "app_list:contrat_ville": (L, 404, 200, 404, 404, 200),
    "app_list:core": (L, 404, 200, 404, 404, 200),
    "app_list:microprojets": (L, 404, 200, 200, 404, 200),
    "app_list:pre": (L, 404, 200, 404, 200, 200),
    "app_list:quartiers": (L, 404, 200, 404, 404, 200),
    # The staff login pages (second factor, password reset).
    "staff_2fa_verify": (L, R, R, R, R, R),
    "staff_2fa_enrol": (L, 200, 200, 200, 200, 200),
    "staff_2fa_recovery_codes": (L, 200, 200, 200, 200, 200),
    "admin_password_reset": (200, 200, 200, 200, 200, 200),
    "password_reset_done": (200, 200, 200, 200, 200, 200),
    # The content's versions (core.history_admin): read with the view or change right, restored with the change
    # right only (instructors read a call's versions, and restore nothing but their reply templates).
    "core_siteidentity_simple_history": (L, 403, 200, 403, 403, 200),
    "core_siteidentity_history_restore": (L, 403, 200, 403, 403, 200),
    "core_page_simple_history": (L, 403, 200, 403, 403, 200),
    "core_page_history_restore": (L, 403, 200, 403, 403, 200),
    "core_emailtemplate_simple_history": (L, 403, 200, 403, 403, 200),
    "core_emailtemplate_history_restore": (L, 403, 200, 403, 403, 200),
    "core_homeblock_simple_history": (L, 403, 200, 403, 403, 200),
    "core_homeblock_history_restore": (L, 403, 200, 403, 403, 200),
    "core_glossaryterm_simple_history": (L, 403, 200, 403, 403, 200),
    "core_glossaryterm_history_restore": (L, 403, 200, 403, 403, 200),
    "core_easyreadpage_simple_history": (L, 403, 200, 403, 403, 200),
    "core_easyreadpage_history_restore": (L, 403, 200, 403, 403, 200),
    "quartiers_quartier_simple_history": (L, 403, 200, 403, 403, 200),
    "quartiers_quartier_history_restore": (L, 403, 200, 403, 403, 200),
    "quartiers_street_simple_history": (L, 403, 200, 403, 403, 200),
    "quartiers_street_history_restore": (L, 403, 200, 403, 403, 200),
    "quartiers_commune_simple_history": (L, 403, 200, 403, 403, 200),
    "quartiers_commune_history_restore": (L, 403, 200, 403, 403, 200),
    "contrat_ville_contract_simple_history": (L, 403, 200, 403, 403, 200),
    "contrat_ville_contract_history_restore": (L, 403, 200, 403, 403, 200),
    "contrat_ville_partner_simple_history": (L, 403, 200, 403, 403, 200),
    "contrat_ville_partner_history_restore": (L, 403, 200, 403, 403, 200),
    "contrat_ville_pillar_simple_history": (L, 403, 200, 403, 403, 200),
    "contrat_ville_pillar_history_restore": (L, 403, 200, 403, 403, 200),
    "contrat_ville_theme_simple_history": (L, 403, 200, 403, 403, 200),
    "contrat_ville_theme_history_restore": (L, 403, 200, 403, 403, 200),
    "contrat_ville_conseilcitoyen_simple_history": (L, 403, 200, 403, 403, 200),
    "contrat_ville_conseilcitoyen_history_restore": (L, 403, 200, 403, 403, 200),
    "contrat_ville_video_simple_history": (L, 403, 200, 403, 403, 200),
    "contrat_ville_video_history_restore": (L, 403, 200, 403, 403, 200),
    "contrat_ville_project_simple_history": (L, 403, 200, 403, 403, 200),
    "contrat_ville_project_history_restore": (L, 403, 200, 403, 403, 200),
    "pre_section_simple_history": (L, 403, 200, 403, 403, 200),
    "pre_section_history_restore": (L, 403, 200, 403, 403, 200),
    "pre_faqentry_simple_history": (L, 403, 200, 403, 403, 200),
    "pre_faqentry_history_restore": (L, 403, 200, 403, 403, 200),
    "pre_teammember_simple_history": (L, 403, 200, 403, 403, 200),
    "pre_teammember_history_restore": (L, 403, 200, 403, 403, 200),
    "pre_presettings_simple_history": (L, 403, 200, 403, 403, 200),
    "pre_presettings_history_restore": (L, 403, 200, 403, 403, 200),
    "microprojets_call_simple_history": (L, 403, 200, 200, 403, 200),
    "microprojets_call_history_restore": (L, 403, 200, 403, 403, 200),
    "microprojets_eligibilitymessage_simple_history": (L, 403, 200, 403, 403, 200),
    "microprojets_eligibilitymessage_history_restore": (L, 403, 200, 403, 403, 200),
    "microprojets_replytemplate_simple_history": (L, 403, 403, 200, 403, 200),
    "microprojets_replytemplate_history_restore": (L, 403, 403, 200, 403, 200),
    "password_reset_confirm": (200, 200, 200, 200, 200, 200),
    # The instructors' exports (the filtered list, a call's budget): personal data, instructors and superusers.
    "microprojets_application_export": (L, 403, 403, 200, 403, 200),
    "microprojets_call_budget_export": (L, 403, 403, 200, 403, 200),
    "password_reset_complete": (200, 200, 200, 200, 200, 200),
}


def admin_url_specs():
    """[(key, url name, kwargs' names, model or None)] for every named admin URL, and the staff login pages."""
    by_prefix = {f"{m._meta.app_label}/{m._meta.model_name}/": m for m in admin.site._registry}
    specs = []
    for entry in admin.site.get_urls():
        if isinstance(entry, URLResolver):
            model = by_prefix[str(entry.pattern)]
            for leaf in entry.url_patterns:
                if leaf.name:  # the unnamed ones redirect « <id>/ » to « <id>/change/ »
                    specs.append((leaf.name, leaf.name, list(leaf.pattern.converters), model))
        elif entry.name == "app_list":
            labels = {m._meta.app_label for m in admin.site._registry}
            specs += [(f"app_list:{label}", "app_list", ["app_label"], label) for label in sorted(labels)]
        elif entry.name:
            specs.append((entry.name, entry.name, list(entry.pattern.converters), None))
    for entry in staff_login_urls:
        assert isinstance(entry, URLPattern)
        specs.append((entry.name, entry.name, list(entry.pattern.converters), None))
    return specs


def url_for(name, kwarg_names, model, objects):
    if name == "app_list":
        return reverse("admin:app_list", kwargs={"app_label": model})
    if name == "view_on_site":
        page = objects[Page]
        return reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Page).pk, page.pk])
    if name == "password_reset_confirm":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "lien-perime"})
    if name in {s.name for s in staff_login_urls}:
        return reverse(name)
    if name.endswith(("_simple_history", "_history_restore")):  # a version of the object (core.history_admin)
        obj = objects[model]
        return reverse(f"admin:{name}", args=[obj.pk, obj.history.latest().history_id])
    if name == "microprojets_application_export":
        return reverse(f"admin:{name}", kwargs={"fmt": "csv"})
    if name == "microprojets_call_budget_export":
        return reverse(f"admin:{name}", kwargs={"pk": objects[model].pk, "fmt": "xlsx"})
    if name == "microprojets_attachment_download":
        return reverse(f"admin:{name}", args=[objects["attachment"].pk])
    if name == "auth_user_password_change" or model is User:
        return reverse(f"admin:{name}", args=[objects["other_user"].pk] if kwarg_names else [])
    args = [objects[model].pk] if kwarg_names else []
    return reverse(f"admin:{name}", args=args)


@pytest.fixture
def world(content, django_user_model):
    from tests.core.test_admin import a_row_of
    from tests.microprojets.factories import ApplicationFactory, CommitteeMemberFactory, CommitteeSessionFactory
    from tests.microprojets.test_admin import make_attachment

    people = {"anonyme": None}
    password = "motdepasse-solide-123"
    for persona, role in [("equipe", None), ("redaction", ROLE_EDITORS), ("instructeur", ROLE_INSTRUCTORS),
                          ("pre", ROLE_PRE)]:  # fmt: skip
        user = django_user_model.objects.create_user(persona, f"{persona}@example.org", password, is_staff=True)
        if role:
            user.groups.add(Group.objects.get(name=role))
        people[persona] = user
    people["superutilisateur"] = django_user_model.objects.create_superuser("chef", "chef@example.org", password)

    # Second-factor devices and the user pages are tried on an account of their own, not on a persona's.
    owner = django_user_model.objects.create_user("autre", "autre@example.org", password, is_staff=True)
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=owner, name="téléphone")
    StaticDevice.objects.create(user=owner, name="secours")
    application = ApplicationFactory()
    session = CommitteeSessionFactory(calls=[application.call])
    CommitteeMemberFactory(session=session)
    objects = {
        "attachment": make_attachment(application),
        "other_user": owner,
        Page: Page.objects.exclude(slug="").first(),
    }
    for model in admin.site._registry:
        objects[model] = a_row_of(model)
        assert objects[model] is not None, model
    objects[type(application)] = application
    objects[type(session)] = session
    return people, objects


def outcome(client, url):
    try:
        response = client.get(url)
    except BaseException as error:  # noqa: BLE001 - pytest-django's invalid template variable is a BaseException
        raise AssertionError(f"GET {url}: {error!r}"[:300]) from error
    if response.streaming:
        b"".join(response.streaming_content)  # through the test client's wrapper, which keeps the database open
    if response.status_code == 302:
        return L if response["Location"].startswith(reverse("admin:login")) else R
    return response.status_code


def clients(people):
    result = {}
    for persona, user in people.items():
        result[persona] = Client()
        if user is not None:
            result[persona].force_login(user)
    return result


def test_every_admin_url_answers_each_persona_as_the_table_says(world):
    people, objects = world
    specs = admin_url_specs()
    keys = [key for key, *_ in specs]
    assert len(keys) == len(set(keys))
    actual = {}
    by_persona = clients(people)
    for key, name, kwarg_names, model in specs:
        url = url_for(name, kwarg_names, model, objects)
        actual[key] = tuple(outcome(by_persona[persona], url) for persona in PERSONAS)
    lines = [f"    {key!r}: {row!r}," for key, row in actual.items() if EXPECTED.get(key) != row]
    unknown = sorted(set(EXPECTED) - set(actual))
    assert not lines and not unknown, "\n".join(
        ["Answers that differ from the table (actual rows):", *lines, f"Rows of URLs that no longer exist: {unknown}"]
    )


def test_editors_get_403_on_an_application_a_pre_request_a_user_and_a_group_by_url(world):
    people, objects = world
    from django.contrib.auth.models import Group as GroupModel

    from microprojets.models import Application
    from pre.models import ContactRequest

    client = clients({"redaction": people["redaction"]})["redaction"]
    for name, obj in [
        ("microprojets_application_change", objects[Application]),
        ("pre_contactrequest_change", objects[ContactRequest]),
        ("auth_user_change", objects["other_user"]),
        ("auth_group_change", GroupModel.objects.get(name=ROLE_EDITORS)),
    ]:
        response = client.get(reverse(f"admin:{name}", args=[obj.pk]))
        assert response.status_code == 403, name


INSTRUCTION_URLS = (
    "microprojets_application_",
    "microprojets_attachment_",
    "microprojets_committeesession_",
    "microprojets_replytemplate_",
    "microprojets_reminder_",
    "microprojets_call_message",
)


def test_staff_outside_the_instructors_get_403_on_every_application_file_pdf_and_committee_url(world):
    """Issue 10 item 8: every application, file, PDF, committee (and reminder, reply template, call message) URL
    answers 403 to staff who are not instructors, whatever the method the URL expects."""
    people, objects = world
    specs = [spec for spec in admin_url_specs() if spec[0].startswith(INSTRUCTION_URLS)]
    assert len(specs) >= 30
    others = clients({persona: people[persona] for persona in ("equipe", "redaction", "pre")})
    wrong = [
        (key, persona, code)
        for key, name, kwarg_names, model in specs
        for persona, client in others.items()
        if (code := outcome(client, url_for(name, kwarg_names, model, objects))) != 403
    ]
    assert not wrong
