"""Check-in delivery: conversations.open then chat.postMessage, 429s honoured, outcomes reported."""

from __future__ import annotations

import pytest

from bot.models import Button, FormRequest, OutboundMessage, UserRef
from tests.slack.conftest import SlackHarness, dm_channel

pytestmark = pytest.mark.asyncio

USER = UserRef(platform="slack", workspace="T1", user="U1")
NUDGE = OutboundMessage(text="Heard back from Acme yet?", buttons=[
    Button(id="ci:1:offer", label="An offer"), Button(id="ci:1:nothing", label="Nothing yet")])


async def test_a_check_in_opens_the_dm_and_posts(slack: SlackHarness) -> None:
    delivery = await slack.adapter.send_proactive(USER, [NUDGE])
    assert delivery.status == "sent" and delivery.at is not None
    [opened] = slack.fake.calls_to("conversations.open")
    assert opened.args["users"] == "U1"
    [post] = slack.fake.calls_to("chat.postMessage")
    assert post.args["channel"] == dm_channel("U1")
    values = [e["value"] for b in post.args["blocks"] if b["type"] == "actions"
              for e in b["elements"]]
    assert values == ["ci:1:offer", "ci:1:nothing"]
    assert slack.fake.calls.index(opened) < slack.fake.calls.index(post)


async def test_a_429_is_waited_out_then_the_message_goes(slack: SlackHarness) -> None:
    slack.fake.rate_limit_next("chat.postMessage", retry_after=0)
    delivery = await slack.adapter.send_proactive(USER, [NUDGE])
    assert delivery.status == "sent"
    posts = slack.fake.calls_to("chat.postMessage")
    assert len(posts) == 2  # the limited attempt, then the retry
    assert posts[0].args == posts[1].args


async def test_a_reply_survives_a_429_and_a_503(slack: SlackHarness) -> None:
    slack.fake.rate_limit_next("chat.postMessage", retry_after=0)
    slack.fake.server_error_next("chat.postMessage", status=503)
    await slack.dm("hi")
    await slack.fake.wait_for("chat.postMessage", count=3)
    await slack.fake.wait_for_text("Which company")
    assert await slack.adapter.drain()
    assert "Something went wrong" not in " ".join(c.text() for c in slack.fake.calls)


@pytest.mark.parametrize("code", ["user_not_found", "cannot_dm_bot", "channel_not_found",
                                  "not_in_channel", "user_disabled", "account_inactive"])
async def test_unreachable_users_are_reported_undeliverable(slack: SlackHarness,
                                                            code: str) -> None:
    method = "conversations.open" if code in ("user_not_found", "cannot_dm_bot",
                                              "user_disabled") else "chat.postMessage"
    slack.fake.fail_next(method, code)
    delivery = await slack.adapter.send_proactive(USER, [NUDGE])
    assert (delivery.status, delivery.reason) == ("undeliverable", code)


async def test_other_errors_fail_with_the_code_so_the_dispatcher_retries(
        slack: SlackHarness) -> None:
    slack.fake.fail_next("chat.postMessage", "internal_error")
    delivery = await slack.adapter.send_proactive(USER, [NUDGE])
    assert (delivery.status, delivery.reason) == ("failed", "internal_error")


async def test_a_rate_limit_that_never_lifts_fails(slack: SlackHarness) -> None:
    slack.fake.rate_limit_next("chat.postMessage", retry_after=0, times=4)
    delivery = await slack.adapter.send_proactive(USER, [NUDGE])
    assert (delivery.status, delivery.reason) == ("failed", "ratelimited")
    assert len(slack.fake.calls_to("chat.postMessage")) == 4


async def test_a_persistent_server_error_fails(slack: SlackHarness) -> None:
    slack.fake.server_error_next("chat.postMessage", status=500, times=3)
    delivery = await slack.adapter.send_proactive(USER, [NUDGE])
    assert delivery.status == "failed" and delivery.reason == "http_500"


async def test_a_half_sent_check_in_counts_as_sent_so_it_is_never_repeated(
        slack: SlackHarness) -> None:
    slack.fake.fail_next("chat.postMessage", "internal_error", after=1)
    delivery = await slack.adapter.send_proactive(USER, [OutboundMessage(text="a"),
                                                         OutboundMessage(text="b")])
    assert delivery.status == "sent" and delivery.reason == "partial:internal_error"
    assert len(slack.fake.calls_to("chat.postMessage")) == 2


async def test_a_form_in_a_check_in_comes_with_a_button(slack: SlackHarness,
                                                        form_flow: FormRequest) -> None:
    message = OutboundMessage(text="Want a follow-up draft?", form=form_flow)
    assert (await slack.adapter.send_proactive(USER, [message])).status == "sent"
    [post] = slack.fake.calls_to("chat.postMessage")
    assert "Open the form" in post.text()
