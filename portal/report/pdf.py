"""Render a :class:`~portal.profile.types.Profile` as a PDF credit report with ReportLab.

The renderer only lays out the plain values the profile builder produced, so the PDF always shows
the same record as the HTML page. Chinese text uses the vendored WenQuanYi Micro Hei font
(``fonts/``), embedded as a TrueType subset: the report never depends on fonts of the machine that
made it or of the one that opens it.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from portal.formatting import format_date, format_datetime
from portal.profile.types import Cell, Profile, Section

FONT_NAME = "WenQuanYiMicroHei"
FONT_PATH = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
# Reports are dated and timed in China Standard Time whatever the server's zone.
REPORT_TIME_ZONE = ZoneInfo("Asia/Shanghai")

PAGE_SIZE = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 24 * mm

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#5f6368")
RULE = colors.HexColor("#b0b4ba")
SHADE = colors.HexColor("#eef1f4")
ACCENT = colors.HexColor("#8a1c1c")


@functools.cache
def register_font() -> str:
    """Register the vendored CJK font once per process and return its name."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH), subfontIndex=0))
    # One weight only: <b> and <i> in markup map to the same face instead of failing.
    pdfmetrics.registerFontFamily(
        FONT_NAME, normal=FONT_NAME, bold=FONT_NAME, italic=FONT_NAME, boldItalic=FONT_NAME
    )
    return FONT_NAME


@dataclass(frozen=True)
class ReportMeta:
    """What the report says about itself, besides the profile."""

    number: str
    created_at: dt.datetime
    verify_url: str
    language: str


def local_time(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("A credit report's time must be timezone-aware.")
    return moment.astimezone(REPORT_TIME_ZONE)


def format_made_at(moment: dt.datetime) -> str:
    """``26 Nov 2026, 20:15:03 Asia/Shanghai (UTC+08:00)`` (``2026年11月26日 20:15:03 …``): the
    language's one date form, to the second, with the zone written out."""
    local = local_time(moment)
    offset = local.strftime("%z")
    day_and_time = format_datetime(local, seconds=True, zone=REPORT_TIME_ZONE)
    return f"{day_and_time} Asia/Shanghai (UTC{offset[:3]}:{offset[3:]})"


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    base = ParagraphStyle(
        "base",
        fontName=font,
        fontSize=9,
        leading=12.5,
        textColor=INK,
        alignment=TA_LEFT,
        # Latin text breaks at spaces, and a word too long for its column (a URL) is split.
        splitLongWords=1,
    )
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=26, textColor=ACCENT),
        "name": ParagraphStyle("name", parent=base, fontSize=15, leading=20, spaceBefore=4, spaceAfter=8),
        "heading": ParagraphStyle(
            "heading", parent=base, fontSize=12.5, leading=17, spaceBefore=12, spaceAfter=2, textColor=ACCENT
        ),
        "source": ParagraphStyle(
            "source", parent=base, fontSize=8, leading=11, textColor=MUTED, spaceAfter=4
        ),
        "note": ParagraphStyle("note", parent=base, fontSize=8.5, leading=11.5, spaceAfter=4),
        "empty": ParagraphStyle("empty", parent=base, textColor=MUTED, spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11.5),
        "label": ParagraphStyle("label", parent=base, fontSize=8.5, leading=11.5, textColor=MUTED),
        # A header word is never split: its column is made wide enough for it.
        "th": ParagraphStyle("th", parent=base, fontSize=8.5, leading=11.5, splitLongWords=0),
        "intro": ParagraphStyle(
            "intro", parent=base, fontSize=8.5, leading=12, textColor=MUTED, spaceBefore=6
        ),
    }


def _markup(text: str) -> str:
    """Plain text to Paragraph markup: escaped, line breaks kept."""
    return "<br/>".join(escape(line) for line in str(text).splitlines()) if text else ""


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in {"W", "F"}


def _display_width(text: str) -> float:
    """Width in Latin-letter units: a Chinese character is about two letters wide."""
    return sum(2 if _wide(char) else 1 for char in text)


@functools.cache
def _cjk_variant(style: ParagraphStyle) -> ParagraphStyle:
    # Chinese has no spaces: a line may break between any two characters.
    return ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")


