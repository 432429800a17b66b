"""The rendering machinery every pack shares: templates → one self-contained HTML → PDF → files.

Why each piece is here:
- Autoescape everywhere and StrictUndefined: a product or region name holding markup prints as
  text, and a misspelt variable fails the render instead of printing an empty cell.
- A URL fetcher that only serves `data:` URLs and files under `reports/static/`: WeasyPrint's
  default fetcher reads http(s) and any local file (a `<link rel=attachment href=/etc/passwd>`
  would end up inside the PDF). Anything else stops the render.
- Missing glyphs fail: WeasyPrint only logs a `.notdef` warning and ships boxes; we listen to its
  logger during the render and raise.
- Determinism: fixed document dates in the metadata, a PDF identifier derived from the HTML,
  chart ids fixed by `reports.charts`; the same inputs give byte-identical files.
- Atomic writes: a reader or the mailer never finds a half-written report at the final path.

Not thread-safe across concurrent renders in one process (the logger listener is process-wide);
run packs in separate processes, as Dagster does.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import io
import logging
import os
import re
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import polars as pl
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup
from weasyprint import CSS, HTML, Attachment
from weasyprint import html as weasyprint_html
from weasyprint.css.counters import CounterStyle
from weasyprint.logger import LOGGER as WEASYPRINT_LOGGER
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from reports import formatting
from reports.i18n import check_locale, label

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
ASSETS_DIR = PACKAGE_DIR / "static"
STYLESHEET = ASSETS_DIR / "report.css"
MAX_TEXT = 2000  # characters of one printed value (the longest label is ~650); longer text is cut
WRAP_RUN = 64  # characters a value may run with no place to wrap (a SHA-256 in hex is 64)
WRAP_EVERY = 16  # where a longer run gets a zero-width space, a place to wrap
# a run with no line-break opportunity: no space, and none of the wide (CJK) characters, between
# which a line may always break
_UNBROKEN_RUN = re.compile(r"[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]{%d,}" % (WRAP_RUN + 1))
BODY_FONTS = {
    # Noto Sans CJK carries Latin and Han glyphs, so one face sets both scripts evenly; the
    # `lang` attribute makes it choose Simplified Chinese forms for zh-CN.
    "en": '"Noto Sans CJK SC", "DejaVu Sans", sans-serif',
    "zh-CN": '"Noto Sans CJK SC", "DejaVu Sans", sans-serif',
}


class RenderError(RuntimeError):
    """The pack could not be rendered as it must be; nothing was written."""


class MissingGlyphError(RenderError):
    """A character has no glyph in any available font: the PDF would show boxes."""


class ResourceRefusedError(RenderError):
    """The document referenced something other than a data: URL or a file of the report assets."""


# --- templates ---------------------------------------------------------------------------------

def _locale(context) -> str:
    return check_locale(context["locale"])


@pass_context
def _number(context, value, decimals: int = 0) -> str:
    return formatting.number(value, _locale(context), decimals)


@pass_context
def _percent(context, value, decimals: int | None = None) -> str:
    places = context["percent_decimals"] if decimals is None else decimals
    return formatting.percent(value, _locale(context), places)


@pass_context
def _money(context, value, currency: str | None = None) -> str:
    return formatting.money(value, _locale(context), currency or context["currency"])


@pass_context
def _change_pp(context, value) -> str:
    return formatting.change_pp(value, _locale(context), context["percent_decimals"])


@pass_context
def _change_percent(context, value) -> str:
    return formatting.change_percent(value, _locale(context))


@pass_context
def _t(context, key: str, **values) -> str:
    return label(_locale(context), key, **values)


def check_frame(label: str, frame: pl.DataFrame, columns: Iterable[str], identifying: Iterable[str]) -> None:
    """Refuses a frame that lacks a column a pack reads (naming it, rather than failing deep inside a
    template) or that carries an identifier (a pack prints aggregates only)."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{label} lacks column(s) {', '.join(missing)}")
    carried = sorted(set(identifying) & set(frame.columns))
    if carried:
        raise ValueError(f"{label} carries identifying column(s) {', '.join(carried)}; "
                         "aggregate before handing frames to the reports")


