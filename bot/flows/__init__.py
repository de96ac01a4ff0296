"""The journeys; importing a module registers its words, buttons and forms."""

import importlib

# Each module registers itself on import; later issues add theirs here.
FLOW_MODULES = [
    "bot.flows.debrief", "bot.flows.general", "bot.flows.settings", "bot.flows.privacy",
    "bot.flows.letter", "bot.flows.advice",
    # After general: right after a check-in, "stop" and free text are about the check-in.
    "bot.flows.checkin", "bot.flows.checkin_control",
]


def load() -> None:
    """Import every flow module so the registry is complete."""
    for name in FLOW_MODULES:
        importlib.import_module(name)
