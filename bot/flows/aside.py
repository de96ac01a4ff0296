"""Short side-questions (a setting, the forget-me confirmation) that pause the current flow."""

from __future__ import annotations

from typing import Any

from bot.flows.base import Ctx, registry

# Keys an aside keeps in `flow_data` to hand the paused flow back exactly as it was.
_RESUME_FLOW = "resume_flow"
_RESUME_DATA = "resume_data"


def enter(ctx: Ctx, name: str, data: dict[str, Any]) -> None:
    """Make flow `name` own the next message, remembering the flow it interrupts."""
    state = ctx.user.state
    if state.flow == name:
        # Re-asking the same aside keeps the original flow to return to.
        data = {**data, _RESUME_FLOW: state.flow_data.get(_RESUME_FLOW),
                _RESUME_DATA: state.flow_data.get(_RESUME_DATA, {})}
    else:
        data = {**data, _RESUME_FLOW: state.flow, _RESUME_DATA: state.flow_data}
    state.flow = name
    state.flow_data = data
    ctx.new_question()


def leave(ctx: Ctx, note: str | None = None) -> None:
    """End the aside: say `note` and hand the conversation back to the paused flow, if any."""
    state = ctx.user.state
    resume_flow = state.flow_data.get(_RESUME_FLOW)
    resume_data = state.flow_data.get(_RESUME_DATA) or {}
    state.flow = resume_flow if resume_flow in registry.flows else None
    state.flow_data = resume_data if state.flow else {}
    ctx.new_question()
    resume_after(ctx, note)


def resume_after(ctx: Ctx, note: str | None = None) -> None:
    """Say `note`, then re-ask the active flow's question so the user knows where they are."""
    flow = registry.flows.get(ctx.user.state.flow) if ctx.user.state.flow else None
    if note:
        ctx.say(note)
    if flow is not None:
        flow.prompt(ctx, note="Back to where we were:")
