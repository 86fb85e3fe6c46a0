"""``zi-studio prompt`` and ``zi-studio estimate``: what would be sent, and what it would cost."""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.cli.errors import CommandError, Exit, say_warning
from app.cli.settings_defaults import load_settings, partial_images
from app.cli.spec_flags import add_spec_flags, spec_from_args
from app.core.cost import format_usd
from app.core.plan import Plan, PlanError, plan_generation
from app.core.text_check import printable


def register(commands: Any) -> None:
    prompt = commands.add_parser("prompt", help="print the compiled prompt")
    add_spec_flags(prompt)
    prompt.set_defaults(handler=run_prompt)
    estimate = commands.add_parser("estimate", help="estimate the cost; sends nothing")
    add_spec_flags(estimate)
    estimate.add_argument(
        "--partial-images",
        type=int,
        metavar="N",
        help="count N streamed previews per image, 0..3 (default: the settings', else 0)",
    )
    estimate.add_argument("--json", action="store_true", help="one JSON object")
    estimate.set_defaults(handler=run_estimate)


def checked_plan(args: argparse.Namespace) -> Plan:
    settings = load_settings()
    spec = spec_from_args(args, settings=settings)
    try:
        plan = plan_generation(
            spec,
            partial_images=partial_images(args, settings),
            price_overrides=settings.settings.prices,
        )
    except PlanError as error:
        raise CommandError(str(error)) from None
    for warning in plan.warnings:
        say_warning(warning)
    return plan


def run_prompt(args: argparse.Namespace) -> int:
    print(printable(checked_plan(args).prompt.text))
    return int(Exit.DONE)


def estimate_json(plan: Plan) -> dict[str, Any]:
    cost = plan.cost
    return {
        "size": plan.request.size,
        "model": cost.model,
        "quality": plan.request.quality,
        "n": cost.n,
        "input_tokens": cost.input_tokens,
        "input_tokens_details": {
            "text_tokens": cost.text_tokens,
            "image_tokens": cost.image_tokens,
        },
        "input_tokens_estimated": cost.input_approximate,
        "output_tokens": cost.output_tokens,
        "output_tokens_per_image": cost.output_tokens_per_image,
        "output_tokens_estimated": cost.output_approximate,
        "partial_images": plan.request.partial_images,
        "partial_image_tokens": cost.partial_image_tokens,
        "requests": cost.requests,
        "usd": None if cost.usd is None else round(cost.usd, 6),
        "price_source": cost.price_source or None,
        "notes": list(cost.notes),
    }


def run_estimate(args: argparse.Namespace) -> int:
    plan = checked_plan(args)
    if args.json:
        print(json.dumps(estimate_json(plan), ensure_ascii=False))
        return int(Exit.DONE)
    cost = plan.cost
    images = "image" if cost.n == 1 else "images"
    print(f"{cost.model}, {plan.request.size}, quality {plan.request.quality}, {cost.n} {images}")
    approx = "~" if cost.input_approximate else ""
    print(f"input tokens:  {approx}{cost.input_tokens:,} (estimate)")
    per_image = f"{cost.output_tokens_per_image:,} per image"
    if cost.partial_image_tokens:
        per_image += f", {cost.partial_image_tokens:,} for partial images"
    print(f"output tokens: {cost.output_tokens:,} ({per_image})")
    source = f" (prices: {cost.price_source})" if cost.price_source else ""
    print(f"cost:          {format_usd(cost.usd)}{source}")
    for note in cost.notes:
        print(f"  note: {note}")
    return int(Exit.DONE)
