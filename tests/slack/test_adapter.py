"""The Slack adapter in HTTP mode: signed requests over loopback, real slack-bolt and slack_sdk."""

from __future__ import annotations

import asyncio
import json
import logging
import time

import pytest

from bot.models import UserRef
from bot.store import users
from tests.slack.conftest import SlackHarness, dm_channel, sign

pytestmark = pytest.mark.asyncio


# ---- request signatures ------------------------------------------------------------------------


async def test_a_signed_request_is_accepted_and_answered(slack: SlackHarness) -> None:
    posted = await slack.dm("hi")
    assert posted.status == 200
    reply = await slack.fake.wait_for_text("Which company")
    assert reply.args["channel"] == dm_channel("U1")
    assert reply.headers["Authorization"] == "Bearer xoxb-1-rebound-test"


async def test_unsigned_stale_wrong_secret_and_altered_requests_get_401(
        slack: SlackHarness) -> None:
    body = json.dumps(slack.envelope(slack.dm_event("hi"))).encode()
    now = int(time.time())
    unsigned = await slack.post_raw(body, "application/json", secret=None)
    stale = await slack.post_raw(body, "application/json", timestamp=now - 301)
    wrong = await slack.post_raw(body, "application/json", secret="not-the-secret")
    altered = await slack.post_raw(body.replace(b'"hi"', b'"hey"'), "application/json",
                                   signature=sign(body, now), timestamp=now)
    assert [unsigned.status, stale.status, wrong.status, altered.status] == [401] * 4
    # The same body, properly signed, goes through: the 401s were about the signature.
    assert (await slack.post_raw(body, "application/json")).status == 200
    await slack.fake.wait_for_text("Which company")
    await slack.adapter.drain()
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


async def test_url_verification_challenge_is_answered(slack: SlackHarness) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123",
                       "token": "legacy"}).encode()
    posted = await slack.post_raw(body, "application/json")
    assert posted.status == 200 and "c-123" in posted.text


# ---- DMs ---------------------------------------------------------------------------------------


async def test_a_retried_event_is_processed_once(slack: SlackHarness) -> None:
    event = slack.dm_event("hi")
    first = await slack.post_event(event, event_id="EvRETRY")
    retry = await slack.post_event(event, event_id="EvRETRY",
                                   headers={"X-Slack-Retry-Num": "1",
                                            "X-Slack-Retry-Reason": "http_timeout"})
    assert first.status == retry.status == 200
    await slack.fake.wait_for_text("Which company")
    assert await slack.adapter.drain()
    assert len(slack.posts_to(dm_channel("U1"))) == 1
    # A later message is answered normally: the dedupe held one event, not the user.
    await slack.say("Acme", expect="role you interviewed for")


async def test_time_zone_and_name_come_from_users_info_once(slack: SlackHarness) -> None:
    slack.fake.users["U7"] = {"tz": "America/Chicago", "real_name": "Dana Lee",
                              "profile": {"display_name": "dana", "real_name": "Dana Lee"}}
    await slack.say("hi", expect="Which company", user="U7")
    await slack.say("Acme", expect="role", user="U7")
    assert len(slack.fake.calls_to("users.info")) == 1
    stored = users.load_or_create(slack.engine.db, UserRef(platform="slack", workspace="T1", user="U7"), slack.engine.clock.now())
    assert stored.settings.tz == "America/Chicago"
    assert stored.settings.sender_name == "dana"


async def test_escaped_text_reaches_the_engine_as_typed_and_is_escaped_going_out(
        slack: SlackHarness) -> None:
    await slack.say("hi", expect="Which company")
    reply = await slack.say("Acme &amp; Sons &lt;!channel&gt;", expect="Acme")
    section = reply.args["blocks"][0]["text"]["text"]
    assert "Acme &amp; Sons &lt;!channel&gt;" in section
    assert "<!channel>" not in json.dumps(reply.args)


