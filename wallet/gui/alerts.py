"""Colours that say "stop" or "all good" and stay readable on light and dark palettes."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.5


def alert_colour(widget: QWidget) -> str:
    """A red with at least 4.5:1 contrast on the widget's background (WCAG AA): dark red on a
    light palette, light red on a dark one. Never the only sign: the text says it too."""
    return "#ff8a80" if is_dark(widget) else "#b00020"


def good_colour(widget: QWidget) -> str:
    """A green with at least 4.5:1 contrast on the widget's background."""
    return "#7ee787" if is_dark(widget) else "#1a7431"
