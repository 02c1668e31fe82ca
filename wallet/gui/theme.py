"""Palettes: fields and check/radio indicators that stay visible on a dark palette.

Qt's Fusion style (Paylight's style on Linux, and the screenshots') draws a line edit, a spin
box, a check box and a radio button as a ``Base``-coloured fill inside an outline that is the
``Window`` colour darkened by 40 %. On a light palette that outline is a clear grey line; on a
dark one it is nearly black, so when ``Base`` is dark too (as in many dark themes) an unfocused
field, an unchecked box and an unchecked radio button all but vanish into the window.
:func:`legible` moves ``Base`` away from ``Window`` until the fill itself stands out;
:func:`dark_palette` is Paylight's own dark palette (the screenshots' dark run), legible as it is.
Nothing here runs while painting: it is a palette, so Qt draws it all on the C++ side.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

#: The least lightness difference (0-255) between Base and Window on a dark palette.
MIN_BASE_CONTRAST = 20
_ROLE = QPalette.ColorRole
_GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled)


def is_dark(palette: QPalette) -> bool:
    return palette.color(_ROLE.Window).lightness() < 128


def _shifted(colour: QColor, levels: int) -> QColor:
    """``colour`` with its lightness moved by ``levels`` (hue and saturation kept)."""
    h, s, lightness, a = colour.getHsl()
    return QColor.fromHsl(max(h, 0), s, max(0, min(255, lightness + levels)), a)


def legible(palette: QPalette) -> QPalette:
    """``palette``, or a copy whose Base stands apart from Window when it is dark.

    Base is made darker than Window (a well, as dark themes usually draw fields) when there is
    room below, else lighter; AlternateBase follows it. A light palette is returned as it is.
    """
    if not is_dark(palette):
        return palette
    out = QPalette(palette)
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
    return out


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
    """Under Fusion, give the application a legible version of its palette if it is dark and
    its fields would vanish; True when it was changed."""
    if app.style().name().lower() != "fusion":
        return False
    palette = app.palette()
    fixed = legible(palette)
    if fixed is palette or fixed == palette:
        return False
    app.setPalette(fixed)
    return True
