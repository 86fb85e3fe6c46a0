"""The OCR text check (DESIGN §6): images read back in a worker process, then scored."""

from app.ocr.worker import OcrError, OcrWorker

__all__ = ["OcrError", "OcrWorker"]
