"""``zi-studio prompt`` and ``zi-studio estimate``: what would be sent, and what it would cost."""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.cli.errors import CommandError, Exit, say_warning
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
    estimate.add_argument("--json", action="store_true", help="one JSON object")
    estimate.set_defaults(handler=run_estimate)


def checked_plan(args: argparse.Namespace) -> Plan:
    spec = spec_from_args(args)
    try:
        plan = plan_generation(spec)
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
        "usd": None if cost.usd is None else round(cost.usd, 6),
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
    print(f"output tokens: {cost.output_tokens:,} ({cost.output_tokens_per_image:,} per image)")
    print(f"cost:          {format_usd(cost.usd)}")
    for note in cost.notes:
        print(f"  note: {note}")
    return int(Exit.DONE)
