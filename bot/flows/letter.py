"""The letter command: pick a kind, fill a form, get a draft; variants, shorter, edit, sent; tone check."""

from __future__ import annotations

from bot.dates import format_date
from bot.flows.base import Answer, Ctx, OneQuestionFlow, action, registry
from bot.letters import (
    FormError, LetterFields, LetterKind, draft, fields_from_form, form_fields, required_missing,
    tone_check,
)
from bot.models import Button, FormRequest
from bot.store import checkins, interviews, letters
from bot.store.interviews import InterviewRecord

KIND_LABELS = {
    LetterKind.THANK_YOU: "Thank-you",
    LetterKind.SECOND_CHANCE: "Second chance",
    LetterKind.FOLLOW_UP: "Follow-up",
    LetterKind.AFTER_REJECTION: "After a rejection",
    LetterKind.REFERENCE_HEADS_UP: "Reference heads-up",
}
KIND_PURPOSE = {
    LetterKind.THANK_YOU: "thanks them and clears up what you'd answer better now",
    LetterKind.SECOND_CHANCE: "thanks them and asks for a second interview",
    LetterKind.FOLLOW_UP: "a polite nudge when the promised date has passed",
    LetterKind.AFTER_REJECTION: "gracious thanks, a request for feedback, the door left open",
    LetterKind.REFERENCE_HEADS_UP: "tells a reference how it went and what to stress",
}
CHECK_FLOW = "tonecheck"


def kind_buttons() -> list[Button]:
    """One button per letter kind."""
    return [action("ln", kind.value, label=KIND_LABELS[kind]) for kind in LetterKind]


@registry.command("letter", "letters new", "draft a letter", "write a letter", "new letter",
                  "draft letter")
def letter_command(ctx: Ctx, args: str) -> None:
    """`letter` alone asks which kind; `letter follow-up` goes straight to the form."""
    if not args.strip():
        ctx.say("Which letter shall we draft?\n" + "\n".join(
            f"• {KIND_LABELS[k]}: {KIND_PURPOSE[k]}" for k in LetterKind), buttons=kind_buttons())
        return
    kind = LetterKind.parse(args)
    if kind is None:
        ctx.say(f"I don't know a “{args.strip()[:40]}” letter. Which one did you mean?",
                buttons=kind_buttons())
        return
    _choose_interview(ctx, kind)


@registry.action("ln")
def new_letter_action(ctx: Ctx, parts: list[str]) -> None:
    """Kind buttons (`ln:<kind>`) and interview buttons (`ln:<kind>:<interview id or 0>`)."""
    kind = LetterKind.parse(parts[0]) if parts else None
    if kind is None:
        ctx.say("That button doesn't work any more. Say `letter` to start a fresh one.")
        return
    if len(parts) == 1:
        _choose_interview(ctx, kind)
        return
    record = None
    if parts[1].isdigit() and parts[1] != "0":
        record = interviews.get(ctx.db, ctx.key, int(parts[1]))
    _open_form(ctx, kind, record)


def _choose_interview(ctx: Ctx, kind: LetterKind) -> None:
    """Pre-fill from the interview it's for; ask which when there are several."""
    known = [r for r in interviews.list_for_user(ctx.db, ctx.key) if r.debrief.company]
    if len(known) <= 1:
        _open_form(ctx, kind, known[0] if known else None)
        return
    buttons = [action("ln", kind.value, r.id, label=r.debrief.title[:80]) for r in known[-4:]]
    buttons.append(action("ln", kind.value, 0, label="Another interview"))
    ctx.say(f"Which interview is the {KIND_LABELS[kind].lower()} letter for?", buttons=buttons)


def prefill(ctx: Ctx, record: InterviewRecord | None) -> LetterFields:
    """What we already know, from the user's settings and the interview's debrief."""
    base = LetterFields(sender_name=ctx.user.settings.sender_name or "")
    if record is None:
        return base
    d = record.debrief
    return base.model_copy(update={
        "company": d.company or "", "role": d.role or "", "interviewer_names": d.interviewers,
        "interview_date": d.interview_date, "specific_detail": d.specific_detail or "",
        "clarifications": [{"point": c.point, "better_answer": c.better_answer}
                           for c in d.clarifications if c.better_answer],
        "strengths": d.went_right, "promised_date": d.promised_date,
        "ask_second_interview": bool(d.ask_second_interview),
    })


def _form(kind: LetterKind, fields: LetterFields, interview_id: int, letter_id: int) -> FormRequest:
    """The form for a kind, with what we know filled in."""
    title = f"{KIND_LABELS[kind]} letter"[:24]
    return FormRequest(form_id=f"letter:{kind.value}:{interview_id}:{letter_id}", title=title,
                       fields=form_fields(kind, fields), submit_label="Draft it")


