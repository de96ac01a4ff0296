"""A user's side of a Discord DM conversation with the bot, over the fake Discord."""

from __future__ import annotations

from tests.discord.fake_discord import BotMessage, FakeDiscord, Interaction


class Chat:
    """Say things, press buttons and run /rebound as one user; wait for the bot's words."""

    def __init__(self, fake: FakeDiscord, user_id: int) -> None:
        self.fake = fake
        self.user_id = user_id
        self.dm = fake.dm_channel_of(user_id)
        self.cursor = 0  # messages in the DM already matched by an expectation

    def current(self, message: BotMessage) -> BotMessage:
        """The message as it looks now (edits applied: pressed buttons are gone)."""
        payload = self.fake.message_index[message.id]
        return BotMessage(message.id, message.channel_id, payload["content"],
                          payload["components"], payload["flags"], message.via,
                          message.allowed_mentions, message.files)

    async def say(self, text: str, *expect: str) -> list[BotMessage]:
        """Send a DM, then wait for replies containing `expect`, in order."""
        await self.fake.user_dms(self.user_id, text)
        return await self.expect(*expect)

    async def press(self, label: str, *expect: str) -> list[BotMessage]:
        """Press the newest button with this label in the DM, then wait for `expect`."""
        for message in reversed(self.fake.messages_in(self.dm)):
            now = self.current(message)
            try:
                custom_id = now.button(label)
            except KeyError:
                continue
            await self.fake.press(self.user_id, now, custom_id)
            return await self.expect(*expect)
        raise AssertionError(f"no button {label!r} in the DM")

    async def slash(self, args: str | None, *expect: str) -> Interaction:
        """Run /rebound in the DM, then wait for `expect`."""
        record = await self.fake.slash(self.user_id, args)
        await self.expect(*expect)
        return record

    async def expect(self, *words: str, timeout: float = 5.0) -> list[BotMessage]:
        """Wait until new DM messages contain each of `words`, in order; return them."""
        def found() -> list[BotMessage] | None:
            messages = self.fake.messages_in(self.dm)[self.cursor:]
            position = 0
            for word in words:
                while position < len(messages) and word not in messages[position].content:
                    position += 1
                if position == len(messages):
                    return None
            return messages[: position + 1] if words else messages
        new = await self.fake.wait_for(found, timeout, f"bot messages containing {words}")
        self.cursor += len(new)
        return new  # type: ignore[no-any-return]
