"""The embedded local engine: an OpenAI-compatible image server as an ASGI application.

Routes: ``POST /v1/images/generations`` (JSON) and ``POST /v1/images/edits`` (multipart: one
image as ``image``, several as repeated ``image[]``, an optional ``mask``). Requests, responses,
stream events and errors follow the official shapes; any bearer token is accepted. Its images
are local drafts: the required texts typeset exactly over a scene derived from the description.
"""

from __future__ import annotations

import asyncio
import base64
import json
import secrets
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.core.models import known_models
from app.engine.local.batches import BatchStore, FileReader
from app.engine.local.errors import ApiError, invalid
from app.engine.local.faults import Fault, FaultPlan
from app.engine.local.inputs import Upload, json_edit_images
from app.engine.local.job import LAYOUT_HEADER, prepare
from app.engine.local.limits import MAX_FORM_BODY, MAX_JSON_BODY, BodyLimit
from app.engine.local.params import Kind, draft_request, form_value, json_fields
from app.engine.local.wire import error_response, fault_error, json_response, sse_response
from app.typeset.fonts import default_family, ensure_gui_application

_IMAGE_FIELDS: Final = ("image", "image[]")
EDITS_ENDPOINT: Final = "/v1/images/edits"
_MAX_FIELD_BYTES: Final = 4 * 1024 * 1024  # far above the prompt limit, so that check speaks


async def _edit_fields(request: Request) -> tuple[dict[str, object], list[Upload], Upload | None]:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise invalid(
            "The local engine takes edits as multipart/form-data (images as files), not "
            f"{content_type.split(';')[0] or 'an empty body'}.",
            None,
            "unsupported_content_type",
        )
    fields: dict[str, object] = {}
    images: list[Upload] = []
    mask: Upload | None = None
    async with request.form(max_part_size=_MAX_FIELD_BYTES) as form:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                upload = Upload(await value.read(), value.filename, value.content_type)
                if name in _IMAGE_FIELDS:
                    images.append(upload)
                elif name == "mask":
                    mask = upload
                else:
                    fields[name] = None  # other files (markup) are accepted and not used
            elif name in (*_IMAGE_FIELDS, "mask"):
                raise invalid(f"Invalid '{name}': expected a file, not a text field.", name)
            else:
                fields[name] = form_value(name, value)
    return fields, images, mask


_KEPT_LINKED_IMAGES: Final = 64  # images answered as links (``url_answer``), newest kept


def _gateway_refusal(fault: Fault, kind: Kind, fields: Mapping[str, object]) -> ApiError | None:
    """What a gateway that lacks something answers, when the request uses it."""
    if fault.kind == "refuse_stream" and fields.get("stream") in (True, "true"):
        return ApiError(400, "Unsupported parameter: 'stream'.", param="stream",
                        code="unsupported_parameter")  # fmt: skip
    if fault.kind == "refuse_partial_images" and "partial_images" in fields:
        return ApiError(400, "Unknown parameter: 'partial_images'.", param="partial_images",
                        code="unknown_parameter")  # fmt: skip
    if fault.kind == "no_edits" and kind == "edit":
        return ApiError(404, "Invalid URL (POST /v1/images/edits)")
    if fault.kind == "one_image" and isinstance(fields.get("n"), int) and fields["n"] != 1:
        return ApiError(400, "Invalid 'n': this service makes one image per request; n must be 1.",
                        param="n")  # fmt: skip
    return None


