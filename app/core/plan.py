"""From a spec to the exact request: size, prompt, parameters checked, cost estimated.

Everything that can be known before anything is sent is worked out here, so the command line and
the window refuse bad input the same way and show the same estimate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.core.compiler import CompiledPrompt, compile_edit_prompt, compile_prompt
from app.core.cost import CostEstimate, estimate
from app.core.models import ModelError
from app.core.params import RequestValidationError, check_params
from app.core.request import ImageRequest
from app.core.sizes import Size, SizeError, parse_size, size_for_ratio
from app.core.spec import Spec, TextBlock

DEFAULT_RATIO = "1:1"


class PlanError(ValueError):
    """Bad input found before sending: one message per problem, joined."""


@dataclass(frozen=True, slots=True)
class Plan:
    spec: Spec
    size: Size | None  # None: "auto"
    prompt: CompiledPrompt
    request: ImageRequest
    cost: CostEstimate
    warnings: tuple[str, ...]


def canvas_size(spec: Spec) -> Size | None:
    """The size a spec asks for (None for "auto"); raises PlanError with the nearest valid size."""
    try:
        if spec.size is not None:
            return parse_size(spec.size)
        return size_for_ratio(spec.ratio or DEFAULT_RATIO, spec.tier)
    except SizeError as error:
        raise PlanError(str(error)) from None


def request_params(request: ImageRequest) -> dict[str, object]:
    """The request as the API's parameter names, for validation."""
    params: dict[str, object] = {**request.api_params(), "partial_images": request.partial_images}
    if request.images:
        params["image"] = list(request.images)
    return params


def _plan(
    spec: Spec,
    prompt: CompiledPrompt,
    *,
    kind: str,
    images: tuple[str, ...],
    mask: str | None,
    partial_images: int,
    stream: bool,
    reference_sizes: Sequence[tuple[int, int]],
    size: Size | None,
    size_text: str,
    price_overrides: Mapping[str, object] | None,
    one_image_per_request: bool,
) -> Plan:
    request = ImageRequest(
        kind="edit" if kind == "edit" else "generate",
        prompt=prompt.text,
        model=spec.model,
        size=size_text,
        quality=spec.quality,
        n=spec.n,
        background=spec.background,
        output_format=spec.output_format,
        output_compression=spec.output_compression,
        stream=stream or partial_images > 0,
        partial_images=partial_images,
        images=images,
        mask=mask,
    )
    try:
        problems = check_params(request_params(request))
        cost = estimate(
            model=spec.model,
            prompt=prompt.text,
            width=None if size is None else size.width,
            height=None if size is None else size.height,
            quality=spec.quality,
            n=spec.n,
            reference_sizes=reference_sizes,
            partial_images=partial_images,
            one_image_per_request=one_image_per_request,
            price_overrides=price_overrides,
        )
    except RequestValidationError as error:
        raise PlanError(" ".join(p.message for p in error.problems if p.is_error)) from None
    except (ModelError, ValueError) as error:
        raise PlanError(str(error)) from None
    warnings = [*prompt.warnings, *(p.message for p in problems)]
    if size is not None and size.experimental:
        warnings.append(f"{size} is over 2560x1440: the service treats such sizes as experimental")
    return Plan(spec, size, prompt, request, cost, tuple(warnings))


def plan_generation(
    spec: Spec,
    *,
    partial_images: int = 0,
    stream: bool = False,
    reference_sizes: Sequence[tuple[int, int]] = (),
    price_overrides: Mapping[str, object] | None = None,
    one_image_per_request: bool = False,
) -> Plan:
    """The generation request for ``spec``, checked and costed. Raises PlanError.

    ``partial_images`` add their output tokens to the estimate; ``price_overrides`` are the
    user's prices (settings); ``one_image_per_request`` when the service cannot make n > 1.
    """
    size = canvas_size(spec)
    kind = "edit" if spec.references else "generate"
    return _plan(
        spec,
        compile_prompt(spec),
        kind=kind,
        images=spec.references,
        mask=None,
        partial_images=partial_images,
        stream=stream,
        reference_sizes=reference_sizes,
        size=size,
        size_text="auto" if size is None else str(size),
        price_overrides=price_overrides,
        one_image_per_request=one_image_per_request,
    )


def plan_edit(
    spec: Spec,
    *,
    instruction: str,
    image: str,
    blocks: Sequence[TextBlock],
    mask: str | None = None,
    partial_images: int = 0,
    stream: bool = False,
    input_sizes: Sequence[tuple[int, int]] = (),
    size: Size | None = None,
    price_overrides: Mapping[str, object] | None = None,
    one_image_per_request: bool = False,
) -> Plan:
    """An edit of ``image`` (plus the spec's references) that keeps ``blocks`` exact."""
    if not instruction.strip():
        raise PlanError("the edit instruction is empty: say what to change")
    return _plan(
        spec,
        compile_edit_prompt(instruction, blocks),
        kind="edit",
        images=(image, *spec.references),
        mask=mask,
        partial_images=partial_images,
        stream=stream,
        reference_sizes=input_sizes,
        size=size,
        size_text="auto" if size is None else str(size),
        price_overrides=price_overrides,
        one_image_per_request=one_image_per_request,
    )
