"""`rebound run`: the engine, each configured platform adapter and the check-in dispatcher, in one loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from bot.config import Settings
from bot.engine import Engine
from bot.errors import ConfigError
from bot.ports import RunnableAdapter
from bot.retention import daily_maintenance

log = logging.getLogger("rebound.runner")


def configured_adapters(settings: Settings, engine: Engine) -> list[RunnableAdapter]:
    """Build the adapters whose credentials are set; name what is missing otherwise."""
    adapters: list[RunnableAdapter] = []
    if settings.slack_bot_token:
        from adapters.slack import SlackAdapter  # platform code stays out of bot/ imports

        adapters.append(SlackAdapter(engine, settings))
    if settings.discord_token:
        from adapters.discord import DiscordAdapter

        adapters.append(DiscordAdapter(engine, settings))
    if not adapters:
        raise ConfigError(
            "No platform configured. Set SLACK_BOT_TOKEN (with SLACK_APP_TOKEN for Socket Mode "
            "or SLACK_SIGNING_SECRET for HTTP mode) and/or DISCORD_TOKEN. To try Rebound "
            "without a platform, run `rebound chat`."
        )
    return adapters


async def run_platforms(settings: Settings, db_path: str | None = None) -> None:
    """Start everything configured and run until interrupted."""
    engine = Engine(db_path or settings.db)
    adapters = configured_adapters(settings, engine)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stop.set)
        except NotImplementedError:  # pragma: no cover - non-Unix
            pass
    for adapter in adapters:
        await adapter.start()
        log.info("adapter started", extra={"platform": adapter.platform})
    dispatcher = _dispatcher(engine, settings, adapters)
    if dispatcher is not None:
        await dispatcher.start()
    maintenance = asyncio.create_task(daily_maintenance(engine, settings, stop))
    try:
        await stop.wait()
    finally:
        maintenance.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await maintenance
        if dispatcher is not None:
            await dispatcher.stop()
        for adapter in adapters:
            await adapter.stop()


def _dispatcher(engine: Engine, settings: Settings, adapters: list[RunnableAdapter]):  # type: ignore[no-untyped-def]
    """The check-in dispatcher, when that module is present."""
    try:
        from bot.checkins.dispatcher import Dispatcher
    except ImportError:
        return None
    return Dispatcher(engine, {a.platform: a for a in adapters}, settings)
