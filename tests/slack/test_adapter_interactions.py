"""Slash commands in DMs and channels, modals, App Home and files, through the running adapter."""

from __future__ import annotations

import pytest

from adapters.slack.adapter import MOVED_TO_DM
from bot.models import FormRequest
from tests.slack.conftest import SlackHarness, dm_channel

pytestmark = pytest.mark.asyncio

SUBCOMMANDS = ["", "letter", "letter follow-up", "checkins", "status", "settings", "help",
               "export", "forget-me"]


# ---- the slash command -------------------------------------------------------------------------


@pytest.mark.parametrize("args", SUBCOMMANDS)
async def test_each_subcommand_in_the_dm_answers_in_the_dm(slack: SlackHarness,
                                                          args: str) -> None:
    posted = await slack.command(args)
    assert posted.status == 200 and posted.text == ""  # an empty ack: nothing shown in public
    await _answered_privately(slack)
    assert slack.fake.calls_to("response_url") == []


@pytest.mark.parametrize("args", SUBCOMMANDS)
async def test_each_subcommand_in_a_channel_answers_privately_and_moves_to_the_dm(
        slack: SlackHarness, args: str) -> None:
    posted = await slack.command(args, channel_id="C0GENERAL", channel_name="general")
    assert posted.status == 200 and posted.text == ""
    await _answered_privately(slack)
    assert slack.fake.calls_to("chat.postMessage",
                               lambda c: c.args.get("channel") == "C0GENERAL") == []
    if slack.posts_to(dm_channel("U1")):
        note = (await slack.fake.wait_for("response_url"))[0]
        assert note.args["response_type"] == "ephemeral"
        assert MOVED_TO_DM in note.text()


async def _answered_privately(slack: SlackHarness) -> None:
    """Some reply arrived in the user's DM or as a modal, and nowhere public."""
    await slack.fake.wait_until(lambda: bool(slack.posts_to(dm_channel("U1"))
                                             or slack.fake.calls_to("views.open")))
    assert await slack.adapter.drain()
    posts = slack.fake.calls_to("chat.postMessage")
    assert all(c.args["channel"] == dm_channel("U1") for c in posts)
    assert slack.fake.calls_to("chat.postEphemeral") == []


async def test_slash_command_alone_starts_the_debrief_and_help_explains(
        slack: SlackHarness) -> None:
    await slack.command("")
    await slack.fake.wait_for_text("Which company")
    mark = len(slack.fake.calls)
    await slack.command("help")
    help_reply = await slack.fake.wait_for_text("Back to it", after=mark)
    assert "Which company" in help_reply.text()  # help resumes the same step
    mark = len(slack.fake.calls)
    await slack.command("status")
    await slack.fake.wait_for_text("Your interviews", after=mark)


async def test_an_unknown_subcommand_gets_a_clear_answer(slack: SlackHarness) -> None:
    await slack.command("frobnicate now")
    await slack.fake.wait_for_text("I don't know the command")


async def test_slash_command_acks_quickly(slack: SlackHarness) -> None:
    posted = await slack.command("help")
    assert posted.status == 200
    # Slack allows 3 s; Bolt's ack poll is 10 ms, so this is generous and still meaningful.
    assert posted.ms < 1000


async def test_export_arrives_as_files_in_the_dm(slack: SlackHarness) -> None:
    await slack.say("hi", expect="Which company")
    await slack.say("Acme", expect="role")
    await slack.command("export", channel_id="C0GENERAL", channel_name="general")
    done = (await slack.fake.wait_for("files.completeUploadExternal", count=1))[0]
    assert done.args["channel_id"] == dm_channel("U1")
    uploads = await slack.fake.wait_for("file.upload")
    assert any("Acme" in u.args["content"] for u in uploads)
    await slack.fake.wait_for_text("everything I keep about you")
    assert slack.fake.calls_to("chat.postMessage",
                               lambda c: c.args.get("channel") == "C0GENERAL") == []


async def test_without_the_files_scope_an_export_is_sent_as_text(slack: SlackHarness) -> None:
    await slack.say("hi", expect="Which company")
    await slack.say("Acme", expect="role")
    slack.fake.fail_next("files.getUploadURLExternal", "missing_scope", times=4)
    await slack.dm("export")
    await slack.fake.wait_for_text("rebound-export", timeout=5)
    assert await slack.adapter.drain()
    text = " ".join(c.args.get("text") or "" for c in slack.posts_to(dm_channel("U1")))
    assert "Acme" in text


