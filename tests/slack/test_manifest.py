"""The shipped Slack manifest and the HTTP-mode snippet in SLACK.md match what the adapter uses."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from adapters.slack.adapter import EVENTS_PATH
from bot import flows
from bot.flows.base import registry

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def load_manifest() -> dict:
    return yaml.safe_load((DEPLOY / "slack-manifest.yml").read_text(encoding="utf-8"))


def test_manifest_has_the_scopes_events_command_and_socket_mode() -> None:
    manifest = load_manifest()
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"chat:write", "im:history", "im:write", "commands", "users:read"} <= scopes
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"message.im",
                                                                  "app_home_opened"}
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] and home["messages_tab_enabled"]
    assert home["messages_tab_read_only_enabled"] is False
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/rebound"
    assert len(manifest["display_information"]["description"]) <= 140


def test_every_subcommand_the_manifest_suggests_is_one_the_engine_knows() -> None:
    flows.load()
    [command] = load_manifest()["features"]["slash_commands"]
    words = re.findall(r"[a-z-]+", command["usage_hint"])
    assert words and all(word in registry.commands for word in words), words


def test_the_http_mode_snippet_points_every_url_at_the_adapter() -> None:
    text = (DEPLOY / "SLACK.md").read_text(encoding="utf-8")
    [snippet] = re.findall(r"```yaml\n(.*?)```", text, re.S)
    http = yaml.safe_load(snippet)
    urls = [http["features"]["slash_commands"][0]["url"],
            http["settings"]["event_subscriptions"]["request_url"],
            http["settings"]["interactivity"]["request_url"]]
    assert all(url.startswith("https://") and url.endswith(EVENTS_PATH) for url in urls)
    assert http["settings"]["socket_mode_enabled"] is False
    assert http["settings"]["event_subscriptions"]["bot_events"] == \
        load_manifest()["settings"]["event_subscriptions"]["bot_events"]
