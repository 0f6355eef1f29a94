# Joins the outbox and rate-limit branches of the history.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_outbox_template_context'),
        ('core', '0002_ratelimit_counter'),
    ]

    operations = [
    ]