@lru_cache(maxsize=1)
def _font_coverage() -> tuple[list[int], list[int]]:
    """Code point ranges (starts, ends) some installed font draws: what fontconfig can fall back to.
    Empty when fontconfig cannot be asked (then nothing is replaced and a missing glyph still fails)."""
    try:
        listing = subprocess.run(["fc-list", "--format", "%{charset}\n"], capture_output=True, text=True,
                                 check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return [], []
    ranges = sorted({(int(a, 16), int(b or a, 16)) for token in listing.split()
                     for a, _, b in [token.partition("-")]})
    starts, ends = [], []
    for start, end in ranges:
        if starts and start <= ends[-1] + 1:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _drawable(char: str) -> bool:
    if unicodedata.category(char)[0] == "C" and char not in "\n\t":  # controls, format, private, unassigned
        return False
    starts, ends = _font_coverage()
    if not starts:
        return True
    i = bisect.bisect_right(starts, ord(char)) - 1
    return i >= 0 and ord(char) <= ends[i]


def printable(value: object) -> object:
    """Every value a template prints, made safe to draw: text from the data (a channel name, a
    quarantined raw value) may hold control characters, characters no installed font has, or run
    to thousands of characters. Those characters print as [U+XXXX] and the text is cut at
    MAX_TEXT, so a hostile value shows as what it is instead of failing the render. A run of more
    than WRAP_RUN characters with no place to wrap gets a zero-width space every WRAP_EVERY: text
    cells wrap only between words (report.css), and one such token must not widen its table past
    the page. Markup built by the reports themselves (charts) passes untouched; escaping happens
    after this."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    if len(value) > MAX_TEXT:
        value = value[:MAX_TEXT] + "…"
    if not (value.isascii() and value.isprintable()):
        value = "".join(c if _drawable(c) else f"[U+{ord(c):04X}]" for c in value)
    if len(value) <= WRAP_RUN:
        return value
    return _UNBROKEN_RUN.sub(lambda run: "\u200b".join(run[0][i:i + WRAP_EVERY]
                                                        for i in range(0, len(run[0]), WRAP_EVERY)), value)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """One Environment for all packs; locale, currency and decimals come from each render's context."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # every template, whatever its extension (`.html.j2` included)
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=printable,
    )
    env.filters.update(number=_number, percent=_percent, money=_money, change_pp=_change_pp,
                       change_percent=_change_percent)
    env.globals["t"] = _t
    return env


def css_string(text: str) -> str:
    """`text` as a quoted CSS string that cannot close the string, the rule or the <style> element."""
    out = []
    for char in text:
        if char in '"\\<>&' or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):X} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def page_css(locale: str, header_left: str, header_right: str, footer_left: str) -> Markup:
    """The @page rules: A4, running header and footer, `Page n of N` in the locale's words."""
    page_no = (f'{css_string(label(locale, "page.prefix"))} counter(page) '
               f'{css_string(label(locale, "page.middle"))} counter(pages) '
               f'{css_string(label(locale, "page.suffix"))}')
    return Markup(
        "@page { size: A4; margin: 20mm 15mm 18mm 15mm;"
        f" @top-left {{ content: {css_string(header_left)}; }}"
        f" @top-right {{ content: {css_string(header_right)}; }}"
        f" @bottom-left {{ content: {css_string(footer_left)}; }}"
        f" @bottom-right {{ content: {page_no}; }} }}"
        " @page :first { @top-left { content: none; } @top-right { content: none; } }"
        f" html {{ font-family: {BODY_FONTS[locale]}; }}"  # the page margin boxes inherit from html
    )


def stylesheet() -> Markup:
    css = STYLESHEET.read_text(encoding="utf-8")
    if "</" in css:
        raise RenderError(f"{STYLESHEET.name} must not contain '</' (it is inlined in a <style> element)")
    return Markup(css)


def render_html(template: str, context: Mapping[str, object]) -> str:
    """The page as one HTML string; `context` needs locale, currency and percent_decimals."""
    check_locale(str(context["locale"]))
    return environment().get_template(template).render(**context, stylesheet=stylesheet())


# --- PDF -----------------------------------------------------------------------------------------