def _open_form(ctx: Ctx, kind: LetterKind, record: InterviewRecord | None,
               letter_id: int = 0, fields: LetterFields | None = None) -> None:
    """Ask for the letter's details as a form."""
    fields = fields or prefill(ctx, record)
    note = f" I've filled in what I know from {record.debrief.title}." if record else ""
    ctx.say(f"Let's draft your {KIND_LABELS[kind].lower()} letter: it "
            f"{KIND_PURPOSE[kind]}.{note}",
            form=_form(kind, fields, record.id if record else 0, letter_id))


@registry.form("letter:")
def letter_form(ctx: Ctx, form_id: str, values: dict[str, str]) -> None:
    """A submitted letter form: check it, draft, save a version, show it."""
    parts = form_id.split(":")
    kind = LetterKind.parse(parts[1]) if len(parts) == 4 else None
    if kind is None or not parts[2].isdigit() or not parts[3].isdigit():
        ctx.say("That form has expired. Say `letter` to start a fresh one.")
        return
    interview_id, letter_id = int(parts[2]), int(parts[3])
    record = interviews.get(ctx.db, ctx.key, interview_id) if interview_id else None
    existing = letters.get(ctx.db, ctx.key, letter_id) if letter_id else None
    base = LetterFields.model_validate(existing.inputs) if existing else prefill(ctx, record)
    try:
        fields = fields_from_form(kind, values, base=base, today=ctx.today)
    except FormError as problem:
        _form_problem(ctx, kind, base, interview_id, letter_id, problem.errors)
        return
    missing = required_missing(kind, fields)
    if missing:
        errors = {name: "I need this one to draft the letter." for name in missing}
        _form_problem(ctx, kind, fields, interview_id, letter_id, errors)
        return
    if existing is None:
        letter_id = letters.create(ctx.db, ctx.key, interview_id or None, kind.value,
                                   fields.model_dump(mode="json"), ctx.now)
    else:
        letters.update_inputs(ctx.db, ctx.key, letter_id, fields.model_dump(mode="json"))
    variant = existing.variant if existing else 0
    short = existing.short if existing else False
    _save_and_show(ctx, letter_id, kind, fields, variant, short,
                   intro="Updated." if existing else "Here's your draft:")


def _form_problem(ctx: Ctx, kind: LetterKind, fields: LetterFields, interview_id: int,
                  letter_id: int, errors: dict[str, str]) -> None:
    """Say what to fix, inline where the platform can, and offer the form again."""
    labels = {field.name: field.label for field in form_fields(kind)}
    listed = "\n".join(f"• {labels.get(name, name.replace('_', ' '))}: {message}"
                       for name, message in errors.items())
    ctx.say(f"Almost there. Could you fix this?\n{listed}",
            form=_form(kind, fields, interview_id, letter_id), form_errors=errors)


def _save_and_show(ctx: Ctx, letter_id: int, kind: LetterKind, fields: LetterFields,
                   variant: int, short: bool, intro: str) -> None:
    """Draft, store a new version if the text changed, and show it with its buttons."""
    letter = draft(kind, fields, variant=variant, short=short)
    latest = letters.get(ctx.db, ctx.key, letter_id)
    version = latest.version if latest else 0
    if latest is None or (latest.subject, latest.body) != (letter.subject, letter.body):
        version = letters.add_version(ctx.db, letter_id, letter.subject, letter.body, variant,
                                      short, ctx.now)
    ctx.say(f"{intro}\n\nSubject: {letter.subject}\n\n{letter.body}\n\n"
            f"(Draft {version}, {letter.word_count} words. Copy it into your email when it "
            "feels right.)", buttons=letter_buttons(letter_id))


def letter_buttons(letter_id: int) -> list[Button]:
    """What can be done with a draft."""
    return [action("lt", letter_id, "variant", label="Another version"),
            action("lt", letter_id, "shorter", label="Shorter"),
            action("lt", letter_id, "edit", label="Change a detail"),
            action("lt", letter_id, "sent", label="Mark as sent", style="primary")]


@registry.action("lt")
def letter_action(ctx: Ctx, parts: list[str]) -> None:
    """Buttons under a draft; they carry the letter id, so old ones still work."""
    if len(parts) != 2 or not parts[0].isdigit():
        ctx.say("That button doesn't work any more. Say `letters` to see your drafts.")
        return
    record = letters.get(ctx.db, ctx.key, int(parts[0]))
    if record is None:
        ctx.say("I can't find that letter any more. Say `letters` to see your drafts.")
        return
    kind = LetterKind(record.kind)
    fields = LetterFields.model_validate(record.inputs)
    verb = parts[1]
    if verb == "variant":
        _save_and_show(ctx, record.id, kind, fields, record.variant + 1, record.short,
                       intro="Here's another take:")
    elif verb == "shorter":
        if record.short:
            ctx.say("That's already the short version. Want another take on it instead?",
                    buttons=letter_buttons(record.id))
            return
        _save_and_show(ctx, record.id, kind, fields, record.variant, True, intro="Trimmed down:")
    elif verb == "show":
        ctx.say(f"Subject: {record.subject}\n\n{record.body}", buttons=letter_buttons(record.id))
    elif verb == "edit":
        interview = (interviews.get(ctx.db, ctx.key, record.interview_id)
                     if record.interview_id else None)
        ctx.say("Change whatever you like and I'll redraft it.",
                form=_form(kind, fields, interview.id if interview else 0, record.id))
    elif verb == "sent":
        _mark_sent(ctx, record.id, record.sent_at, record.interview_id)
    else:
        ctx.say("That button doesn't work any more. Say `letters` to see your drafts.")


