"""WSGI entry point (gunicorn langres_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "langres_portal.settings")

application = get_wsgi_application()