def _para(markup: str, style: ParagraphStyle, plain: str | None = None) -> Paragraph:
    """A paragraph that wraps as its language needs (``plain`` is the text without markup)."""
    return Paragraph(
        markup, _cjk_variant(style) if _CJK.search(plain if plain is not None else markup) else style
    )


def _cell_markup(cell: Cell) -> str:
    if cell.withheld:
        # Marked, not blank: the reader sees the company chose not to publish this value.
        label = cell.text or _("Withheld by the enterprise")
        text = f'<font color="#5f6368">[{_markup(label)}]</font>'
    else:
        text = _markup(cell.text) or "—"
    if cell.note:
        text += f'<br/><font size="7" color="#5f6368">{_markup(cell.note)}</font>'
    return text


CELL_PADDING = 4  # points left and right of every cell (``_grid_style``)


def _header_minimum(label: str, style: ParagraphStyle) -> float:
    """The narrowest a column can be with its header words whole: its longest word (or, in
    Chinese, which breaks between any two characters, its widest character) plus the padding."""
    label = str(label)
    pieces = list(label) if _CJK.search(label) else label.split()
    widest = max((stringWidth(piece, style.fontName, style.fontSize) for piece in pieces), default=0.0)
    return widest + 2 * CELL_PADDING + 1


def _column_widths(section: Section, total: float, header: ParagraphStyle) -> list[float]:
    """Every column wide enough for its header's longest word, so "Registration" never breaks
    inside the word; the rest of the width shared by how much text each column holds."""
    minimums = [_header_minimum(label, header) for _key, label in section.columns]
    weights = []
    for key, _label in section.columns:
        lengths = [_display_width(row.get(key, Cell()).text) for row in section.rows[:200]]
        typical = max(sum(lengths) / len(lengths), max(lengths) * 0.5) if lengths else 0
        weights.append(min(max(typical, 5.0), 60.0))
    spare = total - sum(minimums)
    if spare <= 0:
        # More columns than the page holds at this size: the header style shrinks to fit instead.
        return [minimum * total / sum(minimums) for minimum in minimums]
    # Columns holding long text get the spare width first, up to their share of the whole.
    shares = [total * weight / sum(weights) for weight in weights]
    needs = [max(share - minimum, 0.0) for share, minimum in zip(shares, minimums, strict=True)]
    if sum(needs) == 0:
        needs = weights
    return [minimum + spare * need / sum(needs) for minimum, need in zip(minimums, needs, strict=True)]


def _header_style(section: Section, total: float, style: ParagraphStyle) -> ParagraphStyle:
    """The header style, smaller when the headers' longest words could not all fit whole."""
    needed = sum(_header_minimum(label, style) for _key, label in section.columns)
    if needed <= total:
        return style
    return _smaller(style, round(style.fontSize * total / needed * 0.98, 1))


@functools.cache
def _smaller(style: ParagraphStyle, size: float) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-{size}", parent=style, fontSize=size, leading=size * 1.35)


