"""A small stand-in for the GitHub Actions runner: enough of it to run a workflow from
docs/ci.md through action.yml as GitHub would, on this machine.

It evaluates ``${{ }}`` expressions (contexts, string literals, ``==``/``!=``/``&&``/``||``/
``!``, ``always()``, ``toJSON``), gives each step its ``GITHUB_OUTPUT`` file and the job one
``GITHUB_STEP_SUMMARY``, runs ``run:`` steps with ``bash --noprofile --norc -eo pipefail`` as the
runner does, and plays the actions the workflow uses: ``actions/checkout`` (the workspace is
already the checkout), ``actions/setup-python`` and the install step (brandkit is installed in
this interpreter), ``actions/upload-artifact`` (the files, zipped, uploaded to the sandbox's
GitHub as the run's artifact).
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import subprocess
import sys
import typing as t
import zipfile
from pathlib import Path

import yaml

TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\)|,)"
    r"|(?P<num>\d+)|(?P<name>[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\.\*)*))"
)


def _lookup(contexts: dict[str, t.Any], path: str) -> t.Any:
    value: t.Any = contexts
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return "" if value is None else value


def evaluate(expression: str, contexts: dict[str, t.Any]) -> t.Any:
    """One expression, as GitHub evaluates the subset the workflows here use."""
    python, pos, names = [], 0, {}
    while pos < len(expression.rstrip()):
        m = TOKEN.match(expression, pos)
        if m is None:
            raise ValueError(f"cannot read {expression!r} at {pos}")
        pos = m.end()
        if m.group("str"):
            python.append(repr(m.group("str")[1:-1].replace("''", "'")))
        elif m.group("op"):
            python.append(
                {"&&": " and ", "||": " or ", "!": " not "}.get(m.group("op"), m.group("op"))
            )
        elif m.group("num"):
            python.append(m.group("num"))
        else:
            name = m.group("name")
            if name in ("always", "success", "toJSON", "fromJSON"):
                python.append(f"_{name}")
            elif name in ("true", "false"):
                python.append(str(name == "true"))
            else:
                key = f"_v{len(names)}"
                names[key] = _lookup(contexts, name)
                python.append(key)
    functions = {
        "_always": lambda: True,
        "_success": lambda: contexts.get("_ok", True),
        "_toJSON": lambda v: json.dumps(v),
        "_fromJSON": lambda v: json.loads(v),
    }
    return eval("".join(python), {"__builtins__": {}}, {**functions, **names})  # noqa: S307


def substitute(text: t.Any, contexts: dict[str, t.Any]) -> t.Any:
    if not isinstance(text, str):
        return text
    whole = re.fullmatch(r"\$\{\{(.*?)\}\}", text.strip(), re.S)
    if whole:
        value = evaluate(whole.group(1), contexts)
        return value if not isinstance(value, bool) else str(value).lower()
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(evaluate(m.group(1), contexts)), text)


@dataclasses.dataclass
class Run:
    """One workflow run: its steps' outputs, the summary, what the steps printed."""

    summary: str
    log: str
    outputs: dict[str, dict[str, str]]
    ok: bool