async def test_forget_me_confirmed_by_button(slack: SlackHarness) -> None:
    await slack.say("hi", expect="Which company")
    confirm = await slack.say("forget me", expect="Delete everything")
    mark = len(slack.fake.calls)
    await slack.click(confirm, "Delete everything")
    await slack.fake.wait_for("chat.update")
    assert await slack.adapter.drain()
    after = [c for c in slack.fake.calls[mark:] if c.method == "chat.postMessage"]
    assert after, "the deletion was confirmed in the DM"


# ---- modals ------------------------------------------------------------------------------------


async def test_a_form_from_a_command_opens_a_modal_with_that_trigger(
        slack: SlackHarness, form_flow: FormRequest) -> None:
    body = slack.command_body("slacktest form", channel_id="C0GENERAL", channel_name="general")
    await slack.post_raw(_urlencode(body), "application/x-www-form-urlencoded")
    opened = (await slack.fake.wait_for("views.open"))[0]
    assert opened.args["trigger_id"] == body["trigger_id"]
    view = opened.args["view"]
    assert view["callback_id"] == "slacktest:v1"
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == \
        ["company", "detail"]
    assert await slack.adapter.drain()
    # Only a modal: nothing posted, so no "see our DM" note either.
    assert slack.fake.calls_to("chat.postMessage") == []
    assert slack.fake.calls_to("response_url") == []


async def test_a_modal_shows_errors_inline_then_accepts_a_good_submission(
        slack: SlackHarness, form_flow: FormRequest) -> None:
    await slack.command("slacktest form")
    view = (await slack.fake.wait_for("views.open"))[0].args["view"]
    bad = await slack.submit(view, {"company": "", "detail": "their roadmap"})
    assert bad.status == 200
    assert bad.json() == {"response_action": "errors",
                          "errors": {"company": "Which company was it?"}}
    assert slack.fake.calls_to("chat.postMessage") == []
    good = await slack.submit(view, {"company": "Acme & Co", "detail": "their <roadmap>"})
    assert good.status == 200 and good.text == ""  # the modal closes
    reply = await slack.fake.wait_for_text("Drafted for Acme")
    assert reply.args["channel"] == dm_channel("U1")
    assert "Acme &amp; Co: their &lt;roadmap&gt;" in reply.args["blocks"][0]["text"]["text"]


