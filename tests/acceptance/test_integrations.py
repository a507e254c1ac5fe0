"""The CI integration files: the pre-commit hook manifest and the GitHub Action.

The hooks' ``entry`` and the action's validate script are executed for real, with ``omp``
resolved to this checkout (``python -m omp_validators``); the action's pip-install step is
not run.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
INPUT_NAMES = {"paths", "aas-version", "fail-on", "sarif-file", "extra-args"}
_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


def _needs_reporters(*names: str) -> None:
    for name in names:
        if importlib.util.find_spec(f"omp_validators.reporters.{name}") is None:
            pytest.skip(f"the {name} reporter is not implemented yet")


# --- pre-commit -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hooks() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return {hook["id"]: hook for hook in data}


def test_hook_manifest_is_well_formed(hooks: dict[str, dict[str, Any]]) -> None:
    assert "omp-validate" in hooks
    for hook in hooks.values():
        for key in ("id", "name", "entry", "language", "files"):
            assert key in hook, f"{hook.get('id')}: missing {key}"
        assert hook["language"] == "python"
        assert hook.get("pass_filenames", True) is True
        assert shlex.split(hook["entry"])[:2] == ["omp", "validate"]
        re.compile(hook["files"])


def test_hook_files_pattern(hooks: dict[str, dict[str, Any]]) -> None:
    files = re.compile(hooks["omp-validate"]["files"])
    for name in ("a.json", "dir/b.xml", "c.aasx", "D.JSON"):
        assert files.search(name), name
    for name in ("a.yaml", "b.json.bak", "c.txt", "xml"):
        assert not files.search(name), name
    aasx = re.compile(hooks["omp-validate-aasx"]["files"])
    assert aasx.search("x/line.aasx")
    assert not aasx.search("x/line.json")


def _hook_command(hook: dict[str, Any], filenames: list[str]) -> list[str]:
    words = shlex.split(hook["entry"])
    assert words[0] == "omp"
    return [sys.executable, "-m", "omp_validators", *words[1:], *hook.get("args", []), *filenames]


def _matching(hook: dict[str, Any], folder: Path) -> list[str]:
    """The files pre-commit would pass: repository-relative paths matching ``files``."""
    pattern = re.compile(hook["files"])
    names = sorted(str(p.relative_to(ROOT)) for p in folder.rglob("*") if p.is_file())
    return [n for n in names if pattern.search(n)]


@pytest.mark.parametrize("hook_id", ["omp-validate", "omp-validate-aasx"])
@pytest.mark.parametrize(("folder", "expected"), [("valid", 0), ("invalid", 1)])
def test_hook_entry_runs(
    hooks: dict[str, dict[str, Any]], hook_id: str, folder: str, expected: int
) -> None:
    hook = hooks[hook_id]
    filenames = _matching(hook, EXAMPLES / folder)
    if not filenames:
        pytest.skip(f"no example in examples/{folder} matches {hook_id}'s files pattern")
    result = subprocess.run(
        _hook_command(hook, filenames),
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == expected, result.stdout + result.stderr
    if expected:
        assert filenames[0] in result.stdout


# --- GitHub Action --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _steps(action: dict[str, Any]) -> list[dict[str, Any]]:
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert isinstance(steps, list)
    return steps


def _step(action: dict[str, Any], step_id: str) -> dict[str, Any]:
    return next(s for s in _steps(action) if s.get("id") == step_id)


def test_action_interface(action: dict[str, Any]) -> None:
    assert set(action["inputs"]) == INPUT_NAMES
    assert action["inputs"]["paths"].get("required") is True
    assert action["inputs"]["fail-on"]["default"] == "error"
    assert action["inputs"]["sarif-file"]["default"] == "omp.sarif"
    assert "sarif-file" in action["outputs"]
    assert "steps.validate.outputs.sarif-file" in action["outputs"]["sarif-file"]["value"]
    for input_ in action["inputs"].values():
        assert input_.get("description")


def _strings(node: Any, where: str) -> list[tuple[str, str]]:
    """Every string in ``node`` with a dotted path saying where it is."""
    if isinstance(node, str):
        return [(where, node)]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in _strings(v, f"{where}.{k}")]
    if isinstance(node, list):
        return [s for i, v in enumerate(node) for s in _strings(v, f"{where}[{i}]")]
    return []


def test_action_inputs_reach_scripts_only_through_env(action: dict[str, Any]) -> None:
    used: set[str] = set()
    for i, step in enumerate(_steps(action)):
        if "run" in step:
            assert "${{" not in step["run"], f"step {i}: an expression inside run:"
            assert step.get("shell") == "bash"
        for where, text in _strings(step, f"steps[{i}]"):
            for expression in _EXPRESSION.findall(text):
                if "inputs." not in expression:
                    continue
                assert re.fullmatch(rf"steps\[{i}\]\.env\.[A-Z_]+", where), (
                    f"{where}: ${{{{{expression}}}}} must be passed through env:"
                )
                used.update(re.findall(r"inputs\.([a-z-]+)", expression))
    assert used == INPUT_NAMES, "every input is used"


def test_action_installs_its_own_checkout(action: dict[str, Any]) -> None:
    install = _step(action, "install")
    assert "pip install" in install["run"]
    assert '"$GITHUB_ACTION_PATH"' in install["run"]


def _validate_env(
    action: dict[str, Any], inputs: dict[str, str], tmp_path: Path
) -> tuple[dict[str, str], Path]:
    """The environment GitHub would give the validate step for ``inputs``."""
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    values.update(inputs)
    step_env: dict[str, str] = {}
    for key, value in _step(action, "validate")["env"].items():
        match = re.fullmatch(r"\$\{\{\s*inputs\.([a-z-]+)\s*\}\}", str(value))
        step_env[key] = values[match.group(1)] if match else ""  # steps.* outputs: unset
    output = tmp_path / "github_output"
    output.touch()
    return {**step_env, "GITHUB_ACTION_PATH": str(ROOT), "GITHUB_OUTPUT": str(output)}, output


def _shim(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    omp = folder / "omp"
    omp.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    omp.chmod(omp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


def _run_validate_step(
    action: dict[str, Any], inputs: dict[str, str], tmp_path: Path, shim_body: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, str], Path]:
    workspace = tmp_path / "workspace"
    shutil.copytree(EXAMPLES, workspace / "aas")
    step_env, output = _validate_env(action, inputs, tmp_path)
    shim = _shim(tmp_path / "bin", shim_body)
    script = tmp_path / "validate.sh"
    script.write_text(_step(action, "validate")["run"], encoding="utf-8")
    env = _env(**step_env)
    env["PATH"] = f"{shim}{os.pathsep}{env.get('PATH', '')}"
    # How GitHub runs `shell: bash` steps.
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    outputs = dict(
        line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if line
    )
    return result, outputs, workspace


_REAL_OMP = f'exec "{sys.executable}" -m omp_validators "$@"'


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ({"paths": "aas/valid"}, 0),
        ({"paths": "aas/valid/*.json aas/valid/spindle-3.1.xml", "aas-version": ""}, 0),
        ({"paths": "aas/invalid", "sarif-file": "reports/omp.sarif"}, 1),
        ({"paths": "aas/invalid", "fail-on": "never"}, 0),
        ({"paths": "aas/valid/spindle-3.1.xml", "aas-version": "3.1"}, 0),
        ({"paths": "aas/invalid", "extra-args": "--select env/duplicate-id,syntax/"}, 1),
        ({"paths": "aas/nothing-here"}, 2),
        ({"paths": "aas/valid", "sarif-file": "a.sarif\nexit-code=0"}, 2),
    ],
)
def test_action_validate_step(
    action: dict[str, Any], inputs: dict[str, str], expected: int, tmp_path: Path
) -> None:
    _needs_reporters("github", "sarif")
    result, outputs, workspace = _run_validate_step(action, inputs, tmp_path, _REAL_OMP)
    assert result.returncode == expected, result.stdout + result.stderr
    sarif_name = inputs.get("sarif-file", "omp.sarif")
    if "\n" in sarif_name:  # refused before anything is written to GITHUB_OUTPUT
        assert outputs == {}
        return
    assert outputs["exit-code"] == str(expected)
    assert outputs["sarif-file"] == sarif_name
    if expected == 2:
        return
    sarif = json.loads((workspace / sarif_name).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"]) == 1
    if expected == 1 or inputs.get("fail-on") == "never":
        assert "::error file=aas/invalid/" in result.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_action_passes_inputs_as_data_not_code(action: dict[str, Any], tmp_path: Path) -> None:
    """Hostile input values reach omp as literal arguments; the shell never evaluates them."""
    record = tmp_path / "argv.json"
    body = (
        f'exec "{sys.executable}" -c '
        f"\"import json, sys; json.dump(sys.argv[1:], open('{record}', 'w'))\" \"$@\""
    )
    inputs = {
        "paths": "aas/valid/*.json $(touch pwned) `touch pwned2` ;touch${IFS}pwned3",
        "aas-version": "3.0; touch pwned4",
        "fail-on": "warning",
        "sarif-file": "out dir/o.sarif",
        "extra-args": "--ignore env/ -j auto",
    }
    result, outputs, workspace = _run_validate_step(action, inputs, tmp_path, body)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("pwned", "pwned2", "pwned3", "pwned4"):
        assert not (workspace / name).exists()
    argv = json.loads(record.read_text(encoding="utf-8"))
    assert argv == [
        "validate",
        "aas/valid/*.json",  # the glob reaches omp unexpanded
        "$(touch",
        "pwned)",
        "`touch",
        "pwned2`",
        ";touch${IFS}pwned3",
        "--aas-version",
        "3.0; touch pwned4",
        "-o",
        "github",
        "--report",
        "sarif:out dir/o.sarif",
        "--fail-on",
        "warning",
        "--ignore",
        "env/",
        "-j",
        "auto",
    ]
    assert outputs == {"sarif-file": "out dir/o.sarif", "exit-code": "0"}
