"""`rebound run`: the engine, each configured platform adapter and the check-in dispatcher, in one loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from bot.config import Settings
from bot.engine import Engine
from bot.errors import ConfigError
from bot.logs import scrub
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
    started: list[RunnableAdapter] = []
    for adapter in adapters:
        try:
            await adapter.start()
        except ConfigError:
            await _stop_all(started)
            raise
        except Exception as error:
            # A network or platform failure at start-up: say which platform and why, briefly.
            await _stop_all(started)
            secrets = [settings.slack_bot_token, settings.slack_app_token,
                       settings.slack_signing_secret, settings.discord_token]
            reason = scrub(f"{type(error).__name__}: {error}", [s for s in secrets if s])
            raise ConfigError(
                f"{adapter.platform.capitalize()} could not start ({reason[:300]}). Check the "
                "network and the credentials; `rebound doctor` tests both."
            ) from None
        started.append(adapter)
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


async def _stop_all(adapters: list[RunnableAdapter]) -> None:
    """Stop the adapters that had started, ignoring errors on the way down."""
    for adapter in adapters:
        with contextlib.suppress(Exception):
            await adapter.stop()


def _dispatcher(engine: Engine, settings: Settings, adapters: list[RunnableAdapter]):  # type: ignore[no-untyped-def]
    """The check-in dispatcher, when that module is present."""
    try:
        from bot.checkins.dispatcher import Dispatcher
    except ImportError:
        return None
    return Dispatcher(engine, {a.platform: a for a in adapters}, settings)
