"""The root command loads its command modules only when one of their commands runs; its
listing comes from `ozgkompass.cli.COMMANDS`, which must say what the real commands say."""

from __future__ import annotations

import inspect
import subprocess
import sys


def test_the_table_lists_every_command_with_its_own_help_line():
    from ozgkompass.cli import COMMANDS, root_command

    root = root_command()
    assert sorted(root.commands) == sorted(COMMANDS)
    for name, command in root.commands.items():
        first = inspect.cleandoc(command.help or "").split("\n\n")[0]
        assert COMMANDS[name].help == first, name
        if not hasattr(command, "commands"):  # a command, not a group: its module
            assert command.callback.__module__ == COMMANDS[name].module, name


def _modules_after(*args: str) -> set[str]:
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom ozgkompass.cli import app\n"
            f"r = CliRunner().invoke(app, {list(args)!r})\n"
            "assert r.exit_code in (0, 2), r.output\n"
            "print(' '.join(m for m in sys.modules if m.startswith('ozgkompass')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return set(out.stdout.split())


def test_root_help_and_version_import_no_command_module():
    for args in (["--help"], ["--version"], []):
        loaded = _modules_after(*args)
        commands = {m for m in loaded if m.startswith("ozgkompass.cli.")} - {
            "ozgkompass.cli.german", "ozgkompass.cli.coercion", "ozgkompass.cli.errors",
            "ozgkompass.cli.output"}
        assert commands == set(), (args, commands)


def test_a_command_loads_only_its_own_module():
    loaded = _modules_after("schema")
    assert "ozgkompass.cli.commands" in loaded
    assert "ozgkompass.cli.spreadsheets" not in loaded and "ozgkompass.cli.progress" not in loaded


def test_a_mistyped_command_is_suggested_among_all_commands(cli):
    code, _, err = cli("archiv")
    assert code == 2
    assert "Meinten Sie 'archive'?" in err


def test_every_command_is_wrapped_by_the_one_error_handler():
    from ozgkompass.cli import root_command

    def walk(command, path):
        if command.callback is not None:
            assert getattr(command.callback, "_handles_errors", False), " ".join(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    for name, command in root_command().commands.items():
        walk(command, [name])
