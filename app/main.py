"""The composition root: the one QApplication, the qasync loop, the models, the window, the engine.

The window is shown first; then, off the GUI thread, the settings, the key (keyring), the library
and the engine are loaded, and the SDK is imported on the engine's own thread (it takes most of a
second). Nothing else in the studio builds these objects or reads the environment for them.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from app.core.messages import MessageBridge
from app.engine.runner import EngineRunner
from app.model.builder import BuilderModel
from app.model.document import SpecDocument
from app.model.gallery import GalleryModel
from app.model.generation import EngineInfo, Generator
from app.model.images import ImageDecoder
from app.model.job_queue import JobQueueModel
from app.model.message_relay import MessageRelay
from app.model.preview import PreviewModel
from app.model.tasks import TaskFunnel
from app.store.paths import StudioPaths
from app.store.settings import Settings, SettingsFile
from app.ui.main_window import MainWindow


def _engine_info(engine: str, base_url: str | None) -> EngineInfo:
    if engine == "local":
        return EngineInfo("local")
    if not base_url:
        return EngineInfo("openai")
    from app.store.records import engine_label

    return EngineInfo("custom", engine_label("remote", base_url).removeprefix("remote:"))


class Studio:
    """Everything the window needs, built and wired once."""

    def __init__(self, paths: StudioPaths, *, settings: Settings | None = None) -> None:
        self.paths = paths
        self.settings = settings or Settings()
        self.messages = MessageBridge()
        self.funnel = TaskFunnel(self.messages)
        self.builder = BuilderModel()
        self.builder.reset(**self.defaults())
        self.preview = PreviewModel(self.builder, partial_images=self.settings.partial_images)
        self.document = SpecDocument(
            self.builder,
            self.funnel,
            self.messages,
            autosave_file=paths.data_dir / "autosave" / "spec.json",
            recent_file=paths.config_dir / "recent.json",
        )
        self.decoder = ImageDecoder()
        self.gallery = GalleryModel(self.decoder)
        self.queue = JobQueueModel()
        self.generator = Generator(
            self.funnel,
            self.messages,
            self.queue,
            self.gallery,
            spending_cap_usd=self.settings.spending_cap_usd,
        )
        self.relay = MessageRelay(self.messages)
        self.window_state = QSettings(
            str(paths.config_dir / "window.ini"), QSettings.Format.IniFormat
        )
        self.window = MainWindow(
            builder=self.builder,
            preview=self.preview,
            document=self.document,
            gallery=self.gallery,
            queue=self.queue,
            generator=self.generator,
            relay=self.relay,
            state=self.window_state,
            defaults=self.defaults(),
        )
        self.relay.start()
        self.engine: EngineRunner | None = None
        self.library: Any = None
        self.service: Any = None
        self.gallery.favourite_changed.connect(self._favourite)

    def defaults(self) -> dict[str, str]:
        s = self.settings
        return {"model": s.model, "quality": s.default_quality, "tier": s.default_tier}

    async def start(self, *, open_path: Path | None = None, load_settings: bool = True) -> None:
        """After the window is shown: restore the spec, then load the engine off the GUI thread."""
        await self.document.start(open_path=open_path)
        if load_settings:
            self.settings = await self.funnel.in_thread(SettingsFile(self.paths.settings_file).load)
        self.generator.spending_cap_usd = self.settings.spending_cap_usd
        self.preview.partial_images = self.settings.partial_images
        from app.store.library import Library
        from app.store.secrets import load_key

        key = await self.funnel.in_thread(load_key)
        self.library = await self.funnel.in_thread(Library.open, self.paths)
        if self.library.recovered:
            self.messages.warning("library.recovered", count=len(self.library.recovered))
        self.engine = EngineRunner().start()
        self.funnel.engine = self.engine
        await self.use_engine(key=key)

    async def use_engine(self, *, key: str | None, local: bool = False) -> None:
        """Open the service (local, or the one the settings and key name) on the engine's loop."""
        settings = self.settings
        base_url = settings.base_url or None

        async def open_on_engine() -> tuple[Any, Any, Any]:
            from app.engine.connect import choose_engine, open_service
            from app.jobs.run import JobRunner
            from app.store.records import engine_label

            choice = choose_engine(asked="local" if local else None, key=key, base_url=base_url)
            service = open_service(
                choice, key=key, timeout=settings.timeout_seconds, max_retries=settings.max_retries
            )
            label = engine_label(choice.engine, choice.base_url)
            runner = JobRunner(
                service=service,
                library=self.library,
                engine_label=label,
                billed=choice.engine != "local",
            )
            return choice, service, runner

        old = self.service
        choice, self.service, runner = await self.funnel.on_engine(open_on_engine())
        if old is not None:
            await self.funnel.on_engine(old.close())
        info = _engine_info(choice.engine, choice.base_url)
        self.generator.set_engine(runner, info)
        if info.local:
            self.messages.info("engine.local")

    def _favourite(self, image_id: int, favourite: bool) -> None:
        if self.library is not None:
            self.funnel.run_task(
                self.funnel.in_thread(self.library.set_favourite, image_id, favourite),
                failure_code="store.failed",
            )

    async def stop(self) -> None:
        """Cancel what runs, close the spec cleanly (no autosave left), stop the engine."""
        self.generator.cancel_all()
        self.window_state.sync()
        await self.document.close()
        if self.service is not None and self.engine is not None:
            await self.funnel.on_engine(self.service.close())
        if self.engine is not None:
            await self.funnel.in_thread(self.engine.stop)
        if self.library is not None:
            await self.funnel.in_thread(self.library.close)
        self.decoder.shutdown()


def run(path: Path | None = None) -> int:
    """Open the studio window (optionally with a spec or studio image) until it is closed."""
    import qasync

    if (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and not os.environ.get("QT_QPA_PLATFORM")
    ):
        print(
            "zi-studio: error: no display to open the window on; run it in a desktop session, "
            "or use a command (see 'zi-studio --help')",
            file=sys.stderr,
        )
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Zi Studio")
    app.setOrganizationName("zi-studio")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    studio = Studio(StudioPaths.from_environment())
    done = loop.create_future()

    async def close() -> None:
        try:
            await studio.stop()
        finally:
            if not done.done():
                done.set_result(0)

    studio.window.closing.connect(lambda: studio.funnel.run_task(close()))
    studio.window.use_local_requested.connect(
        lambda: studio.funnel.run_task(studio.use_engine(key=None, local=True))
    )
    # The Settings dialog connects here: studio.window.settings_requested.
    studio.window.show()
    QTimer.singleShot(0, lambda: studio.funnel.run_task(studio.start(open_path=path)))
    with loop:
        return int(loop.run_until_complete(done))
