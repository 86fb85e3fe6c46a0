"""The status bar (engine, session spend, the latest message) and the error banner.

Errors show as a banner above the canvas, never a modal dialog, with the action that helps
(Retry, Open settings, Use the local engine) where there is one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStatusBar, QToolButton

from app.core.messages import Message
from app.model.generation import EngineInfo
from app.ui.wording import action_text, message_text, usd

MESSAGE_MS = 8000


class StudioStatusBar(QStatusBar):
    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Status bar")
        self.engine = QLabel(self.tr("Engine: starting…"))
        self.engine.setAccessibleName("Engine")
        self.spend = QLabel()
        self.spend.setAccessibleName("Session spend")
        self.jobs = QLabel()
        self.jobs.setAccessibleName("Jobs running")
        self.addPermanentWidget(self.jobs)
        self.addPermanentWidget(self.spend)
        self.addPermanentWidget(self.engine)
        self.show_spend(0.0, 0.0)

    def show_engine(self, info: object) -> None:
        if not isinstance(info, EngineInfo):
            self.engine.setText(self.tr("Engine: starting…"))
        elif info.local and info.chosen:
            self.engine.setText(self.tr("Engine: local drafts"))
        elif info.local:
            self.engine.setText(self.tr("Engine: local drafts (no API key)"))
        elif info.kind == "openai":
            self.engine.setText(self.tr("Engine: OpenAI"))
        else:
            self.engine.setText(self.tr("Engine: {host}").format(host=info.host))

    def show_spend(self, estimated: float, actual: float) -> None:
        self.spend.setText(
            self.tr("Session: ≈ {estimated} estimated / {actual} actual").format(
                estimated=usd(estimated), actual=usd(actual)
            )
        )

    def show_active(self, count: int) -> None:
        self.jobs.setText(
            self.tr("{count} job(s) running or queued").format(count=count) if count else ""
        )

    def show_message(self, message: Message) -> None:
        self.showMessage(message_text(message), MESSAGE_MS)


class Banner(QFrame):
    """One error at a time, with its action; closed by its ✕ or by the next success."""

    action_requested = Signal(str, object)  # action, the message

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Error")
        self.setObjectName("banner")
        self.setStyleSheet(
            "#banner { background: #fef2f2; border: 1px solid #fca5a5; border-radius: 4px; }"
            "#banner QLabel { color: #7f1d1d; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleName("Error message")
        self.action = QPushButton()
        self.action.setAccessibleName("Error action")
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setAccessibleName("Close message")
        self.close_button.setToolTip(self.tr("Close"))
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self.close_button.clicked.connect(self.hide)
        self.action.clicked.connect(self._act)
        self.message: Message | None = None
        self.hide()

    def show_error(self, message: Message) -> None:
        self.message = message
        self.text.setText(message_text(message))
        self.action.setVisible(message.action is not None)
        if message.action is not None:
            self.action.setText(action_text(message.action))
        self.show()

    def _act(self) -> None:
        if self.message is not None and self.message.action is not None:
            self.action_requested.emit(self.message.action, self.message)
            self.hide()
