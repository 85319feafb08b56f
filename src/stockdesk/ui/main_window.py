"""The main window: navigation to each screen, and in the status bar the current site, who is
signed in, which database, and whether work is running."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QStackedWidget,
    QWidget,
)

from ..services import catalog
from .messages import user_message
from .screen import Screen
from .screens import SCREENS
from .session import Session
from .theme import icon

ALL_SITES = "All sites"


class MainWindow(QMainWindow):
    def __init__(
        self,
        session: Session,
        database_label: str,
        screens: tuple[type[Screen], ...] = SCREENS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("StockDesk")
        self.resize(1280, 800)

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(22, 22))
        self.navigation.setFixedWidth(200)
        self.navigation.setStyleSheet("QListWidget::item { padding: 8px 6px; }")
        self.stack = QStackedWidget(self)
        self._build_menus()
        self.screens: list[Screen] = []
        for number, screen_type in enumerate(screens, start=1):
            self._add_screen(screen_type(session, self.stack), number)
        self.navigation.currentRowChanged.connect(self.show_screen)

        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.navigation)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_status_bar(database_label)
        session.runner.failed.connect(lambda error: self.statusBar().showMessage(user_message(error), 10_000))
        session.runner.busy_changed.connect(self.progress.setVisible)
        self.navigation.setCurrentRow(0)
        self.load_sites()

    def _add_screen(self, screen: Screen, number: int) -> None:
        self.screens.append(screen)
        self.stack.addWidget(screen)
        item = QListWidgetItem(icon(screen.icon_name), screen.title)
        item.setToolTip(f"{screen.title} (Ctrl+{number})")
        self.navigation.addItem(item)
        go = QAction(screen.title, self)
        go.setShortcut(QKeySequence(f"Ctrl+{number}"))
        go.triggered.connect(lambda: self.navigation.setCurrentRow(number - 1))
        self.go_menu.addAction(go)

    def _build_status_bar(self, database_label: str) -> None:
        bar = self.statusBar()
        self.progress = QProgressBar(self)
        self.progress.setObjectName("busy")
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.site_box = QComboBox(self)
        self.site_box.setObjectName("siteBox")
        self.site_box.setToolTip("The site the screens start from")
        self.site_box.currentIndexChanged.connect(lambda _: self.session.choose_site(self.site_box.currentData()))
        user = self.session.user
        self.user_label = QLabel(f"{user.username} ({user.role.value})", self)
        self.user_label.setObjectName("userLabel")
        self.database_label = QLabel(database_label, self)
        self.database_label.setObjectName("databaseLabel")
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.site_box)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.database_label)

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("&File")
        focus_scan = QAction("Go to the scan field", self)
        focus_scan.setShortcuts([QKeySequence("Ctrl+L"), QKeySequence("F2")])
        focus_scan.triggered.connect(lambda: self.current_screen().activate())
        quit_action = self.file_menu.addAction(icon("exit-to-app"), "&Quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.go_menu = self.menuBar().addMenu("&Go")
        self.go_menu.addAction(focus_scan)
        self.go_menu.addSeparator()

    def load_sites(self) -> None:
        ctx = self.session.ctx
        self.session.runner.run(lambda: catalog.sites(ctx), self._show_sites)

    def _show_sites(self, sites) -> None:
        self.site_box.blockSignals(True)
        self.site_box.clear()
        self.site_box.addItem(ALL_SITES, None)
        for site in sites:
            self.site_box.addItem(f"{site.code} — {site.name}", site.code)
        self.site_box.blockSignals(False)

    def show_screen(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        self.current_screen().activate()

    def current_screen(self) -> Screen:
        return self.screens[self.stack.currentIndex()]

    def closeEvent(self, event: QCloseEvent) -> None:
        self.session.close()
        super().closeEvent(event)