async def test_a_debrief_by_dm_with_buttons(slack: SlackHarness) -> None:
    await slack.say("my interview went terribly", expect="Which company")
    await slack.say("Acme", expect="role you interviewed for at Acme")
    when = await slack.say("Backend Engineer", expect="When was it?")
    # A button press: acked, the message loses its buttons and shows the choice.
    mark = len(slack.fake.calls)
    pressed = await slack.click(when, "Today")
    assert pressed.status == 200
    update = (await slack.fake.wait_for("chat.update"))[0]
    assert update.args["ts"] == when.response["ts"]  # type: ignore[index]
    assert update.args["channel"] == dm_channel("U1")
    assert [b["type"] for b in update.args["blocks"]] == ["section", "context"]
    assert "Today" in update.args["blocks"][-1]["elements"][0]["text"]
    await slack.fake.wait_for_text("Who interviewed you", after=mark)
    # users.info gave the time zone, so the debrief never asks for it.
    feelings = await slack.say("Dana Lee, Sam Ortiz", expect="how are you feeling")
    assert "time zone" not in feelings.text()
    mark = len(slack.fake.calls)
    await slack.click(feelings, "Frustrated")
    more = await slack.fake.wait_for_text("Noted: frustrated", after=mark)
    mark = len(slack.fake.calls)
    await slack.click(more, "Done")
    await slack.fake.wait_for_text("let it out", after=mark)
    await slack.say("skip", expect="what went wrong")
    await slack.say("I blanked on the SQL question", expect="Anything else")
    await slack.say("done", expect="what went well")
    await slack.say("Good rapport with Dana", expect="What else went well")
    forgive = await slack.say("done", expect="another way to see it")
    assert "Acme invited you" in forgive.text()
    pick = await slack.say("I did my best with what I knew that day.", expect="Which points")
    mark = len(slack.fake.calls)
    await slack.click(pick, "I blanked on the SQL question")
    picked = await slack.fake.wait_for_text("Picked 1", after=mark)
    mark = len(slack.fake.calls)
    await slack.click(picked, "Done")
    await slack.fake.wait_for_text("what would you say now", after=mark)
    await slack.say("I'd use a window function to rank the orders.", expect="specific thing")
    second = await slack.say("Their move to event sourcing", expect="second interview")
    mark = len(slack.fake.calls)
    await slack.click(second, "Yes, ask")
    # The name came from users.info too, so the letter follows at once, signed with it.
    letter = await slack.fake.wait_for_text("Subject:", after=mark)
    assert "Test Person" in letter.text()
    assert "window function" in letter.text()
    mark = len(slack.fake.calls)
    await slack.click(letter, "I've sent it")
    references = await slack.fake.wait_for_text("references", after=mark)
    mark = len(slack.fake.calls)
    await slack.click(references, "No one for now")
    plan = await slack.fake.wait_for_text("Your plan for", after=mark)
    assert "☑ Send the thank-you letter" in plan.text()
    assert await slack.adapter.drain()
    # Every reply went to the DM, nothing to any other channel, nothing ephemeral.
    channels = {c.args["channel"] for c in slack.fake.calls_to("chat.postMessage")}
    assert channels == {dm_channel("U1")}
    assert slack.fake.calls_to("response_url") == []


async def test_a_stale_button_is_answered_kindly(slack: SlackHarness) -> None:
    await slack.say("hi", expect="Which company")
    await slack.say("Acme", expect="role")
    when = await slack.say("Engineer", expect="When was it?")
    await slack.say("yesterday", expect="Who interviewed you")
    mark = len(slack.fake.calls)
    await slack.click(when, "Today")
    await slack.fake.wait_for_text("moved on", after=mark)


async def test_no_message_text_reaches_the_logs(slack: SlackHarness,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret_words = "zebra-umbrella-7731"
    await slack.say("hi", expect="Which company")
    await slack.say(secret_words, expect="role")
    body = json.dumps(slack.envelope(slack.dm_event(secret_words))).encode()
    assert (await slack.post_raw(body, "application/json", secret="wrong")).status == 401
    slack.fake.fail_next("chat.postMessage", "channel_not_found")
    await slack.dm(secret_words)
    await slack.fake.wait_for("chat.postMessage", count=4)
    assert await slack.adapter.drain()
    assert caplog.records, "logging was captured"
    assert secret_words not in caplog.text


async def test_many_users_at_once_each_get_their_own_answers(slack: SlackHarness) -> None:
    people = [f"UC{n:02d}" for n in range(20)]
    acks = await asyncio.gather(*(slack.dm("hi", user) for user in people))
    assert {a.status for a in acks} == {200}
    await slack.fake.wait_for("chat.postMessage", lambda c: "Which company" in c.text(),
                              count=len(people))
    await asyncio.gather(*(slack.dm(f"Company {user}", user) for user in people))
    for user in people:
        await slack.fake.wait_for(
            "chat.postMessage",
            lambda c, u=user: c.args["channel"] == dm_channel(u) and f"at Company {u}" in c.text())
    assert await slack.adapter.drain()
    # Nobody saw anyone else's company.
    for call in slack.fake.calls_to("chat.postMessage"):
        mentioned = {u for u in people if f"Company {u}" in call.text()}
        assert mentioned <= {call.args["channel"][1:]}
