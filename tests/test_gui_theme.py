"""Dark palettes: unfocused fields, unchecked check boxes and radio buttons stay visible.

Measured on real widgets drawn offscreen by Fusion: the mean lightness inside each indicator
(or field) against the window around it. The palette the screenshots' dark run used before
fails the same measure, so the measure is known to catch the defect.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QLineEdit,
    QRadioButton,
    QStyle,
    QStyleFactory,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

from wallet.gui.theme import MIN_BASE_CONTRAST, dark_palette, is_dark, legible

pytestmark = pytest.mark.gui
#: The least mean-lightness difference (0-255) that reads as "clearly visible" here.
VISIBLE = 15


def old_dark_palette() -> QPalette:
    """The dark palette of the first screenshots: Base almost the colour of Fusion's outline."""
    p = QPalette()
    for role, colour in {
        QPalette.ColorRole.Window: QColor(37, 38, 41),
        QPalette.ColorRole.WindowText: QColor(230, 230, 230),
        QPalette.ColorRole.Base: QColor(27, 28, 30),
        QPalette.ColorRole.AlternateBase: QColor(44, 45, 48),
        QPalette.ColorRole.Text: QColor(230, 230, 230),
        QPalette.ColorRole.Button: QColor(50, 52, 56),
        QPalette.ColorRole.ButtonText: QColor(230, 230, 230),
    }.items():
        p.setColor(role, colour)
    return p


def lightness(image, rect) -> float:
    values = [
        QColor(image.pixel(x, y)).lightness()
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
    ]
    return sum(values) / len(values)


def contrasts(qtbot, palette: QPalette) -> dict[str, float]:
    """Lightness difference between each unchecked indicator / unfocused field and the window
    just beside it."""
    fusion = QStyleFactory.create("Fusion")
    page = QWidget()
    page.setStyle(fusion)
    page.setPalette(palette)
    page.setAutoFillBackground(True)
    radio, check = QRadioButton("Restore"), QCheckBox("I have written the words down")
    field, focused = QLineEdit("My wallet"), QLineEdit("focus")
    layout = QVBoxLayout(page)
    for widget in (focused, radio, check, field):
        widget.setStyle(fusion)
        layout.addWidget(widget)
    qtbot.addWidget(page)
    page.resize(320, 200)
    page.show()
    qtbot.waitExposed(page)
    focused.setFocus()
    image = page.grab().toImage()

    def margin_beside(rect):  # the window in the layout's left margin, at the same height
        return (
            rect.adjusted(0, 0, 0, 0)
            .translated(-rect.left() + 1, 0)
            .adjusted(0, 0, -(rect.width() - 4), 0)
        )

    out = {}
    for name, widget, element in (
        ("radio", radio, QStyle.SubElement.SE_RadioButtonIndicator),
        ("check", check, QStyle.SubElement.SE_CheckBoxIndicator),
    ):
        option = QStyleOptionButton()
        option.initFrom(widget)
        indicator = fusion.subElementRect(element, option, widget)
        inside = indicator.adjusted(4, 4, -4, -4).translated(widget.pos())
        out[name] = abs(lightness(image, inside) - lightness(image, margin_beside(inside)))
    inner = field.rect().adjusted(field.width() - 80, 6, -6, -6).translated(field.pos())  # no text
    out["field"] = abs(lightness(image, inner) - lightness(image, margin_beside(inner)))
    fusion.setParent(page)  # kept alive as long as the widgets using it
    return out


def test_the_old_dark_palette_hid_the_indicators_and_the_measure_sees_it(qtbot):
    seen = contrasts(qtbot, old_dark_palette())
    assert min(seen.values()) < VISIBLE, seen


@pytest.mark.parametrize("name", ["paylight dark", "an old dark palette made legible"])
def test_indicators_and_fields_are_clearly_visible_on_dark_palettes(qtbot, name):
    palette = dark_palette() if name == "paylight dark" else legible(old_dark_palette())
    seen = contrasts(qtbot, palette)
    assert all(v >= VISIBLE for v in seen.values()), seen


def test_legible_leaves_good_palettes_alone_and_fixes_poor_ones():
    ours = dark_palette()
    assert is_dark(ours) and legible(ours) == ours
    role = QPalette.ColorRole
    light = QPalette(QColor(239, 239, 239))
    assert not is_dark(light)
    # a light palette keeps its fields; only its faint secondary grey is made readable
    light_fixed = legible(light)
    assert light_fixed.color(role.Base) == light.color(role.Base)
    assert light_fixed.color(role.Window) == light.color(role.Window)
    assert legible(light_fixed) is light_fixed
    fixed = legible(old_dark_palette())
    gap = fixed.color(role.Window).lightness() - fixed.color(role.Base).lightness()
    assert abs(gap) >= MIN_BASE_CONTRAST
    # a window too dark to put a darker well in: the fields get lighter instead
    black = old_dark_palette()
    black.setColor(role.Window, QColor(20, 20, 22))
    black.setColor(role.Base, QColor(16, 16, 18))
    brighter = legible(black)
    assert brighter.color(role.Base).lightness() >= 20 + MIN_BASE_CONTRAST
