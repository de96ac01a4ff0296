"""Slack: slack-bolt's AsyncApp in Socket Mode or HTTP mode, translating and delivering."""

from adapters.slack.adapter import SlackAdapter

__all__ = ["SlackAdapter"]
