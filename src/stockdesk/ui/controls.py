"""Small builders the forms share: a field's label (its & mnemonic focuses the field), a form's push
button, and a tool button that shows an action's icon and text and follows its enabled state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QPushButton, QToolButton, QWidget

from .theme import icon


def buddy_label(text: str, field: QWidget) -> QLabel:
    label = QLabel(text, field.parentWidget())
    label.setBuddy(field)
    return label


def push_button(text: str, icon_name: str, parent: QWidget, keys: str | None = None) -> QPushButton:
    """A button that Enter in a field never presses by accident (scanners end every code with Enter)."""
    button = QPushButton(icon(icon_name), text, parent)
    button.setAutoDefault(False)
    button.setDefault(False)
    if keys:
        button.setShortcut(QKeySequence(keys))
        button.setToolTip(keys)
    return button


def action_button(action: QAction, parent: QWidget) -> QToolButton:
    button = QToolButton(parent)
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    return button


def screen_action(owner: QWidget, icon_name: str, text: str, *shortcuts: str) -> QAction:
    """An action whose shortcuts work while the focus is anywhere on `owner` (the screen) only."""
    action = QAction(icon(icon_name), text, owner)
    action.setShortcuts([QKeySequence(s) for s in shortcuts])
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    if shortcuts:
        action.setToolTip(f"{text.replace('&', '')} ({QKeySequence(shortcuts[0]).toString()})")
    owner.addAction(action)
    return action