def _mark_sent(ctx: Ctx, letter_id: int, sent_at: str | None, interview_id: int | None) -> None:
    """Record the send once; tick the debrief's checklist and drop its reminder."""
    if sent_at:
        ctx.say("Already marked as sent. Nice work.")
        return
    letters.mark_sent(ctx.db, ctx.key, letter_id, ctx.now)
    record = interviews.get(ctx.db, ctx.key, interview_id) if interview_id else None
    if record is not None and record.debrief.letter_id == letter_id:
        record.debrief.letter_sent = True
        interviews.save(ctx.db, record, ctx.now)
        for item in checkins.pending_for_interview(ctx.db, ctx.key, record.id):
            if item.kind == "letter_reminder":
                checkins.cancel(ctx.db, ctx.key, item.id, ctx.now)
    ctx.say("Marked as sent. That's a real step forward.")


@registry.command("letters", "my letters", "drafts", "my drafts")
def list_letters(ctx: Ctx, _args: str) -> None:
    """Every saved draft, newest last, with a button to open each."""
    saved = letters.list_for_user(ctx.db, ctx.key)
    if not saved:
        ctx.say("No letters yet. Say `letter` to draft one.", buttons=kind_buttons()[:3])
        return
    lines = ["Your letters:"]
    for number, item in enumerate(saved, start=1):
        fields = item.inputs
        who = fields.get("company") or fields.get("reference_name") or ""
        sent = (f", sent {format_date(_day(item.sent_at))}" if item.sent_at else ", not sent yet")
        label = KIND_LABELS.get(LetterKind(item.kind), item.kind)
        lines.append(f"{number}. {label}{' for ' + who if who else ''} (draft {item.version}"
                     f"{sent})")
    buttons = [action("lt", item.id, "show", label=f"Open {number}")
               for number, item in list(enumerate(saved, start=1))[-5:]]
    ctx.say("\n".join(lines), buttons=buttons)


def _day(stamp: str):  # type: ignore[no-untyped-def]
    """The date part of a stored timestamp."""
    from datetime import datetime

    return datetime.fromisoformat(stamp).date()


# ---- the tone check ----------------------------------------------------------------------------


@registry.command("check my letter", "check letter", "tone check", "check my email")
def check_command(ctx: Ctx, args: str) -> None:
    """Tone-check the pasted text, or wait for it in the next message."""
    if args.strip():
        ctx.say(tone_report(args))
        return
    ctx.user.state.flow = CHECK_FLOW
    ctx.new_question()
    ctx.say("Paste your letter in your next message and I'll read it for tone: apologies, "
            "mentions of nerves, self-criticism, a missing ask. (`cancel` to stop.)")


def tone_report(text: str) -> str:
    """The tone check's findings in plain words, or a well-earned all-clear."""
    findings = tone_check(text)
    if not findings:
        return ("This reads well: no apologies, no mention of nerves, nothing self-critical, "
                "and a clear ask. Send it with confidence.")
    lines = [f"I'd change {len(findings)} thing{'s' if len(findings) > 1 else ''}:"]
    for number, finding in enumerate(findings[:8], start=1):
        quoted = f"“{finding.phrase}”: " if finding.phrase else ""
        lines.append(f"{number}. {quoted}{finding.why} {finding.suggestion}")
    if len(findings) > 8:
        lines.append(f"…and {len(findings) - 8} more of the same kind.")
    return "\n".join(lines)


class ToneCheckFlow(OneQuestionFlow):
    """Waits for one pasted letter, then checks it."""

    name = CHECK_FLOW

    def prompt(self, ctx: Ctx, note: str | None = None) -> None:
        """Ask for the letter again."""
        text = "Paste the letter you'd like me to check, in one message."
        ctx.say(f"{note}\n\n{text}" if note else text)

    def handle(self, ctx: Ctx, answer: Answer) -> None:
        """Check the pasted text and return to idle."""
        ctx.user.state.flow = None
        ctx.say(tone_report(answer.text))

    def cancel(self, ctx: Ctx) -> None:
        """Leave the check."""
        ctx.user.state.flow = None
        ctx.say("Okay, no check. Say `check my letter` whenever you want one.")

    def help(self, ctx: Ctx) -> str:
        """What the check looks for."""
        return ("I look for apologies, mentions of nerves or blanking, self-criticism, "
                "desperation, stacked hedges, a missing ask or detail, and length.")

    def current_buttons(self, ctx: Ctx) -> list[Button]:
        """No buttons: just paste."""
        return []


registry.flows[CHECK_FLOW] = ToneCheckFlow()
