"""Which Slack mode the settings call for, with errors that name the variable to fix."""

from __future__ import annotations

from typing import Literal

from bot.config import Settings
from bot.errors import ConfigError

Mode = Literal["socket", "http"]


def slack_mode(settings: Settings) -> Mode:
    """Socket Mode when SLACK_APP_TOKEN is set (preferred), else HTTP mode; check the formats."""
    token = (settings.slack_bot_token or "").strip()
    if not token:
        raise ConfigError("SLACK_BOT_TOKEN is not set. Copy the Bot User OAuth Token "
                          "(xoxb-...) from your Slack app's OAuth & Permissions page.")
    if not token.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN should be the Bot User OAuth Token, which starts "
                          "with xoxb- (OAuth & Permissions page of your Slack app).")
    app_token = (settings.slack_app_token or "").strip()
    if app_token:
        if not app_token.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN should be an app-level token starting with "
                              "xapp- (Basic Information → App-Level Tokens, scope "
                              "connections:write).")
        return "socket"
    secret = settings.slack_signing_secret
    if secret is not None:
        if not secret.strip() or any(c.isspace() for c in secret.strip()):
            raise ConfigError("SLACK_SIGNING_SECRET looks malformed: copy the Signing Secret "
                              "from Basic Information → App Credentials, without spaces.")
        return "http"
    raise ConfigError("Slack needs SLACK_APP_TOKEN (Socket Mode, no public URL) or "
                      "SLACK_SIGNING_SECRET (HTTP mode) next to SLACK_BOT_TOKEN.")