async def test_a_letter_by_slash_command_in_a_channel_with_inline_errors(
        slack: SlackHarness) -> None:
    body = slack.command_body("letter thank-you", channel_id="C0GENERAL",
                              channel_name="general")
    assert (await slack.post_raw(_urlencode(body), "application/x-www-form-urlencoded")
            ).status == 200
    opened = (await slack.fake.wait_for("views.open"))[0]
    assert opened.args["trigger_id"] == body["trigger_id"]
    view = opened.args["view"]
    assert view["callback_id"].startswith("letter:thank-you:")
    assert "company" in [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    bad = await slack.submit(view, {"company": "  "})
    assert bad.json()["response_action"] == "errors"
    assert set(bad.json()["errors"]) == {"company"}
    good = await slack.submit(view, {"company": "Acme", "role": "Data Analyst",
                                     "specific_detail": "their plan to rebuild onboarding"})
    assert good.status == 200 and good.text == ""
    draft = await slack.fake.wait_for_text("Subject:")
    assert draft.args["channel"] == dm_channel("U1")
    assert "Acme" in draft.text() and "Another version" in draft.text()
    assert await slack.adapter.drain()
    assert slack.fake.calls_to("chat.postMessage",
                               lambda c: c.args.get("channel") == "C0GENERAL") == []


async def test_a_letter_kind_button_opens_the_modal_with_the_click_trigger(
        slack: SlackHarness) -> None:
    kinds = await slack.say("letter", expect="Which letter shall we draft")
    label = next(e["text"]["text"] for b in kinds.args["blocks"] if b["type"] == "actions"
                 for e in b["elements"] if e["value"] == "ln:follow-up")
    payload = slack.click_payload(kinds, label)
    await slack.interact(payload)
    opened = (await slack.fake.wait_for("views.open"))[0]
    assert opened.args["trigger_id"] == payload["trigger_id"]
    assert opened.args["view"]["callback_id"].startswith("letter:follow-up:")


async def test_a_form_asked_in_a_dm_message_comes_with_a_button_that_opens_it(
        slack: SlackHarness, form_flow: FormRequest) -> None:
    offer = await slack.say("slacktest form", expect="Let's draft it together")
    mark = len(slack.fake.calls)
    payload = slack.click_payload(offer, "Open the form")
    await slack.interact(payload)
    opened = (await slack.fake.wait_for("views.open"))[0]
    assert opened.args["trigger_id"] == payload["trigger_id"]
    assert opened.args["view"]["callback_id"] == "slacktest:v1"
    # The button stays usable (a closed modal can be reopened); no update, no engine turn.
    assert await slack.adapter.drain()
    assert [c.method for c in slack.fake.calls[mark:]] == ["views.open"]


async def test_an_expired_trigger_falls_back_to_the_form_button(
        slack: SlackHarness, form_flow: FormRequest) -> None:
    slack.fake.fail_next("views.open", "expired_trigger_id")
    await slack.command("slacktest form")
    offer = await slack.fake.wait_for_text("Let's draft it together")
    assert "Open the form" in offer.text()


async def test_a_submission_for_an_unknown_form_closes_and_explains(slack: SlackHarness) -> None:
    view = {"type": "modal", "callback_id": "gone:1", "blocks": [
        {"type": "input", "block_id": "company",
         "element": {"type": "plain_text_input", "action_id": "company"}}]}
    posted = await slack.submit(view, {"company": "Acme"})
    assert posted.status == 200 and posted.text == ""
    await slack.fake.wait_for_text("form has expired")


async def test_a_damaged_form_button_says_the_form_expired(slack: SlackHarness) -> None:
    message = {"blocks": [{"type": "actions", "elements": [
        {"type": "button", "action_id": "rb-form", "value": "ref:gone",
         "text": {"type": "plain_text", "text": "Open the form"}}]}],
        "channel": dm_channel("U1"), "text": "x"}
    from tests.slack.fake_slack import Call

    await slack.click(Call("chat.postMessage", message, {}, {"ts": "1.2"}), "Open the form")
    await slack.fake.wait_for_text("form has expired")
    assert slack.fake.calls_to("views.open") == []


# ---- App Home ----------------------------------------------------------------------------------


async def test_app_home_publishes_the_overview_with_start_buttons(slack: SlackHarness) -> None:
    await slack.say("hi", expect="Which company")
    await slack.say("Acme", expect="role")
    await slack.post_event({"type": "app_home_opened", "user": "U1", "channel": "D0HOME",
                            "tab": "home", "event_ts": "1.1"})
    published = (await slack.fake.wait_for("views.publish"))[0]
    assert published.args["user_id"] == "U1"
    view = published.args["view"]
    assert view["type"] == "home"
    assert "Acme" in published.text() and "debrief in progress" in published.text()
    values = [e["value"] for b in view["blocks"] if b["type"] == "actions"
              for e in b["elements"]]
    assert values[:2] == ["go:debrief", "go:letter"]
    # The Messages tab opening is not a reason to publish.
    await slack.post_event({"type": "app_home_opened", "user": "U1", "tab": "messages"})
    assert await slack.adapter.drain()
    assert len(slack.fake.calls_to("views.publish")) == 1


async def test_a_home_button_answers_in_the_dm(slack: SlackHarness) -> None:
    await slack.post_event({"type": "app_home_opened", "user": "U2", "tab": "home"})
    view = (await slack.fake.wait_for("views.publish"))[0].args["view"]
    element = next(e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]
                   if e["value"] == "go:debrief")
    payload = {
        "type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U2", "team_id": "T1"},
        "trigger_id": "9.trigger", "container": {"type": "view", "view_id": "V1"},
        "view": {"id": "V1", "type": "home"},
        "actions": [{**element, "block_id": "rb-actions-0", "action_ts": "5.5"}],
    }
    assert (await slack.interact(payload)).status == 200
    reply = await slack.fake.wait_for_text("Which company")
    assert reply.args["channel"] == dm_channel("U2")
    assert slack.fake.calls_to("chat.update") == []


def _urlencode(body: dict[str, str]) -> bytes:
    import urllib.parse

    return urllib.parse.urlencode(body).encode()
