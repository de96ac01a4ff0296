"""The engine package stays free of platform libraries."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

FORBIDDEN = ("slack_bolt", "slack_sdk", "discord")
BOT = Path(__file__).resolve().parent.parent / "bot"


def test_bot_source_imports_no_platform_library() -> None:
    """No module under bot/ imports slack_bolt, slack_sdk or discord, even lazily."""
    offenders = []
    for path in BOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in FORBIDDEN:
                    offenders.append(f"{path.relative_to(BOT.parent)}: {name}")
    assert offenders == []


def test_importing_the_engine_loads_no_platform_library() -> None:
    """Importing the engine and every flow pulls in none of them at run time either."""
    code = (
        "import sys, bot.engine, bot.flows; bot.flows.load(); "
        f"print([m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=BOT.parent)
    assert out.stdout.strip() == "[]"
