"""The composition root: the one QApplication, the qasync loop, the models, the window, the engine.

The settings are read on a worker thread while the QApplication is made (the language, theme and
UI font must be set before the first widget); the window is shown next; then, off the GUI thread,
the key (keyring), the library and the engine are loaded, and the SDK is imported on the engine's
own thread (it takes most of a second). Nothing else in the studio builds these objects or reads
the environment for them.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from app.core.messages import MessageBridge
from app.engine.runner import EngineRunner
from app.model.api_key_model import ApiKeyModel
from app.model.batch_model import BatchModel
from app.model.builder import BuilderModel
from app.model.connection_test import ConnectionTester
from app.model.document import SpecDocument
from app.model.edit_session import EditSession
from app.model.gallery import GalleryModel
from app.model.generation import EngineInfo, Generator
from app.model.images import ImageDecoder
from app.model.job_queue import JobQueueModel
from app.model.layout_board import LayoutBoardModel
from app.model.message_relay import MessageRelay
from app.model.preview import PreviewModel
from app.model.retypeset import Retypesetter
from app.model.series_model import SeriesModel
from app.model.service_profiles import ServiceProfileModel
from app.model.settings_model import SettingsModel
from app.model.settings_model import load_settings as load_settings_file
from app.model.tasks import TaskFunnel, background_priority
from app.model.text_checks import TextChecks
from app.model.text_fix import TextFixer
from app.model.versions import VersionImages
from app.store.paths import StudioPaths
from app.store.settings import Settings, SettingsFile
from app.ui.batch_panel import BatchPanel
from app.ui.fidelity_controls import FidelityControls
from app.ui.i18n import install_translators, ui_language
from app.ui.main_window import MainWindow
from app.ui.series_panel import SeriesPanel
from app.ui.theme import Theme
from app.ui.ui_font import install_cjk_fallback

SWITCH_INTERVAL = 0.001
EDITED_KEY = "edit/image"  # the image whose version tree the edit panel showed last
LIBRARY_REFRESH_MS = 400  # after a job's progress, the library view reloads (batched)


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
        self.settings_model = SettingsModel(
            settings or Settings(), SettingsFile(paths.settings_file)
        )
        self.api_key = ApiKeyModel()
        self.tester = ConnectionTester(lambda coroutine: self.ensure_engine().submit(coroutine))
        self.messages = MessageBridge()
        self.funnel = TaskFunnel(self.messages)
        self.builder = BuilderModel()
        self.builder.reset(**self.defaults())
        self.preview = PreviewModel(
            self.builder,
            partial_images=self.settings.partial_images,
            price_overrides=self.settings.prices,
        )
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
            concurrency=self.settings.concurrency,
        )
        self.generator.monthly_budget_usd = self.settings.monthly_budget_usd
        self.edits = EditSession(
            self.funnel, self.generator, VersionImages(self.decoder),
            masks_dir=paths.data_dir / "masks",
            references=lambda: self.builder.spec().references,
            partial_images=lambda: self.settings.partial_images,
        )  # fmt: skip
        self.relay = MessageRelay(self.messages)
        self._profiles: Any = None  # the store's ServiceProfiles, loaded on first use
        self._runner: Any = None  # the JobRunner of the open service
        self.service_profile = ServiceProfileModel(
            self.funnel, self._read_profile, self._forget_profile
        )
        self.layout_board = LayoutBoardModel(self.builder)
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
            layout_board=self.layout_board,
            edits=self.edits,
        )
        self._build_library_parts(paths)
        self.text_checks = TextChecks(
            self.funnel,
            self.messages,
            library=lambda: self.library,
            enabled=self.settings.check_text_after_generation,
        )
        self.text_checks.watch(self.gallery)
        self.fixer = TextFixer(
            self.funnel,
            self.messages,
            self.generator,
            self.text_checks,
            mask_dir=paths.cache_dir / "masks",
        )
        self.fidelity = FidelityControls(
            self.window.gallery_page, self.text_checks, self.fixer, self.window.tabs
        )
        self.retypesetter = Retypesetter(
            self.funnel, self.builder, self.gallery,
            library=lambda: self.library, current_tile=self.window.gallery_page.current_tile,
        )  # fmt: skip
        self.retypesetter.saved.connect(self._retypeset)
        self.rows = BatchModel(
            self.funnel, self.messages, self.builder.spec, self.gallery,
            concurrency=self.settings.rows_at_once,
            partial_images=lambda: self.settings.partial_images,
        )  # fmt: skip
        self.rows_panel = BatchPanel(self.rows)
        self.rows_dock = self.window.add_rows_panel(self.rows_panel)
        self.series = SeriesModel(self.funnel)
        self.series_panel = SeriesPanel(self.series)
        self.series_dock = self.window.add_series_panel(self.series_panel)
        self.window.restore_state()  # every dock is in: each goes back where it was
        self.relay.start()
        self.engine: EngineRunner | None = None
        self.batch_client: Any = None
        self.library: Any = None
        self.service: Any = None
        self.settings_dialog: Any = None
        self._opened_with: tuple[object, ...] | None = None  # what the service was opened for
        self.local_server: Any = None
        self.edits.follow_profile(lambda: getattr(self.service, "profile", None))
        self.edits.tree_changed.connect(self._remember_edits)
        self.gallery.favourite_changed.connect(self._favourite)
        self.window.settings_requested.connect(self.open_settings)
        self.settings_model.changed.connect(self._settings_changed)
        self.settings_model.save_failed.connect(
            lambda reason: self.messages.error("settings.save_failed", detail=reason)
        )
        self.api_key.source_changed.connect(self._key_changed)

    def _build_library_parts(self, paths: StudioPaths) -> None:
        """References, export, the library view, re-run and drops (issue 11's window parts)."""
        from app.model.drops import Restorer
        from app.model.exporting import Exporter
        from app.model.library_model import LibraryModel
        from app.model.references import ReferencesModel
        from app.model.rerun import JobResumer
        from app.ui.library_ui import LibraryParts

        library = lambda: self.library  # noqa: E731 (opened after the window shows)
        self.references = ReferencesModel(
            self.builder, self.preview, self.funnel, paths.references_dir
        )
        self.exporter = Exporter(self.funnel, library)
        self.library_view = LibraryModel(self.funnel, library, paths.thumbnails_dir)
        self.restorer = Restorer(self.funnel, self.document, self.gallery, library)
        self.resumer = JobResumer(
            self.funnel, self.messages, self.queue, self.gallery, self.generator, library
        )
        self.library_parts = LibraryParts(
            self.window, references=self.references, exporter=self.exporter,
            library=self.library_view, restorer=self.restorer, funnel=self.funnel,
            state=self.window_state,
        )  # fmt: skip
        panel = self.library_parts.library_panel
        panel.rerun_requested.connect(self.resumer.rerun)
        self.resumer.resumed.connect(lambda _: self.library_view.refresh())
        self.gallery.discarded.connect(lambda image_id: self._trash(image_id, True))
        self.gallery.undiscarded.connect(lambda image_id: self._trash(image_id, False))
        self.gallery.favourite_changed.connect(self.library_view.favourite_changed_elsewhere)
        self._library_refresh = QTimer(self.window)
        self._library_refresh.setSingleShot(True)
        self._library_refresh.setInterval(LIBRARY_REFRESH_MS)
        self._library_refresh.timeout.connect(self.library_view.refresh)
        self.queue.dataChanged.connect(lambda *_: self._library_refresh.start())

    def _retypeset(self, key: object, record: Any) -> None:
        """A new version of an exact-text image: into the library view, and read back like
        every new image."""
        self.library_view.refresh()
        if self.text_checks.enabled:
            self.text_checks.check(record.id, record.path)

    def _trash(self, image_id: int, into: bool) -> None:
        """A discarded gallery image goes to the library's trash; undo takes it out again."""
        library = self.library
        if library is None:
            return
        move = library.trash_image if into else library.restore_image

        async def moved() -> None:
            await self.funnel.in_thread(move, image_id)
            self.library_view.refresh()

        self.funnel.run_task(moved(), failure_code="store.failed")

    @property
    def settings(self) -> Settings:
        return self.settings_model.settings

    def follow_theme(self, theme: Theme) -> None:
        """Switch ``theme`` whenever the settings' theme changes."""
        self.settings_model.theme_changed.connect(theme.set_choice)

    def ensure_engine(self) -> EngineRunner:
        """The engine's loop thread, started on first use (a settings test may come first)."""
        if self.engine is None:
            self.engine = EngineRunner().start()
            loop = self.engine.loop
            loop.call_soon_threadsafe(background_priority)
            # Decoding, checking and saving the answers (to_thread) yield to the GUI thread too.
            workers = concurrent.futures.ThreadPoolExecutor(
                thread_name_prefix="zi-engine-work", initializer=background_priority
            )
            loop.call_soon_threadsafe(loop.set_default_executor, workers)
            self.funnel.engine = self.engine
        return self.engine

    def open_settings(self) -> None:
        """Ctrl+,: the settings dialog, over the window, not blocking it."""
        from app.core.models import known_models
        from app.model.price_table import PriceTableModel
        from app.ui.settings_dialog import SettingsDialog

        if self.settings_dialog is None:
            models = tuple(name for name in known_models() if not name.endswith("*"))
            self.settings_dialog = SettingsDialog(
                self.settings_model, self.api_key, self.tester, models=models,
                service=self.service_profile, prices=PriceTableModel(), parent=self.window,
            )  # fmt: skip
        self.settings_dialog.load()
        self.api_key.refresh()
        self.settings_dialog.open()

    async def profiles(self) -> Any:
        """What each service can do (``service-profiles.json``), read off the GUI thread once;
        the engine learns into the same book, so the settings page shows what it learned."""
        if self._profiles is None:
            from app.store.profiles import ServiceProfiles, profiles_file

            loaded = await self.funnel.in_thread(ServiceProfiles, profiles_file(self.paths))
            if self._profiles is None:
                self._profiles = loaded
        return self._profiles

    async def _read_profile(self, base_url: str | None) -> dict[str, bool]:
        book = await self.profiles()
        return dict(book.get(base_url).known)

    async def _forget_profile(self, base_url: str | None) -> None:
        book = await self.profiles()

        async def forget() -> None:  # where the engine learns: one writer of the file
            book.forget(base_url)

        await self.funnel.on_engine(forget())

    def _engine_wish(self, key_present: bool) -> tuple[object, ...]:
        s = self.settings
        return (s.engine, s.service_base_url, s.timeout_seconds, s.max_retries, key_present)

    def _settings_changed(self) -> None:
        self.rows.concurrency = self.settings.rows_at_once
        self.rows.limits = (self.settings.batch_max_requests, self.settings.batch_max_bytes)
        self.generator.spending_cap_usd = self.settings.spending_cap_usd
        self.generator.monthly_budget_usd = self.settings.monthly_budget_usd
        self.text_checks.enabled = self.settings.check_text_after_generation
        self.generator.concurrency = self.settings.concurrency
        self._follow_prices()
        if self._opened_with is not None:
            key_present = bool(self._opened_with[-1])
            if self._engine_wish(key_present) != self._opened_with:
                self.funnel.run_task(self._reopen_engine(), failure_code="engine.failed")

    def _follow_prices(self) -> None:
        """Estimates and actual costs use the settings' partial images and prices at once."""
        settings = self.settings
        if (self.preview.partial_images, self.preview.price_overrides) != (
            settings.partial_images,
            settings.prices,
        ):
            self.preview.partial_images = settings.partial_images
            self.preview.price_overrides = settings.prices
            self.preview.recompute()
        if self._runner is not None:
            self._runner.price_overrides = settings.prices

    def _key_changed(self, source: str) -> None:
        known = source in ("keyring", "environment", "none")
        if known and self._opened_with not in (None, self._engine_wish(source != "none")):
            self.funnel.run_task(self._reopen_engine(), failure_code="engine.failed")

    async def _reopen_engine(self) -> None:
        from app.store.secrets import load_key

        await self.use_engine(key=await self.funnel.in_thread(load_key))

    def defaults(self) -> dict[str, str]:
        s = self.settings
        return {"model": s.model, "quality": s.default_quality, "tier": s.default_tier}

    async def start(self, *, open_path: Path | None = None, load_settings: bool = True) -> None:
        """After the window is shown: restore the spec, then load the engine off the GUI thread."""
        await self.document.start(open_path=open_path)
        if load_settings:
            loaded = await self.funnel.in_thread(load_settings_file, self.paths.settings_file)
            self.settings_model.reload(loaded.settings)
            for warning in loaded.warnings:
                self.messages.warning("settings.reset", detail=warning)
        self.generator.spending_cap_usd = self.settings.spending_cap_usd
        self.generator.monthly_budget_usd = self.settings.monthly_budget_usd
        self.generator.concurrency = self.settings.concurrency
        self._follow_prices()
        self.text_checks.enabled = self.settings.check_text_after_generation
        from app.store.library import Library
        from app.store.secrets import load_key

        key = await self.funnel.in_thread(load_key)
        self.library = await self.funnel.in_thread(Library.open, self.paths)
        self.generator.spent_this_month = self.library.spent_this_month
        self.edits.attach_library(self.library)
        self.reopen_edits()
        if self.library.recovered:
            self.messages.warning("library.recovered", count=len(self.library.recovered))
        self.library_view.refresh()
        self.ensure_engine()
        await self.use_engine(key=key)

    async def use_engine(self, *, key: str | None, local: bool = False) -> None:
        """Open the service (local, or the one the settings and key name) on the engine's loop.

        The embedded engine runs in a child process (``serve-local``): its drafting holds the
        interpreter lock too long to share a process with the GUI thread."""
        settings = self.settings
        base_url = settings.service_base_url
        chosen_local = settings.engine == "local"
        asked = "local" if local or chosen_local else None
        self._opened_with = self._engine_wish(key is not None)

        async def choose() -> Any:
            from app.engine.connect import choose_engine  # the SDK loads here, on the engine

            return choose_engine(
                asked=asked, key=key, base_url=base_url, base_url_flag=base_url is not None
            )

        choice = await self.funnel.on_engine(choose())
        profiles = None if choice.engine == "local" else await self.profiles()
        service_choice = choice
        if choice.engine == "local":
            if self.local_server is None:
                from app.engine.local_process import start_local_server

                self.local_server = await self.funnel.in_thread(start_local_server)
            service_choice = dataclasses.replace(
                choice, engine="remote", base_url=self.local_server.base_url
            )

        async def open_on_engine() -> tuple[Any, Any, Any]:
            from app.engine.connect import open_batch_client, open_service
            from app.jobs.run import JobRunner
            from app.store.records import engine_label

            service = open_service(
                service_choice,
                key=None if choice.engine == "local" else key,  # the child needs no real key
                timeout=settings.timeout_seconds,
                max_retries=settings.max_retries,
                profiles=profiles,
            )
            runner = JobRunner(
                service=service,
                library=self.library,
                engine_label=engine_label(choice.engine, choice.base_url),
                billed=choice.engine != "local",
                price_overrides=settings.prices,
                send_spec=choice.engine == "local",  # only ever the studio's own engine
            )
            batches = open_batch_client(
                service_choice,
                key=None if choice.engine == "local" else key,
                timeout=settings.timeout_seconds,
                max_retries=settings.max_retries,
            )
            return service, runner, batches

        old, old_batches = self.service, self.batch_client
        self.service, runner, self.batch_client = await self.funnel.on_engine(open_on_engine())
        self._runner = runner
        if old is not None:
            await self.funnel.on_engine(old.close())
        if old_batches is not None:
            await self.funnel.on_engine(old_batches.close())
        from app.store.records import engine_label

        label = engine_label(choice.engine, choice.base_url)
        billed = choice.engine != "local"
        self.rows.set_engine(runner, self.batch_client, self.library, label, billed)
        self.series.set_engine(runner)
        if old is None:
            self.rows.resume_batches()  # batches a closed window or a stopped command left
        info = _engine_info(choice.engine, choice.base_url)
        if info.local and (local or chosen_local):
            info = EngineInfo("local", chosen=True)
        self.generator.set_engine(runner, info)
        if info.local and not (local or chosen_local):
            self.messages.info("engine.local")

    def reopen_edits(self) -> None:
        """The edit panel shows again the version tree it showed when the studio closed."""
        shown = self.window_state.value(EDITED_KEY)
        if isinstance(shown, int | str) and str(shown).isdigit():
            self.edits.open_tree(int(shown))

    def _remember_edits(self, tree: object) -> None:
        current = getattr(tree, "current_id", None)
        if current is not None:
            self.window_state.setValue(EDITED_KEY, current)

    def _favourite(self, image_id: int, favourite: bool) -> None:
        if self.library is not None:
            self.funnel.run_task(
                self.funnel.in_thread(self.library.set_favourite, image_id, favourite),
                failure_code="store.failed",
            )

    async def stop(self) -> None:
        """Cancel what runs, close the spec cleanly (no autosave left), stop the engine."""
        self.generator.cancel_all()
        await self.retypesetter.close()  # a text changed just before closing is kept
        self._library_refresh.stop()
        self.library_view.shutdown()  # no more reads: the library closes below
        await self.text_checks.close()
        self.window_state.sync()
        await self.document.close()
        self.rows.cancel()
        self.series.cancel()
        if self.service is not None and self.engine is not None:
            await self.funnel.on_engine(self.service.close())
        if self.batch_client is not None and self.engine is not None:
            batches, self.batch_client = self.batch_client, None  # a second stop has none left
            await self.funnel.on_engine(batches.close())
        if self.engine is not None:
            await self.funnel.in_thread(self.engine.stop)
        if self.local_server is not None:
            await self.funnel.in_thread(self.local_server.stop)
            self.local_server = None
        if self.library is not None:
            await self.funnel.in_thread(self.library.close)
        self.settings_model.save_now()  # a pending change is written, off this thread
        await self.funnel.in_thread(self.settings_model.close)
        await self.funnel.in_thread(self.api_key.close)
        self.decoder.shutdown()
        self.layout_board.shutdown()


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
    # Threads running Python code hand the interpreter lock over every 1 ms instead of 5 ms,
    # so the GUI thread waits less for it while the engine streams (bench_window.py).
    sys.setswitchinterval(SWITCH_INTERVAL)
    paths = StudioPaths.from_environment()
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="zi-start") as pool:
        reading = pool.submit(load_settings_file, paths.settings_file)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        loaded = reading.result()
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)  # the loop ends once the studio has stopped cleanly
    app.setApplicationName("Zi Studio")
    app.setOrganizationName("zi-studio")
    theme, translators = set_up_look(app, loaded.settings)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    studio = Studio(paths, settings=loaded.settings)
    for warning in loaded.warnings:
        studio.messages.warning("settings.reset", detail=warning)
    studio.follow_theme(theme)
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
    studio.window.show()
    QTimer.singleShot(
        0, lambda: studio.funnel.run_task(studio.start(open_path=path, load_settings=False))
    )
    with loop:
        code = int(loop.run_until_complete(done))
    del translators  # kept alive until here
    return code


def set_up_look(app: QApplication, settings: Settings) -> tuple[Theme, list[QTranslator]]:
    """Before the first widget: the UI font's CJK fallback, the language and the theme."""
    from app.typeset.fonts import packaged_font_path

    install_cjk_fallback(app, packaged_font_path())
    translators = install_translators(app, ui_language(settings.language))
    return Theme(app, settings.theme), translators