class AssetsOnlyURLFetcher(URLFetcher):
    """Serves `data:` URLs and files under the assets folder; anything else stops the render."""

    def __init__(self, assets_dir: Path = ASSETS_DIR) -> None:
        super().__init__(timeout=5, allowed_protocols=("data", "file"), allow_redirects=False,
                         fail_on_errors=True)
        self._assets_dir = assets_dir.resolve()

    def _allowed_file(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return False
        path = Path(url2pathname(parts.path)).resolve()
        return path.is_relative_to(self._assets_dir) and path.is_file()

    def fetch(self, url: str, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data" or (scheme == "file" and self._allowed_file(url)):
            return super().fetch(url, headers)
        raise FatalURLFetchingError(
            f"refused to fetch {url!r}: a report may only use data: URLs and files under {self._assets_dir}")


class _ProblemCollector(logging.Handler):
    """Keeps WeasyPrint's `.notdef` warnings and its errors (unreadable resources, bad options)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.missing_glyphs: list[str] = []
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if ".notdef" in message:
            self.missing_glyphs.append(message)
        elif record.levelno >= logging.ERROR:
            self.errors.append(message)


@contextmanager
def _listening_to_weasyprint() -> Iterator[_ProblemCollector]:
    collector = _ProblemCollector()
    previous_level = WEASYPRINT_LOGGER.level
    if WEASYPRINT_LOGGER.getEffectiveLevel() > logging.WARNING:
        WEASYPRINT_LOGGER.setLevel(logging.WARNING)  # or the warnings never reach a handler
    WEASYPRINT_LOGGER.addHandler(collector)
    try:
        yield collector
    finally:
        WEASYPRINT_LOGGER.removeHandler(collector)
        WEASYPRINT_LOGGER.setLevel(previous_level)


@dataclass(frozen=True)
class EmbeddedFile:
    """A file embedded in the PDF (e.g. a table as CSV): its bytes come from the pack, never a URL.

    `date` is written as the file's creation and modification date: fixed by the pack (the month's
    document date), since WeasyPrint would otherwise stamp the wall clock and break byte identity.
    """
    name: str            # file name shown by the PDF reader, e.g. "01_classification.csv"
    content: bytes
    description: str     # shown beside the name in the reader's attachment panel
    date: datetime
    relationship: str = "Data"  # PDF/A-3 AFRelationship: the source data of what the page shows


PDF_VARIANTS = (None, "pdf/a-3b")  # a-2b would silently drop the embedded files (field notes)


def lean_user_agent_css(stock: str) -> str:
    """WeasyPrint's own HTML stylesheet (`stock`) less what no pack uses but every element pays for.

    Its `::marker` rule and its five footnote and note rules select every element, and WeasyPrint
    computes each matched pseudo-element's style: in a management pack's 3,400 elements that was
    19,000 of its 21,000 computed styles, and 13-15 % of the pack's PDF time. Only list items have
    markers (`li::marker` keeps their rule) and no pack floats a footnote or a note, so the PDF is
    the same, byte for byte (tested).
    """
    lean = stock.replace("\n::marker {", "\nli::marker {")
    return re.sub(r"\n::(?:footnote|note)-[a-z-]+ \{[^}]*\}", "", lean)


@lru_cache(maxsize=1)
def _user_agent_stylesheet() -> CSS:
    # its @counter-style rules are in WeasyPrint's own counter styles already, which refuse them twice
    return CSS(string=lean_user_agent_css(weasyprint_html.UA), counter_style=CounterStyle())


class PackHTML(HTML):
    """A pack's HTML for WeasyPrint, laid out with the lean user-agent stylesheet."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_user_agent_stylesheet(), *([weasyprint_html.UA_FORM_STYLESHEET] if forms else [])]


def _weasyprint_attachment(file: EmbeddedFile) -> Attachment:
    return Attachment(file_obj=io.BytesIO(file.content), url_fetcher=AssetsOnlyURLFetcher(), name=file.name,
                      description=file.description, created=file.date, modified=file.date,
                      relationship=file.relationship)


def _hash_attachments(attachments: Sequence[EmbeddedFile]) -> bytes:
    digest = hashlib.sha256()
    for file in attachments:
        for part in (file.name.encode("utf-8"), file.content, file.description.encode("utf-8"),
                     file.date.isoformat().encode("ascii"), file.relationship.encode("ascii")):
            digest.update(len(part).to_bytes(8, "big") + part)
    return digest.digest()


def _unique_associated_files(document, pdf) -> None:
    """WeasyPrint 70 lists each PDF/A-3 attachment twice in the catalog's /AF array (once from the
    name tree, once from the file specification): keep each reference once, in order."""
    if "AF" in pdf.catalog:
        unique = list(dict.fromkeys(pdf.catalog["AF"]))
        pdf.catalog["AF"].clear()
        pdf.catalog["AF"].extend(unique)


def render_pdf(html: str, pdf_variant: str | None = None, attachments: Sequence[EmbeddedFile] = ()) -> bytes:
    """The PDF of `html`; raises MissingGlyphError, ResourceRefusedError or RenderError.

    `pdf_variant` None (the default) writes a plain PDF as before; "pdf/a-3b" an archival PDF/A-3b,
    the variant that keeps `attachments`. A fresh document is laid out on every call: WeasyPrint
    state from one variant must not leak into the next.
    """
    if pdf_variant not in PDF_VARIANTS:
        raise ValueError(f"pdf_variant must be one of {PDF_VARIANTS}, got {pdf_variant!r}")
    names = [file.name for file in attachments]
    if len(set(names)) != len(names):
        raise ValueError(f"attachment names must be unique, got {names}")
    source = hashlib.sha256(html.encode("utf-8"))
    if pdf_variant or attachments:  # the default PDF keeps the identifier it always had
        source.update(f"\0{pdf_variant}\0".encode() + _hash_attachments(attachments))
    identifier = source.hexdigest()[:32].encode("ascii")
    document = PackHTML(string=html, base_url=ASSETS_DIR.as_uri() + "/", url_fetcher=AssetsOnlyURLFetcher())
    options = {"pdf_identifier": identifier}
    if pdf_variant:
        options["pdf_variant"] = pdf_variant
    if attachments:
        options["attachments"] = [_weasyprint_attachment(file) for file in attachments]
        options["finisher"] = _unique_associated_files
    with _listening_to_weasyprint() as problems:
        try:
            pdf = document.write_pdf(**options)
        except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint: turn it into ours
            raise ResourceRefusedError(str(exc)) from exc
    if problems.missing_glyphs:
        shown = "; ".join(sorted(set(problems.missing_glyphs))[:5])
        raise MissingGlyphError(f"{len(problems.missing_glyphs)} missing glyph(s): {shown}")
    if problems.errors:
        raise RenderError("WeasyPrint reported: " + "; ".join(problems.errors[:5]))
    return pdf


# --- files ---------------------------------------------------------------------------------------

def output_paths(output_dir: Path, pack: str, month: date, locale: str) -> dict[str, Path]:
    """`<output_dir>/<YYYY-MM>/<pack>_<YYYY-MM>_<locale>.{html,pdf}`."""
    key = month.strftime("%Y-%m")
    folder = Path(output_dir) / key
    return {suffix: folder / f"{pack}_{key}_{check_locale(locale)}.{suffix}" for suffix in ("html", "pdf")}


def atomic_write(path: Path, content: bytes) -> None:
    """Writes a temp file beside `path`, syncs it, then renames it over `path` (atomic on POSIX)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


# A chart as `reports.charts` writes it: its own markup, so the pattern can be this exact (text in a
# chart is escaped by matplotlib, and text of the page by Jinja: neither can fake one).
_CHART = re.compile(r'<svg role="img" aria-label="(?P<alt>[^"]*)" class="chart" id="(?P<id>[^"]*)" '
                    r'(?P<rest>[^>]*)>(?P<body>.*?)</svg>', re.DOTALL)


def for_print(html: str) -> str:
    """Each inline chart as an SVG image (`<img src="data:image/svg+xml;base64,…">`): the same vector
    drawing, but WeasyPrint no longer resolves the page's CSS for every path and label of every chart,
    about a seventh of a management pack's render."""
    def image(m: re.Match) -> str:
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
               f'{m["rest"]}>{m["body"]}</svg>')
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return f'<img class="chart" id="{m["id"]}" alt="{m["alt"]}" src="data:image/svg+xml;base64,{data}">'
    return _CHART.sub(image, html)


def publish(html: str, output_dir: Path, pack: str, month: date, locale: str, pdf_variant: str | None = None,
            attachments: Sequence[EmbeddedFile] = ()) -> dict[str, Path]:
    """Renders the PDF (see render_pdf for the variant and attachments; charts as images, see
    for_print), then writes both files; a failed render writes nothing."""
    pdf = render_pdf(for_print(html), pdf_variant, attachments)
    paths = output_paths(output_dir, pack, month, locale)
    atomic_write(paths["html"], html.encode("utf-8"))
    atomic_write(paths["pdf"], pdf)
    return paths
