"""WSGI entry point (Django's handler with the short path of ``qorgau.handlers``)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
django.setup(set_prefix=False)

from qorgau.handlers import QorgauWSGIHandler  # noqa: E402 (needs the apps loaded)

application = QorgauWSGIHandler()
