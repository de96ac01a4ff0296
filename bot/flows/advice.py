"""Two topics around the plan: questions worth asking next time, and when to follow up."""

from __future__ import annotations

from bot.flows.base import Ctx, action, registry

QUESTIONS = """Good questions for your next interview. Pick two or three you really want answered:
• What would success look like in this role after three months?
• What's the biggest challenge the team is working on right now?
• How does the team share feedback and measure progress?
• What does a typical week look like for the person in this role?
• What do you enjoy most about working here?
• Is there anything in my background you'd like me to say more about?
Asking about their work shows you're already picturing yourself doing it."""

FOLLOW_UP = """Heard nothing yet? That's common: hiring nearly always takes longer than planned.
• If they gave you a date, wait one or two working days past it.
• If they didn't, about a week after the interview is right.
• Send one short, friendly follow-up: your interest, a question about the timeline, nothing more.
• Still quiet a week later? One last gentle note, then put your energy into other applications. Silence says more about their process than about you."""


@registry.command("questions", "questions to ask", "what should i ask", "what to ask",
                  "interview questions", "good questions")
def questions(ctx: Ctx, _args: str) -> None:
    """Questions worth asking at the next interview."""
    ctx.say(QUESTIONS)
    _resume(ctx)


@registry.command("follow up", "should i follow up", "when to follow up",
                  "when should i follow up", "heard nothing", "no news", "still no news")
def follow_up(ctx: Ctx, _args: str) -> None:
    """Whether and when to follow up after silence, with a draft one tap away."""
    ctx.say(FOLLOW_UP, buttons=[action("ln", "follow-up", label="Draft a follow-up")])
    _resume(ctx)


def _resume(ctx: Ctx) -> None:
    """Advice is a detour: show the question the user was on, if any."""
    flow = registry.flows.get(ctx.user.state.flow) if ctx.user.state.flow else None
    if flow is not None:
        flow.prompt(ctx, note="Back to where we were:")
