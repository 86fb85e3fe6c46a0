"""Readers for the OCR worker in tests: the real one with the network cut, and scripted fakes.

The worker process imports these by name (``spawn``), so they live at module level.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from app.core.fidelity import ReadLine
from app.core.spec import Box
from app.ocr.reader import Reader, ReadError
from app.ocr.worker import ImageReader


def _no_network(*args: Any, **kwargs: Any) -> NoReturn:
    raise AssertionError("the OCR engine tried to use the network")


def offline_reader() -> ImageReader:
    """The real engine in a process whose every network connection fails loudly."""
    socket.socket.connect = _no_network  # type: ignore[method-assign]
    socket.socket.connect_ex = _no_network  # type: ignore[method-assign]
    socket.create_connection = _no_network
    socket.getaddrinfo = _no_network
    return Reader()


class ScriptedReader:
    """Reads every image as the text of its bytes (UTF-8), one line; bytes starting with a
    command do something else: ``crash`` kills the process, ``crash-once:PATH`` kills it unless
    PATH exists (and creates it), ``bad`` is an unreadable image, ``bug`` raises, ``modules``
    names the test process's modules found loaded here."""

    def read(
        self, image_bytes: bytes, boxes: Sequence[Box] = ()
    ) -> tuple[list[ReadLine], tuple[int, int]]:
        text = image_bytes.decode("utf-8")
        if text == "crash":
            os._exit(3)
        if text.startswith("crash-once:"):
            marker = Path(text.removeprefix("crash-once:"))
            if not marker.exists():
                marker.write_text("crashed")
                os._exit(3)
            text = "有机绿茶"
        if text == "bad":
            raise ReadError("The file is not an image that can be read (PNG, WebP or JPEG).")
        if text == "modules":  # what this process has loaded that a fresh interpreter has not
            loaded = [name for name in ("_pytest", "PySide6", "hypothesis") if name in sys.modules]
            text = " ".join(loaded) or "clean"
        if text == "bug":
            raise ZeroDivisionError("division by zero")
        return [ReadLine(text, (0, 0, 40 * len(text), 40), 1.0)], (1024, 1024)


def scripted_reader() -> ImageReader:
    return ScriptedReader()


def broken_reader() -> ImageReader:
    raise ModuleNotFoundError("No module named 'onnxruntime'")
