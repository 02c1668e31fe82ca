"""Palettes: fields and check/radio indicators that stay visible on a dark palette.

Qt's Fusion style (Paylight's style on Linux, and the screenshots') draws a line edit, a spin
box, a check box and a radio button as a ``Base``-coloured fill inside an outline that is the
``Window`` colour darkened by 40 %. On a light palette that outline is a clear grey line; on a
dark one it is nearly black, so when ``Base`` is dark too (as in many dark themes) an unfocused
field, an unchecked box and an unchecked radio button all but vanish into the window.
:func:`legible` moves ``Base`` away from ``Window`` until the fill itself stands out;
:func:`dark_palette` is Paylight's own dark palette (the screenshots' dark run), legible as it is.
Nothing here runs while painting: it is a palette, so Qt draws it all on the C++ side.

Text must also be readable: :func:`text_colour` gives the app's own colours (success, warning,
error...) at a contrast of at least :data:`MIN_CONTRAST` (WCAG AA) against the palette's window
and field colours, and :func:`legible` does the same for the secondary grey (``PlaceholderText``).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

#: The least lightness difference (0-255) between Base and Window on a dark palette.
MIN_BASE_CONTRAST = 20
#: WCAG 2's AA contrast for normal text (large bold text needs 3:1).
MIN_CONTRAST = 4.5
#: The app's text colours as designed, on a light palette and on a dark one; :func:`text_colour`
#: moves them further from the background when a palette needs it.
TEXT_COLOURS: dict[str, tuple[str, str]] = {
    "success": ("#1b7a3a", "#6fd08c"),  # confirmed, paid, proof checked
    "warning": ("#8a5700", "#f2b233"),  # unverified, risks, "not final yet"
    "error": ("#b3261e", "#ff8a80"),
    "pending": ("#4a4aa8", "#b0b2f5"),  # in the mempool
    "info": ("#1f5bc4", "#8ab4ff"),
    "muted": ("#5f6368", "#aeb1b7"),  # replaced, frozen, idle, closed
}
_ROLE = QPalette.ColorRole
_GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled)


def is_dark(palette: QPalette) -> bool:
    return palette.color(_ROLE.Window).lightness() < 128


def _shifted(colour: QColor, levels: int) -> QColor:
    """``colour`` with its lightness moved by ``levels`` (hue and saturation kept)."""
    h, s, lightness, a = colour.getHsl()
    return QColor.fromHsl(max(h, 0), s, max(0, min(255, lightness + levels)), a)


def luminance(colour: QColor) -> float:
    """WCAG 2's relative luminance of an sRGB colour (0 black .. 1 white)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    r, g, b = colour.redF(), colour.greenF(), colour.blueF()
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2's contrast ratio of two opaque colours (1 .. 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def over(colour: QColor, background: QColor) -> QColor:
    """``colour`` drawn over ``background`` (its alpha blended away)."""
    a = colour.alphaF()
    return QColor.fromRgbF(
        colour.redF() * a + background.redF() * (1 - a),
        colour.greenF() * a + background.greenF() * (1 - a),
        colour.blueF() * a + background.blueF() * (1 - a),
    )


def readable(colour: QColor, backgrounds: list[QColor], minimum: float = MIN_CONTRAST) -> QColor:
    """``colour``, darkened (on light backgrounds) or lightened (on dark ones) in small steps,
    hue kept, until its contrast with every one of ``backgrounds`` is at least ``minimum``."""
    solid = over(colour, backgrounds[0])
    step = -4 if luminance(backgrounds[0]) > 0.18 else 4
    for _ in range(64):
        if all(contrast(solid, b) >= minimum for b in backgrounds):
            return solid
        solid = _shifted(solid, step)
    return solid


def text_backgrounds(palette: QPalette) -> list[QColor]:
    """What text is drawn on: the window, fields and tables, alternate table rows."""
    return [
        palette.color(_ROLE.Window),
        palette.color(_ROLE.Base),
        palette.color(_ROLE.AlternateBase),
    ]


def text_colour(role: str, palette: QPalette | None = None) -> QColor:
    """One of :data:`TEXT_COLOURS` for ``palette`` (the application's), readable on it."""
    palette = palette if palette is not None else QApplication.palette()
    key = (role, palette.cacheKey())  # windows ask for the same few colours many times
    found = _text_colours.get(key)
    if found is None:
        light, dark = TEXT_COLOURS[role]
        found = readable(QColor(dark if is_dark(palette) else light), text_backgrounds(palette))
        _text_colours[key] = found
    return QColor(found)


