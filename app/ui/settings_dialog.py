"""The settings dialog (Ctrl+,): engine, API key, generation defaults, language and theme; on a
second page what the configured service was seen doing (and forgetting it), and the prices.

Built from its models: it reads and changes settings only through ``SettingsModel``, the key only
through ``ApiKeyModel`` (which never hands the key back) and tests a service through
``ConnectionTester``. OK applies every field at once; a value the settings refuse is shown under
its field, in words, and nothing is applied. Storing or removing the key happens at once.
Accessible names are English in every language, for automation (CONTRACTS §5).
"""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtCore import QAbstractItemModel, QEvent, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.model.api_key_model import ApiKeyModel
from app.model.connection_test import ConnectionTester
from app.model.price_table import PriceTableModel
from app.model.service_profiles import ServiceProfileModel
from app.model.settings_model import SettingsModel, describe_problem
from app.ui.icons import icon
from app.ui.theme import notice_colours

_ENGINES = ("local", "openai", "custom")
URL_PAUSE_MS = 300  # typing the base URL: the service page follows once typing pauses this long


W = TypeVar("W", bound=QWidget)


def _named(widget: W, name: str) -> W:
    widget.setAccessibleName(name)
    return widget


class _FittedTable(QTableView):
    """A small table that shows all its rows without scrolling."""

    def __init__(self, model: QAbstractItemModel, name: str) -> None:
        super().__init__()
        _named(self, name)
        self.setModel(model)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Slots of this object: the connections end with it (the models outlive the dialog).
        model.modelReset.connect(self.fit_rows)
        model.rowsInserted.connect(self.fit_rows)
        self.fit_rows()

    def fit_rows(self, *_: object) -> None:
        model = self.model()
        rows = sum(self.rowHeight(row) for row in range(model.rowCount()))
        self.setFixedHeight(rows + self.horizontalHeader().height() + 2 * self.frameWidth())