class Runner:
    def __init__(
        self,
        *,
        action: Path,
        workspace: Path,
        github: t.Any,  # the sandbox's GitHub emulator (its .repos take the artifacts)
        env: dict[str, str],
        repository: str,
    ) -> None:
        self.action = action
        self.workspace = workspace
        self.github = github
        self.env = env
        self.repository = repository

    def run(
        self,
        workflow: str,
        *,
        event_name: str,
        payload: dict[str, t.Any],
        sha: str,
        run_id: int,
        token: str,
        with_inputs: dict[str, str] | None = None,
    ) -> Run:
        data = yaml.safe_load(workflow)
        [job] = data["jobs"].values()
        temp = self.workspace.parent / f"runner-{run_id}"
        temp.mkdir()
        event = temp / "event.json"
        event.write_text(json.dumps(payload))
        summary = temp / "summary.md"
        summary.touch()
        github = {
            "event_name": event_name,
            "event": payload,
            "sha": sha,
            "repository": self.repository,
            "run_id": str(run_id),
            "token": token,
            "server_url": "https://github.com",
            "api_url": self.env["GITHUB_API_URL"],
            "workspace": str(self.workspace),
            "action_path": str(self.action.parent),
            "ref": "refs/heads/main" if event_name == "push" else f"refs/pull/{run_id}/merge",
        }
        base_env = {
            **self.env,
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": event_name,
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_SHA": sha,
            "GITHUB_REPOSITORY": self.repository,
            "GITHUB_RUN_ID": str(run_id),
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_ACTION_PATH": str(self.action.parent),
        }
        head = (payload.get("pull_request") or {}).get("head", {}).get("sha", sha)
        contexts: dict[str, t.Any] = {"github": github, "secrets": {}, "env": {}, "_ok": True}
        log: list[str] = []
        outputs: dict[str, dict[str, str]] = {}
        for n, step in enumerate(job["steps"]):
            uses = step.get("uses", "")
            if uses.startswith("actions/checkout@"):
                continue
            if not uses.startswith("<owner>/brandkit@"):
                raise AssertionError(f"the runner here does not play {uses or step}")
            inputs = {k: substitute(v, contexts) for k, v in (step.get("with") or {}).items()}
            inputs.update(with_inputs or {})
            env = {k: str(substitute(v, contexts)) for k, v in (step.get("env") or {}).items()}
            ok = self._composite(inputs, env, base_env, github, head, temp, n, log, outputs)
            contexts["_ok"] = contexts["_ok"] and ok
        return Run(summary.read_text(), "".join(log), outputs, bool(contexts["_ok"]))

    def _composite(
        self,
        given: dict[str, t.Any],
        step_env: dict[str, str],
        base_env: dict[str, str],
        github: dict[str, t.Any],
        head: str,
        temp: Path,
        n: int,
        log: list[str],
        outputs: dict[str, dict[str, str]],
    ) -> bool:
        action = yaml.safe_load(self.action.read_text())
        inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
        contexts: dict[str, t.Any] = {"github": github, "inputs": inputs, "steps": {}, "_ok": True}
        inputs.update(
            {k: substitute(v, contexts) for k, v in inputs.items()}
        )  # ${{ github.token }}
        inputs.update({k: str(v) for k, v in given.items()})
        for m, step in enumerate(action["runs"]["steps"]):
            if not evaluate(step.get("if", "success()"), contexts):
                continue
            uses = step.get("uses", "")
            if uses.startswith("actions/setup-python@") or "pip install" in step.get("run", ""):
                continue  # Python and brandkit are this interpreter's
            if uses.startswith("actions/upload-artifact@"):
                self._upload(
                    {k: substitute(v, contexts) for k, v in step["with"].items()}, github, head
                )
                continue
            output = temp / f"output-{n}-{m}"
            output.touch()
            env = {
                **base_env,
                **step_env,
                **{k: str(substitute(v, contexts)) for k, v in (step.get("env") or {}).items()},
                "GITHUB_OUTPUT": str(output),
                "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"],
            }
            script = substitute(step["run"], contexts)
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                cwd=self.workspace,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            log.append(f"## {step.get('name')}\n{done.stdout}{done.stderr}")
            found = dict(
                line.split("=", 1) for line in output.read_text().splitlines() if "=" in line
            )
            if step.get("id"):
                contexts["steps"][step["id"]] = {"outputs": found}
                outputs[step["id"]] = found
            if done.returncode != 0:
                contexts["_ok"] = False
        return bool(contexts["_ok"])

    def _upload(self, given: dict[str, t.Any], github: dict[str, t.Any], head: str) -> None:
        buffer = io.BytesIO()
        count = 0
        with zipfile.ZipFile(buffer, "w") as archive:
            for line in str(given["path"]).split():
                path = self.workspace / line
                for file in (
                    [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []
                ):
                    if file.is_file():
                        archive.write(file, file.relative_to(self.workspace).as_posix())
                        count += 1
        if count:
            self.github.repos.upload_artifact(
                self.repository,
                run_id=int(github["run_id"]),
                head_sha=head,
                name=given["name"],
                zipped=buffer.getvalue(),
            )
