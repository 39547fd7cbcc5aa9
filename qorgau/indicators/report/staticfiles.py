"""A static-files finder that serves the plotly.js bundle of the installed plotly package.

The site's CSP forbids CDNs, so plotly.js must come from our own origin. Copying the 4.6 MB bundle
into the repository would let it drift from the Python package that writes the figures; this finder
publishes the package's own ``package_data/plotly.min.js`` as ``indicators/vendor/plotly.min.js``, for
``runserver`` and for ``collectstatic`` alike. Enable it in settings::

    STATICFILES_FINDERS = [
        "django.contrib.staticfiles.finders.FileSystemFinder",
        "django.contrib.staticfiles.finders.AppDirectoriesFinder",
        "indicators.report.staticfiles.PlotlyBundleFinder",
    ]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

from indicators.report.render import PLOTLY_JS, PLOTLY_STATIC_PATH


class PlotlyBundleFinder(BaseFinder):
    """Finds ``indicators/vendor/plotly.min.js`` in the installed plotly package."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prefix, _, self.name = PLOTLY_STATIC_PATH.rpartition("/")
        self.storage = FileSystemStorage(location=str(PLOTLY_JS.parent))
        # collectstatic puts a listed file under storage.prefix, as FileSystemFinder does for STATICFILES_DIRS.
        self.storage.prefix = prefix  # type: ignore[attr-defined]

    def check(self, **kwargs: Any) -> list[Any]:
        """No configuration to check; a missing bundle is an installation error reported by ``find``."""
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:  # str, list[str] or []
        """The bundle's absolute path for ``indicators/vendor/plotly.min.js``; nothing for other paths."""
        if path != PLOTLY_STATIC_PATH or not PLOTLY_JS.is_file():
            return []
        return [str(PLOTLY_JS)] if find_all else str(PLOTLY_JS)

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        """The one file, for ``collectstatic``."""
        if PLOTLY_JS.is_file():
            yield self.name, self.storage