def _table(model: QAbstractItemModel, name: str) -> QTableView:
    return _FittedTable(model, name)


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: SettingsModel,
        api_key: ApiKeyModel,
        tester: ConnectionTester,
        *,
        models: tuple[str, ...] = (),
        service: ServiceProfileModel | None = None,
        prices: PriceTableModel | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._api_key = api_key
        self._tester = tester
        self._service = service
        self._prices = prices
        self._problems: dict[str, QLabel] = {}
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName("Settings")
        self.setMinimumWidth(560)

        layout = QVBoxLayout(self)
        self.pages = _named(QTabWidget(), "Settings pages")
        _named(self.pages.tabBar(), "Settings page tabs")
        general = QWidget()
        general_layout = QVBoxLayout(general)
        general_layout.addWidget(self._engine_group())
        general_layout.addWidget(self._key_group())
        general_layout.addWidget(self._generation_group(models))
        general_layout.addWidget(self._appearance_group())
        self.pages.addTab(general, self.tr("General"))
        if service is not None or prices is not None:
            page = QWidget()
            page_layout = QVBoxLayout(page)
            if service is not None:
                page_layout.addWidget(self._service_group(service))
            if prices is not None:
                page_layout.addWidget(self._prices_group(prices))
            page_layout.addStretch(1)
            self.pages.addTab(page, self.tr("Service and prices"))
        layout.addWidget(self.pages)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        _named(buttons.button(QDialogButtonBox.StandardButton.Ok), "Apply settings")
        _named(buttons.button(QDialogButtonBox.StandardButton.Cancel), "Close settings")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        api_key.source_changed.connect(self._show_key_source)
        api_key.busy_changed.connect(self._update_key_buttons)
        api_key.failed.connect(self._show_key_problem)
        tester.running_changed.connect(self._show_testing)
        tester.finished.connect(self._show_test_result)
        self.load()
        self._show_key_source(api_key.source)
        self._update_key_buttons()
        self._colour_problems()

    # --- building -------------------------------------------------------------------------

    def _engine_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Engine"))
        form = QVBoxLayout(group)
        self._engine_buttons = QButtonGroup(self)
        labels = (
            (self.tr("Embedded engine: local layout drafts, no cost"), "Engine: embedded"),
            (self.tr("OpenAI"), "Engine: OpenAI"),
            (self.tr("Custom OpenAI-compatible service"), "Engine: custom"),
        )
        for index, (text, name) in enumerate(labels):
            button = _named(QRadioButton(text), name)
            self._engine_buttons.addButton(button, index)
            form.addWidget(button)
        self._engine_buttons.idToggled.connect(self._engine_toggled)

        url_row = QFormLayout()
        self._base_url = _named(QLineEdit(), "Base URL")
        self._base_url.setPlaceholderText("https://host/v1")
        url_row.addRow(self.tr("Base URL:"), self._base_url)
        # The service page follows the URL as it is typed, once typing pauses.
        self._url_pause = QTimer(self)
        self._url_pause.setSingleShot(True)
        self._url_pause.setInterval(URL_PAUSE_MS)
        self._url_pause.timeout.connect(self._show_service)
        self._base_url.textEdited.connect(self._url_pause.start)
        self._add_problem(url_row, "base_url")
        form.addLayout(url_row)

        test_row = QHBoxLayout()
        self._test = _named(
            QPushButton(icon("connection"), self.tr("Test connection")), "Test connection"
        )
        self._test.clicked.connect(self._test_connection)
        self._test_result = _named(QLabel(), "Connection result")
        self._test_result.setWordWrap(True)
        test_row.addWidget(self._test)
        test_row.addWidget(self._test_result, 1)
        form.addLayout(test_row)
        return group

    def _key_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("API key"))
        form = QFormLayout(group)
        self._key_source = _named(QLabel(), "API key source")
        self._key_source.setWordWrap(True)
        self._remove_key = _named(QPushButton(icon("delete"), self.tr("Remove key")), "Remove key")
        self._remove_key.clicked.connect(self._remove)
        source_row = QHBoxLayout()
        source_row.addWidget(self._key_source, 1)
        source_row.addWidget(self._remove_key)
        form.addRow(self.tr("Key:"), source_row)
        self._new_key = _named(QLineEdit(), "New API key")
        self._new_key.setEchoMode(QLineEdit.EchoMode.Password)
        self._new_key.setPlaceholderText(self.tr("Paste a new key"))
        self._new_key.setToolTip(self.tr("It is kept in the system keyring, never in a file."))
        self._new_key.textChanged.connect(self._update_key_buttons)
        self._new_key.returnPressed.connect(self._store)
        self._store_key = _named(QPushButton(icon("key"), self.tr("Store key")), "Store key")
        self._store_key.clicked.connect(self._store)
        key_row = QHBoxLayout()
        key_row.addWidget(self._new_key, 1)
        key_row.addWidget(self._store_key)
        form.addRow(self.tr("New key:"), key_row)
        self._add_problem(form, "api_key")
        return group

    def _generation_group(self, models: tuple[str, ...]) -> QGroupBox:
        group = QGroupBox(self.tr("Generation"))
        form = QFormLayout(group)
        self._model = _named(QComboBox(), "Default model")
        self._model.setEditable(True)
        self._model.addItems(list(models))
        form.addRow(self.tr("Default model:"), self._model)
        self._add_problem(form, "model")

        self._timeout = self._spin("timeout_seconds", "Timeout", self.tr(" s"))
        form.addRow(self.tr("Timeout:"), self._timeout)
        self._retries = self._spin("max_retries", "Retries")
        form.addRow(self.tr("Retries:"), self._retries)
        self._concurrency = self._spin("concurrency", "Jobs at once")
        form.addRow(self.tr("Jobs at once:"), self._concurrency)

        self._cap = _named(QLineEdit(), "Spending cap")
        self._cap.setPlaceholderText(self.tr("No cap"))
        self._cap.setToolTip(self.tr("The most one generation may cost, in US dollars."))
        form.addRow(self.tr("Spending cap (US$ per generation):"), self._cap)
        self._add_problem(form, "spending_cap_usd")
        self._budget = _named(QLineEdit(), "Monthly budget")
        self._budget.setPlaceholderText(self.tr("No budget"))
        self._budget.setToolTip(
            self.tr(
                "The most a calendar month may cost, in US dollars: a job that would pass it is "
                "stopped before it is sent."
            )
        )
        form.addRow(self.tr("Monthly budget (US$):"), self._budget)
        self._add_problem(form, "monthly_budget_usd")

        self._check_text = _named(
            QCheckBox(self.tr("Read the text back after each image is made")),
            "Check text after generation",
        )
        form.addRow(self._check_text)
        return group

    def _appearance_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Appearance"))
        form = QFormLayout(group)
        self._language = _named(QComboBox(), "Language")
        # Each language is named in itself, so anyone can find their own.
        languages = ((self.tr("System"), "system"), ("中文（简体）", "zh_CN"), ("English", "en"))
        for text, value in languages:
            self._language.addItem(text, value)
        form.addRow(self.tr("Language:"), self._language)
        hint = QLabel(self.tr("A new language is used the next time Zi Studio starts."))
        hint.setWordWrap(True)
        self._hint = hint
        form.addRow("", _named(hint, "Language hint"))
        self._theme = _named(QComboBox(), "Theme")
        for text, value in (
            (self.tr("System"), "system"),
            (self.tr("Light"), "light"),
            (self.tr("Dark"), "dark"),
        ):
            self._theme.addItem(text, value)
        form.addRow(self.tr("Theme:"), self._theme)
        return group

    def _service_group(self, service: ServiceProfileModel) -> QGroupBox:
        group = QGroupBox(self.tr("What the service can do"))
        layout = QVBoxLayout(group)
        self._service_for = _named(QLabel(), "Service profile for")
        self._service_for.setWordWrap(True)
        layout.addWidget(self._service_for)
        self.service_table = _table(service, "Service profile")
        layout.addWidget(self.service_table)
        row = QHBoxLayout()
        self._forget = _named(
            QPushButton(icon("retry"), self.tr("Forget what was learned")),
            "Forget what was learned",
        )
        self._forget.setToolTip(
            self.tr("After the service changed: the next request tries everything again.")
        )
        self._forget.clicked.connect(service.forget)
        row.addWidget(self._forget)
        row.addStretch(1)
        layout.addLayout(row)
        service.base_url_changed.connect(lambda _: self._show_service_for())
        return group

    def _prices_group(self, prices: PriceTableModel) -> QGroupBox:
        group = QGroupBox(self.tr("Prices (US$ per 1M tokens)"))
        layout = QVBoxLayout(group)
        hint = QLabel(
            self.tr(
                "Estimates and costs use these. Published prices differ between sources: "
                "double-click a price to use your own."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.price_table = _table(prices, "Prices")
        self.price_table.setEditTriggers(
            QTableView.EditTrigger.DoubleClicked
            | QTableView.EditTrigger.EditKeyPressed
            | QTableView.EditTrigger.AnyKeyPressed
        )
        layout.addWidget(self.price_table)
        problem = QFormLayout()
        self._add_problem(problem, "prices")
        layout.addLayout(problem)
        row = QHBoxLayout()
        built_in = _named(QPushButton(self.tr("Use the built-in prices")), "Use built-in prices")
        built_in.clicked.connect(prices.use_built_in)
        row.addWidget(built_in)
        row.addStretch(1)
        layout.addLayout(row)
        return group

    def _spin(self, name: str, accessible: str, suffix: str = "") -> QSpinBox:
        declared = self._settings.declared(name)
        spin = _named(QSpinBox(), accessible)
        spin.setRange(int(declared.minimum or 0), int(declared.maximum or 1_000_000))
        spin.setSuffix(suffix)
        return spin

    def _add_problem(self, form: QFormLayout, name: str) -> None:
        label = _named(QLabel(), f"{name} problem")
        label.setWordWrap(True)
        label.hide()
        form.addRow("", label)
        self._problems[name] = label

    # --- settings in and out --------------------------------------------------------------

    def load(self) -> None:
        """Show the model's current settings (what Cancel goes back to)."""
        settings = self._settings.settings
        self._engine_buttons.button(_ENGINES.index(settings.engine)).setChecked(True)
        self._base_url.setText(settings.base_url)
        self._model.setCurrentText(settings.model)
        self._timeout.setValue(round(settings.timeout_seconds))
        self._retries.setValue(settings.max_retries)
        self._concurrency.setValue(settings.concurrency)
        cap = settings.spending_cap_usd
        self._cap.setText("" if cap is None else f"{cap:g}")
        budget = settings.monthly_budget_usd
        self._budget.setText("" if budget is None else f"{budget:g}")
        self._check_text.setChecked(settings.check_text_after_generation)
        self._language.setCurrentIndex(self._language.findData(settings.language))
        self._theme.setCurrentIndex(self._theme.findData(settings.theme))
        if self._prices is not None:
            self._prices.load(settings.prices)
        self._engine_toggled()
        for label in self._problems.values():
            label.hide()

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The fields as setting values, and problems found before the settings see them."""
        engine = _ENGINES[self._engine_buttons.checkedId()]
        values: dict[str, Any] = {
            "engine": engine,
            "model": self._model.currentText().strip(),
            "timeout_seconds": self._timeout.value(),
            "max_retries": self._retries.value(),
            "concurrency": self._concurrency.value(),
            "language": self._language.currentData(),
            "theme": self._theme.currentData(),
            "check_text_after_generation": self._check_text.isChecked(),
        }
        if engine == "custom":  # another engine keeps the URL as it was, for switching back
            values["base_url"] = self._base_url.text().strip()
        if self._prices is not None:
            values["prices"] = self._prices.overrides()
        problems: dict[str, str] = {}
        cap = self._cap.text().strip().lstrip("$").strip()
        try:
            values["spending_cap_usd"] = float(cap.replace(",", ".")) if cap else None
        except ValueError:
            problems["spending_cap_usd"] = self.tr(
                "Enter an amount in US dollars, like 0.50, or leave it empty for no cap."
            )
        budget = self._budget.text().strip().lstrip("$").strip()
        try:
            values["monthly_budget_usd"] = float(budget.replace(",", ".")) if budget else None
        except ValueError:
            problems["monthly_budget_usd"] = self.tr(
                "Enter an amount in US dollars, like 20, or leave it empty for no budget."
            )
        return values, problems

    def accept(self) -> None:
        values, problems = self.values()
        found = self._settings.problems(values)
        shown = {name: describe_problem(error) for name, error in found.items()} | problems
        for name, label in self._problems.items():
            if name != "api_key":
                self._show_problem(label, shown.get(name))
        if shown:
            return
        self._settings.apply(values)
        super().accept()

    def reject(self) -> None:
        self.load()
        super().reject()

    # --- reactions ------------------------------------------------------------------------

    def _engine_toggled(self, *_: object) -> None:
        engine = _ENGINES[max(0, self._engine_buttons.checkedId())]
        self._base_url.setEnabled(engine == "custom")
        self._test.setEnabled(engine != "local" and not self._tester.running)
        self._test_result.clear()
        self._show_service()

    def _show_service(self) -> None:
        """The profile of the service the page names: OpenAI's, or the custom base URL's."""
        if self._service is None:
            return
        engine = _ENGINES[max(0, self._engine_buttons.checkedId())]
        url = self._base_url.text().strip() if engine == "custom" else None
        local = engine == "local"
        self.service_table.setEnabled(not local)
        self._forget.setEnabled(not local)
        readable = url is None or not self._settings.problems({"engine": "custom", "base_url": url})
        if not local and readable:
            self._service.show(url)
        self._show_service_for()

    def _show_service_for(self) -> None:
        if self._service is None:
            return
        if self._engine_buttons.checkedId() == _ENGINES.index("local"):
            words = self.tr("The embedded engine does all of these.")
        else:
            words = self.tr("Learned from the answers of {url}:").format(url=self._service.base_url)
        self._service_for.setText(words)

    def _test_connection(self) -> None:
        custom = self._engine_buttons.checkedId() == _ENGINES.index("custom")
        url = self._base_url.text().strip() if custom else None
        if custom:
            found = self._settings.problems({"engine": "custom", "base_url": url})
            problem = found.get("base_url")
            self._show_problem(
                self._problems["base_url"], describe_problem(problem) if problem else None
            )
            if problem:
                return
        self._tester.test(url)

    def _show_testing(self, running: bool) -> None:
        self._test.setEnabled(not running and self._engine_buttons.checkedId() != 0)
        if running:
            self._test_result.setText(self.tr("Testing…"))

    def _show_test_result(self, ok: bool, words: str) -> None:
        self._test_result.setText(("✓ " if ok else "✗ ") + words)

    def _show_key_source(self, source: str) -> None:
        words = {
            "keyring": self.tr("Stored in the system keyring (never shown)."),
            "environment": self.tr(
                "From the OPENAI_API_KEY environment variable; it is used before a stored key."
            ),
            "none": self.tr("None: without a key, the embedded engine makes local drafts."),
        }
        self._key_source.setText(words.get(source, self.tr("Looking in the system keyring…")))
        self._update_key_buttons()

    def _update_key_buttons(self, *_: object) -> None:
        busy = self._api_key.busy
        self._store_key.setEnabled(not busy and bool(self._new_key.text().strip()))
        self._remove_key.setEnabled(not busy and self._api_key.source == "keyring")

    def _store(self) -> None:
        key = self._new_key.text()
        if not key.strip() or self._api_key.busy:
            return
        self._new_key.clear()  # the key leaves the window at once
        self._show_problem(self._problems["api_key"], None)
        self._api_key.store(key)

    def _remove(self) -> None:
        self._show_problem(self._problems["api_key"], None)
        self._api_key.remove()

    def _show_key_problem(self, words: str) -> None:
        self._show_problem(self._problems["api_key"], words)

    def _show_problem(self, label: QLabel, words: str | None) -> None:
        label.setText(words or "")
        label.setVisible(bool(words))

    def problem_text(self, name: str) -> str:
        """The problem shown under a field (empty when none), for tests and automation."""
        label = self._problems[name]
        return label.text() if label.isVisibleTo(self) else ""

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._colour_problems()

    def _colour_problems(self) -> None:
        colour = QColor(notice_colours(self.palette())[0])
        for label in self._problems.values():
            palette = label.palette()
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            label.setPalette(palette)
        palette = self._hint.palette()  # quieter than the fields, still easy to read
        palette.setColor(
            QPalette.ColorRole.WindowText, self.palette().color(QPalette.ColorRole.PlaceholderText)
        )
        self._hint.setPalette(palette)

    def engine_button(self, engine: str) -> QAbstractButton:
        return self._engine_buttons.button(_ENGINES.index(engine))