class _Engine:
    def __init__(self, faults: FaultPlan) -> None:
        self.faults = faults
        self.linked: OrderedDict[str, bytes] = OrderedDict()

    async def models(self, request: Request) -> Response:
        """``GET /v1/models``: a free request for connection tests."""
        names = [name for name in known_models() if not name.endswith("*")]
        data = [{"id": name, "object": "model", "created": 0, "owned_by": "zi-studio-local"}
                for name in names]  # fmt: skip
        return Response(json.dumps({"object": "list", "data": data}), media_type="application/json")

    async def linked_image(self, request: Request) -> Response:
        data = self.linked.get(request.path_params["name"])
        if data is None:
            raise HTTPException(404)
        return Response(data, media_type="application/octet-stream")

    def _as_links(self, body: dict[str, Any], base_url: str) -> dict[str, Any]:
        items = []
        for item in body["data"]:
            name = secrets.token_hex(8)
            self.linked[name] = base64.b64decode(item["b64_json"])
            while len(self.linked) > _KEPT_LINKED_IMAGES:
                self.linked.popitem(last=False)
            items.append({"url": f"{base_url}v1/zi/linked/{name}"})
        return {**body, "data": items}

    async def batch_line(
        self, url: str, body: Mapping[str, Any], read_file: FileReader
    ) -> tuple[int, dict[str, Any]]:
        """One line of a batch answered as a whole (a fault counts per line): a generation, or
        an edit in the JSON edit body, its images read from the files kept for the batch."""
        fault = self.faults.take()
        if fault is not None and fault.kind == "delay":
            await asyncio.sleep(fault.seconds)
            fault = None
        if fault is not None:
            model = body.get("model")
            error = fault_error(fault, model if isinstance(model, str) else "gpt-image-2")
            if error is not None:
                return error.status, error.body()
        try:
            images: list[Upload] = []
            mask: Upload | None = None
            kind: Kind = "generate"
            if url == EDITS_ENDPOINT:
                kind = "edit"
                body = dict(body)
                images, mask = await asyncio.to_thread(
                    json_edit_images, body.pop("images", None), body.pop("mask", None), read_file
                )
            checked = draft_request(kind, body)
            if checked.stream:
                raise invalid("Invalid 'stream': a batch request cannot stream.", "stream")
            job = await asyncio.to_thread(prepare, checked, images, mask)
            return 200, await job.response()
        except ApiError as error:
            return error.status, error.body()

    async def generations(self, request: Request) -> Response:
        fields = json_fields(await request.body())
        return await self._answer(request, "generate", fields, [], None)

    async def edits(self, request: Request) -> Response:
        fields, images, mask = await _edit_fields(request)
        return await self._answer(request, "edit", fields, images, mask)

    async def _answer(
        self,
        request: Request,
        kind: Kind,
        fields: Mapping[str, object],
        images: list[Upload],
        mask: Upload | None,
    ) -> Response:
        fault = self.faults.take()
        if fault is not None and fault.kind == "delay":
            if not await _wait_unless_gone(request, fault.seconds):
                return Response(status_code=499)  # nobody is listening any more
            fault = None
        if fault is not None:
            model = fields.get("model")
            error = fault_error(fault, model if isinstance(model, str) else "gpt-image-2")
            if error is None:
                error = _gateway_refusal(fault, kind, fields)
            if error is not None:
                raise error
        checked = draft_request(kind, fields)
        job = await asyncio.to_thread(prepare, checked, images, mask)
        gateway = fault.kind if fault is not None else None
        if checked.stream and gateway not in ("plain_json", "url_answer"):
            response = sse_response(job.events(self.faults), fault, checked.n)
        elif gateway == "url_answer":
            body = self._as_links(await job.response(), str(request.base_url))
            response = json_response(body, None)
        else:
            response = json_response(await job.response(), fault)
        if (layout := job.layout_header()) is not None:
            response.headers[LAYOUT_HEADER] = layout
        return response


async def _wait_unless_gone(request: Request, seconds: float) -> bool:
    """Wait ``seconds``; ``False`` as soon as the client has disconnected (a client that timed
    out), so a slow answer does not outlive its request."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while (left := deadline - loop.time()) > 0:
        if await request.is_disconnected():
            return False
        await asyncio.sleep(min(left, 0.2))
    return True


async def _api_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ApiError)
    return error_response(error)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if error.status_code == 404:
        message = f"Invalid URL ({request.method} {request.url.path})"
    elif error.status_code == 405:
        message = f"Method {request.method} is not allowed for {request.url.path}; use POST."
    else:
        message = str(error.detail)
    answer = error_response(ApiError(error.status_code, message))
    answer.headers.update(error.headers or {})
    return answer


async def _server_error(request: Request, error: Exception) -> Response:
    body = ApiError(
        500,
        f"The local engine failed while drafting: {type(error).__name__}.",
        type="server_error",
    ).body()
    return Response(json.dumps(body), status_code=500, media_type="application/json")


def create_app(
    *,
    faults: FaultPlan | None = None,
    max_json_body: int = MAX_JSON_BODY,
    max_form_body: int = MAX_FORM_BODY,
    batch_dir: Path | None = None,
) -> Starlette:
    """The engine as an ASGI app. Creates the QGuiApplication (offscreen without a display) if
    there is none, and loads the font, on the calling thread. Bodies over the limits get 413.
    With ``batch_dir`` it also serves files and batches, kept in that folder."""
    ensure_gui_application()
    default_family()
    engine = _Engine(faults if faults is not None else FaultPlan())
    routes = [
        Route("/v1/images/generations", engine.generations, methods=["POST"]),
        Route("/v1/images/edits", engine.edits, methods=["POST"]),
        Route("/v1/models", engine.models, methods=["GET"]),
        Route("/v1/zi/linked/{name}", engine.linked_image, methods=["GET"]),
    ]
    if batch_dir is not None:
        store = BatchStore(batch_dir, engine.batch_line)
        routes += [
            Route("/v1/files", store.upload, methods=["POST"]),
            Route("/v1/files/{file_id}", store.file, methods=["GET"]),
            Route("/v1/files/{file_id}/content", store.content, methods=["GET"]),
            Route("/v1/batches", store.create, methods=["POST"]),
            Route("/v1/batches/{batch_id}", store.retrieve, methods=["GET"]),
            Route("/v1/batches/{batch_id}/cancel", store.cancel, methods=["POST"]),
        ]
    handlers = {ApiError: _api_error, HTTPException: _http_error, Exception: _server_error}
    limits = Middleware(BodyLimit, json_bytes=max_json_body, form_bytes=max_form_body)
    return Starlette(routes=routes, exception_handlers=handlers, middleware=[limits])