_text_colours: dict[tuple[str, int], QColor] = {}


def fill_colour(role: str) -> QColor:
    """One of :data:`TEXT_COLOURS` as the background of white text (a banner, a big button),
    dark enough for the white to read at :data:`MIN_CONTRAST` on any palette."""
    return readable(QColor(TEXT_COLOURS[role][0]), [QColor("white")])


def text_style(role: str) -> str:
    """A style sheet giving a label's text one of :data:`TEXT_COLOURS`."""
    return f"color: {text_colour(role).name()};"


def legible(palette: QPalette) -> QPalette:
    """``palette``, or a copy that keeps fields visible and secondary text readable.

    On a dark palette, Base is made darker than Window (a well, as dark themes usually draw
    fields) when there is room below, else lighter; AlternateBase follows it. On any palette the
    secondary grey (PlaceholderText: notes, placeholders) is moved until it reads at
    :data:`MIN_CONTRAST` on the window and fields.
    """
    out = QPalette(palette)
    if is_dark(palette):
        _separate_base(out)
    for group in _GROUPS:
        if group == QPalette.ColorGroup.Disabled:
            continue  # disabled text is meant to look faint (WCAG exempts it)
        grey = out.color(group, _ROLE.PlaceholderText)
        backgrounds = [out.color(group, r) for r in (_ROLE.Window, _ROLE.Base, _ROLE.AlternateBase)]
        fixed = readable(grey, backgrounds)
        if fixed.rgba() != grey.rgba():
            out.setColor(group, _ROLE.PlaceholderText, fixed)
    return palette if out == palette else out


def _separate_base(out: QPalette) -> None:
    for group in _GROUPS:
        window = out.color(group, _ROLE.Window)
        base = out.color(group, _ROLE.Base)
        gap = base.lightness() - window.lightness()
        if abs(gap) >= MIN_BASE_CONTRAST:
            continue
        down = window.lightness() - MIN_BASE_CONTRAST
        levels = -MIN_BASE_CONTRAST - gap if down >= 12 else MIN_BASE_CONTRAST - gap
        new_base = _shifted(base, levels)
        out.setColor(group, _ROLE.Base, new_base)
        alternate = _shifted(new_base, 8 if levels < 0 else -8)
        out.setColor(group, _ROLE.AlternateBase, alternate)


def dark_palette() -> QPalette:
    """Paylight's dark palette: fields and indicators are dark wells in a mid-dark window."""
    p = QPalette()
    window, base, text = QColor(52, 54, 58), QColor(28, 29, 32), QColor(232, 232, 232)
    roles = {
        _ROLE.Window: window,
        _ROLE.WindowText: text,
        _ROLE.Base: base,
        _ROLE.AlternateBase: QColor(38, 39, 43),
        _ROLE.ToolTipBase: window,
        _ROLE.ToolTipText: text,
        _ROLE.Text: text,
        _ROLE.Button: QColor(64, 67, 72),
        _ROLE.ButtonText: text,
        _ROLE.BrightText: QColor(255, 90, 90),
        _ROLE.Link: QColor(110, 170, 255),
        _ROLE.Highlight: QColor(45, 108, 223),
        _ROLE.HighlightedText: QColor(255, 255, 255),
        _ROLE.PlaceholderText: QColor(165, 167, 172),
        _ROLE.Mid: QColor(96, 99, 105),
        _ROLE.Midlight: QColor(80, 83, 88),
        _ROLE.Dark: QColor(24, 25, 27),
        _ROLE.Light: QColor(100, 103, 108),
        _ROLE.Shadow: QColor(0, 0, 0),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    grey = QColor(128, 130, 135)
    for role in (_ROLE.Text, _ROLE.ButtonText, _ROLE.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, grey)
    return p


def apply_legible_palette(app: QApplication) -> bool:
    """Under Fusion, give the application a legible version of its palette (fields that do
    not vanish, secondary text that reads); True when it was changed."""
    if app.style().name().lower() != "fusion":
        return False
    palette = app.palette()
    fixed = legible(palette)
    if fixed is palette or fixed == palette:
        return False
    app.setPalette(fixed)
    return True
