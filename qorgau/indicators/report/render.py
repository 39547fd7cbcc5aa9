"""Figures out of Python: into a web page under the site's CSP, and into PNG, SVG and PDF through Chromium.

Web: :func:`to_html_div` writes the figure as a JSON data block (``<script type="application/json">``,
which no browser executes, so ``script-src 'self'`` holds) beside an empty ``div``; the static files
``indicators/vendor/plotly.min.js`` (see :mod:`indicators.report.staticfiles`) and ``indicators/plots.js``
draw it. Nothing is fetched from a CDN.

Files: one headless Chromium (Debian's ``/usr/bin/chromium``, or ``QORGAU_CHROMIUM``) driven through
Playwright, the same pair the browser tests use, renders figures with plotly.js's own ``toImage`` and
prints the report's HTML to PDF. Why not kaleido: kaleido 1.x also drives a Chromium, through its own
protocol client; it would add kaleido, choreographer and their dependencies for the same browser, and
it loads plotly.js and the geo base map from the CDN unless told otherwise. Why not matplotlib: the
pictures would be drawn twice, by two libraries, and could disagree with the web page.

The rendering page is offline: every request other than the page's own two scripts is aborted.
"""

from __future__ import annotations

import base64
import html
import json
import os
import urllib.parse
import uuid
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import plotly
import plotly.graph_objects as go

CHROMIUM = "/usr/bin/chromium"
PLOTS_JS = Path(__file__).resolve().parent.parent / "static" / "indicators" / "plots.js"
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
PLOTLY_CSS = PLOTS_JS.parent / "plotly.css"
# Static paths under STATIC_URL, for the templates that embed figures.
PLOTLY_STATIC_PATH = "indicators/vendor/plotly.min.js"
PLOTS_STATIC_PATH = "indicators/plots.js"
PLOTLY_CSS_STATIC_PATH = "indicators/plotly.css"

_ORIGIN = "http://render.qorgau.invalid"  # never resolved: Playwright answers these requests itself
_FILES = {"/plotly.min.js": PLOTLY_JS, "/plots.js": PLOTS_JS}
_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'>"
    "<script src='/plotly.min.js'></script><script src='/plots.js'></script></head><body></body></html>"
)
_LAUNCH_ARGS = [
    # Chromium's sandbox needs user namespaces that containers (and root) do not have; the page renders
    # only our own figures and HTML, with the network cut off below.
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

ImageFormat = Literal["png", "svg"]


class RenderError(RuntimeError):
    """Chromium could not be started or could not render (the message says which and why)."""


def chromium_path() -> str:
    """The Chromium binary to use: ``QORGAU_CHROMIUM`` or Debian's ``/usr/bin/chromium``."""
    return os.environ.get("QORGAU_CHROMIUM", CHROMIUM)


def _escape_json(text: str) -> str:
    # Inside <script> a "</script>" or "<!--" in a label would end or alter the data block; \u escapes
    # are the same JSON to JSON.parse.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def to_html_div(figure: go.Figure, *, element_id: str | None = None, filename: str = "figure") -> str:
    """HTML embedding ``figure`` without inline script: a ``div`` and a JSON data block.

    The page must load ``PLOTLY_STATIC_PATH`` and ``PLOTS_STATIC_PATH`` (static files). The figure's
    fixed width is dropped so it follows the page's width; its height stays.
    """
    element_id = element_id or f"plot-{uuid.uuid4().hex[:12]}"
    responsive = go.Figure(figure)
    responsive.update_layout(width=None, autosize=True)
    data_id = f"{element_id}-data"
    return (
        f'<div class="qorgau-plot" id="{html.escape(element_id)}" data-figure="{html.escape(data_id)}" '
        f'data-filename="{html.escape(filename)}"></div>\n'
        f'<script type="application/json" id="{html.escape(data_id)}">{_escape_json(responsive.to_json())}</script>'
    )


class Chromium:
    """A headless Chromium with plotly.js loaded, for many figures and PDFs in one go.

    Use as a context manager; starting the browser is most of the cost (about a second), after which a
    figure takes a few hundred milliseconds.
    """

    def __init__(self, executable: str | None = None) -> None:
        self.executable = executable or chromium_path()
        self._playwright: Any = None
        self._browser: Any = None
        self._page: Any = None

    def __enter__(self) -> Chromium:
        if not Path(self.executable).exists():
            raise RenderError(f"no Chromium at {self.executable}: install Debian's chromium or set QORGAU_CHROMIUM")
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=self.executable, headless=True, args=_LAUNCH_ARGS
            )
            self._page = self._browser.new_page()
            self._page.route("**/*", self._serve)
            self._page.goto(f"{_ORIGIN}/")
            self._page.wait_for_function("() => window.Plotly !== undefined && window.qorgauPlots !== undefined")
        except PlaywrightError as exc:
            self.__exit__(None, None, None)
            raise RenderError(f"Chromium could not start the rendering page: {exc}") from exc
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None

    @staticmethod
    def _serve(route: Any) -> None:
        url = urllib.parse.urlsplit(route.request.url)
        if f"{url.scheme}://{url.netloc}" != _ORIGIN:
            route.abort()
            return
        if url.path == "/":
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=_PAGE)
        elif url.path in _FILES:
            route.fulfill(status=200, content_type="text/javascript", body=_FILES[url.path].read_bytes())
        else:
            route.abort()

    def image(self, figure: go.Figure, image_format: ImageFormat = "png", *, scale: float = 2.0) -> bytes:
        """``figure`` as PNG (at ``scale`` times its layout size) or SVG bytes."""
        if self._page is None:
            raise RenderError("Chromium is not started: use it as a context manager")
        layout = figure.layout
        width, height = layout.width or 1000, layout.height or 560
        url: str = self._page.evaluate(
            """async ([spec, options]) => {
                const figure = JSON.parse(spec);
                return await Plotly.toImage({data: figure.data, layout: figure.layout}, options);
            }""",
            # An SVG is drawn at the layout size (its viewBox); scale only multiplies PNG pixels.
            [
                figure.to_json(),
                {
                    "format": image_format,
                    "width": width,
                    "height": height,
                    "scale": scale if image_format == "png" else 1,
                },
            ],
        )
        header, _, body = url.partition(",")
        if header.endswith(";base64"):
            return base64.b64decode(body)
        return urllib.parse.unquote(body).encode("utf-8")

    def plotly_css(self) -> str:
        """The style rules plotly.js would inject into a page, as a style sheet.

        Under ``style-src 'self'`` plotly.js may not add its ``<style>`` element; it skips that when
        the page already has an element ``#plotly.js-style-global.no-inline-styles``. The site links
        this sheet under that id instead (``indicators/plotly.css``, written by :func:`write_plotly_css`).
        """
        if self._page is None:
            raise RenderError("Chromium is not started: use it as a context manager")
        rules: list[str] = self._page.evaluate(
            """async () => {
                const div = document.createElement("div");
                document.body.appendChild(div);
                await Plotly.newPlot(div, [{type: "bar", x: [1], y: [1]}], {});
                const sheet = document.getElementById("plotly.js-style-global").sheet;
                // plotly.js inserts each rule at index 0: reversed, they come in its own order.
                const rules = Array.from(sheet.cssRules, (rule) => rule.cssText).reverse();
                Plotly.purge(div);
                div.remove();
                return rules;
            }"""
        )
        return "\n".join(rules) + "\n"

    def pdf(self, page_html: str, *, footer_html: str | None = None) -> bytes:
        """Print ``page_html`` (self-contained: images as data: URIs) to an A4 PDF.

        The page runs without JavaScript and without network: the report is text, tables and images.
        ``footer_html`` is Chromium's footer template (``<span class="pageNumber">`` and the like).
        """
        if self._browser is None:
            raise RenderError("Chromium is not started: use it as a context manager")
        context = self._browser.new_context(java_script_enabled=False)
        try:
            page = context.new_page()
            page.route("**/*", lambda route: route.abort())
            page.set_content(page_html, wait_until="load")
            pdf: bytes = page.pdf(
                format="A4",
                print_background=True,
                display_header_footer=footer_html is not None,
                header_template="<span></span>",
                footer_template=footer_html or "<span></span>",
                prefer_css_page_size=True,
            )
        finally:
            context.close()
        return pdf