def _grid_style(*, header: bool) -> TableStyle:
    commands = [
        # Cells hold paragraphs, but a table still selects its cell font (Helvetica unless told)
        # on every page it draws on, which would put an unembedded standard font in the file.
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    else:
        commands.append(("BACKGROUND", (0, 0), (0, -1), SHADE))
    return TableStyle(commands)


def _fields_table(pairs: list[tuple[str, str]], styles, width: float) -> Table:
    data = [[_para(_markup(label), styles["label"]), _para(value, styles["cell"])] for label, value in pairs]
    table = Table(data, colWidths=[width * 0.28, width * 0.72], splitByRow=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(_grid_style(header=False))
    return table


def _section_flowables(section: Section, styles, width: float) -> list:
    heading = _para(_markup(section.title), styles["heading"])
    meta = []
    if section.source:
        meta.append(_("Source: %(source)s") % {"source": section.source})
    if section.as_of:
        meta.append(_("Latest record: %(date)s") % {"date": format_date(section.as_of)})
    # A heading never ends a page alone: start a new page when little room is left.
    lead = [CondPageBreak(30 * mm), heading]
    if meta:
        lead.append(_para(_markup(" · ".join(meta)), styles["source"]))
    if section.note:
        lead.append(_para(_markup(section.note), styles["note"]))

    if section.is_empty:
        body = _para(_markup(section.empty_text or _("No records.")), styles["empty"])
        return [*lead, body]
    if section.kind == "fields":
        body = _fields_table(
            [(field.label, _cell_markup(field.value)) for field in section.fields], styles, width
        )
    else:
        header_style = _header_style(section, width, styles["th"])
        header = [_para(_markup(label), header_style) for _key, label in section.columns]
        rows = [
            [_para(_cell_markup(row.get(key, Cell())), styles["cell"]) for key, _label in section.columns]
            for row in section.rows
        ]
        body = Table(
            [header, *rows],
            colWidths=_column_widths(section, width, header_style),
            repeatRows=1,
            splitByRow=1,
            splitInRow=1,
            hAlign="LEFT",
        )
        body.setStyle(_grid_style(header=True))
    return [*lead, body]


def _numbered_canvas(page_label: str):
    """A canvas that learns the page count before writing "page X of Y" on every page."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._page_states: list[dict] = []

        def showPage(self):
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._page_states)
            for state in self._page_states:
                self.__dict__.update(state)
                self.setFont(FONT_NAME, 8)
                self.setFillColor(MUTED)
                self.drawRightString(
                    PAGE_SIZE[0] - MARGIN_X,
                    MARGIN_BOTTOM - 9 * mm,
                    page_label % {"page": self._pageNumber, "pages": total},
                )
                super().showPage()
            super().save()

    return NumberedCanvas


def render_profile_pdf(profile: Profile, meta: ReportMeta) -> bytes:
    """The PDF bytes of ``profile`` as a credit report, in ``meta.language``."""
    with translation.override(meta.language):
        return _render(profile, meta)


def _render(profile: Profile, meta: ReportMeta) -> bytes:
    styles = _styles()
    width = PAGE_SIZE[0] - 2 * MARGIN_X
    title = _("Enterprise credit report")
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{title} {meta.number}",
        author=_("Public credit information"),
        subject=f"{profile.name} ({profile.uscc})",
        creator=_("Public credit information"),
        lang="zh-CN" if meta.language.startswith("zh") else "en",
        # No standard (unembedded) font in the file: every page starts with the embedded one.
        initialFontName=FONT_NAME,
    )

    running_head = f"{title} · {meta.number}"
    verify_text = _(
        "Verify this report at %(url)s: upload this file there, or compare its SHA-256 checksum with the "
        "one shown on that page."
    ) % {"url": meta.verify_url}
    footer_left = f"{profile.name} · {profile.uscc}"

    def decorate(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT_NAME, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN_X, PAGE_SIZE[1] - MARGIN_TOP + 8 * mm, running_head)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, MARGIN_BOTTOM - 5 * mm, PAGE_SIZE[0] - MARGIN_X, MARGIN_BOTTOM - 5 * mm)
        canvas.drawString(MARGIN_X, MARGIN_BOTTOM - 9 * mm, footer_left[:90])
        y = MARGIN_BOTTOM - 13 * mm
        for line in simpleSplit(verify_text, FONT_NAME, 7.5, width)[:2]:
            canvas.setFont(FONT_NAME, 7.5)
            canvas.drawString(MARGIN_X, y, line)
            y -= 3.5 * mm
        canvas.restoreState()

    summary = [
        (_("Unified social credit code"), _markup(profile.uscc)),
        (_("Registration status"), _markup(profile.status) or "—"),
        (_("Report number"), _markup(meta.number)),
        (_("Made at"), _markup(format_made_at(meta.created_at))),
        (_("Record as of"), _markup(format_date(profile.on))),
    ]
    if profile.badges:
        summary.append(
            (_("Listings and notices"), _markup("; ".join(badge.text for badge in profile.badges)))
        )

    story: list = [
        _para(_markup(title), styles["title"]),
        _para(_markup(profile.name), styles["name"]),
        _fields_table(summary, styles, width),
        _para(
            _markup(
                _(
                    "This report reproduces the public record of the enterprise as published on this portal "
                    "on the date above. It contains public information only. Values the enterprise chose "
                    "not to publish are marked as withheld."
                )
            ),
            styles["intro"],
        ),
        Spacer(0, 4 * mm),
    ]
    for section in profile.sections:
        story.extend(_section_flowables(section, styles, width))

    document.build(
        story,
        onFirstPage=decorate,
        onLaterPages=decorate,
        canvasmaker=_numbered_canvas(_("Page %(page)s of %(pages)s")),
    )
    return buffer.getvalue()
