"""Which mode the settings select, and start-up errors that name the variable to fix."""

from __future__ import annotations

import pytest

from adapters.slack import SlackAdapter
from adapters.slack.credentials import slack_mode
from bot.engine import Engine
from bot.errors import ConfigError
from tests.slack.conftest import APP_TOKEN, make_settings
from tests.slack.fake_slack import FakeSlack


def test_app_token_means_socket_mode_even_with_a_signing_secret() -> None:
    assert slack_mode(make_settings(SLACK_APP_TOKEN=APP_TOKEN)) == "socket"
    assert slack_mode(make_settings()) == "http"
    assert slack_mode(make_settings(SLACK_APP_TOKEN=APP_TOKEN,
                                    SLACK_SIGNING_SECRET=None)) == "socket"


@pytest.mark.parametrize(("env", "variable"), [
    ({"SLACK_BOT_TOKEN": None}, "SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": "  "}, "SLACK_BOT_TOKEN"),
    ({"SLACK_APP_TOKEN": "xoxb-not-an-app-token"}, "SLACK_APP_TOKEN"),
    ({"SLACK_SIGNING_SECRET": "abc def"}, "SLACK_SIGNING_SECRET"),
    ({"SLACK_SIGNING_SECRET": None}, "SLACK_SIGNING_SECRET"),
])
def test_bad_or_missing_credentials_name_the_variable(engine: Engine, env: dict,
                                                      variable: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        SlackAdapter(engine, make_settings(**env))


async def test_a_refused_bot_token_fails_start_naming_it(fake_slack: FakeSlack,
                                                        engine: Engine) -> None:
    fake_slack.fail_next("auth.test", "invalid_auth")
    adapter = SlackAdapter(engine, make_settings(), base_url=fake_slack.api_url, http_port=0)
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN.*invalid_auth"):
        await adapter.start()
    await adapter.stop()


async def test_a_refused_app_token_fails_start_naming_it(fake_slack: FakeSlack,
                                                        engine: Engine) -> None:
    fake_slack.fail_next("apps.connections.open", "invalid_auth")
    adapter = SlackAdapter(engine, make_settings(SLACK_APP_TOKEN=APP_TOKEN),
                           base_url=fake_slack.api_url)
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN.*invalid_auth"):
        await adapter.start()
    await adapter.stop()
    assert fake_slack.socket_connections == 0


def test_rebound_run_builds_the_slack_adapter_from_settings(engine: Engine) -> None:
    from bot.runner import configured_adapters

    [adapter] = configured_adapters(make_settings(), engine)
    assert isinstance(adapter, SlackAdapter) and adapter.platform == "slack"
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        configured_adapters(make_settings(SLACK_APP_TOKEN="bad"), engine)


async def test_a_busy_port_fails_start_naming_slack_port(fake_slack: FakeSlack,
                                                        engine: Engine) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        adapter = SlackAdapter(engine, make_settings(), base_url=fake_slack.api_url,
                               http_port=port)
        with pytest.raises(ConfigError, match=f"SLACK_PORT {port}"):
            await adapter.start()