def write_plotly_css(path: Path = PLOTLY_CSS) -> str:
    """Write plotly.js's style rules to ``indicators/plotly.css`` (run again after upgrading plotly)."""
    with Chromium() as chromium:
        css = f"/* Generated by indicators.report.render.write_plotly_css() from plotly.js {plotly_js_version()}. */\n"
        css += chromium.plotly_css()
    path.write_text(css, encoding="utf-8")
    return css


def plotly_js_version() -> str:
    """The version of the plotly.js bundled with the installed plotly (from the bundle's banner)."""
    with PLOTLY_JS.open(encoding="utf-8") as fh:
        head = fh.read(200)
    marker = "plotly.js v"
    return head[head.index(marker) + len(marker) :].split()[0] if marker in head else "unknown"


def page_head_html(static_url: str = "/static/") -> str:
    """The tags a page needs to draw embedded figures under the CSP: plotly's sheet and the two scripts."""
    return (
        f'<link id="plotly.js-style-global" class="no-inline-styles" rel="stylesheet" '
        f'href="{static_url}{PLOTLY_CSS_STATIC_PATH}">\n'
        f'<script src="{static_url}{PLOTLY_STATIC_PATH}"></script>\n'
        f'<script src="{static_url}{PLOTS_STATIC_PATH}"></script>'
    )


def to_png(figure: go.Figure, *, scale: float = 2.0) -> bytes:
    """``figure`` as PNG bytes (starts and stops a Chromium; use :class:`Chromium` for many figures)."""
    with Chromium() as chromium:
        return chromium.image(figure, "png", scale=scale)


def to_svg(figure: go.Figure) -> bytes:
    """``figure`` as SVG bytes (UTF-8)."""
    with Chromium() as chromium:
        return chromium.image(figure, "svg")


def figure_json(figure: go.Figure) -> dict[str, Any]:
    """The figure as plotly's JSON object (what the web page receives), for tests and the API."""
    parsed: dict[str, Any] = json.loads(figure.to_json())
    return parsed
