"""Turning a command line into a request for one table row, and the answer into output.

Independent of the command-line library: `cli/api.py` builds the commands and hands the flag
values here. Flag values arrive keyed by the row's `Param.flag`; a bad value raises `FlagError`
naming the flag (a usage error), a refused request `ApiError` (see `explain`).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from testament.client.spec import Operation, Param

if TYPE_CHECKING:
    from testament.client.config import ClientConfig
    from testament.client.http import ApiClient, ApiError

BODY_FLAG = "--body"
BODY_FILE_FLAG = "--body-file"
ALL_FLAG = "--all"
PAGE_SIZE_MAX = 100  # the server's largest `limit`


class FlagError(Exception):
    """A flag's value cannot be used; `flag` names it for the usage message."""

    def __init__(self, flag: str, message: str) -> None:
        super().__init__(message)
        self.flag = flag
        self.message = message


@dataclass
class PreparedRequest:
    method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    files: list[tuple[str, Path]] = field(default_factory=list)
    all_pages: bool = False
    paging: str = ""  # the operation's: "offset" or "cursor"
    body: dict[str, Any] | None = None  # the JSON body before it is sent (composite commands)


def convert(param: Param, value: Any) -> Any:
    """A flag's value as the JSON the server expects (ints and bools arrive converted)."""
    if value is None or param.kind in ("integer", "number", "boolean"):
        return value
    if param.kind == "string":
        return value
    if isinstance(value, (list, tuple)):  # a repeatable query flag
        return [_scalar(param, param.items or "string", v) for v in value]
    text = str(value)
    if param.kind == "array":
        stripped = text.strip()
        if stripped.startswith("["):
            parsed = _json(param.flag, text)
            if not isinstance(parsed, list):
                raise FlagError(param.flag, "expected a JSON array")
            return parsed
        # `--tags smoke,login` and `--cases 1,2,3` read as lists too.
        return [_scalar(param, param.items or "string", v.strip()) for v in text.split(",") if v]
    if param.kind == "object":
        parsed = _json(param.flag, text)
        if not isinstance(parsed, dict):
            raise FlagError(param.flag, 'expected a JSON object, e.g. \'{"key": "value"}\'')
        return parsed
    # "any": JSON when it parses (2, true, {...}), else the text itself (critical).
    try:
        return json.loads(text)
    except ValueError:
        return text


def _scalar(param: Param, kind: str, text: Any) -> Any:
    if kind == "integer":
        try:
            return int(text)
        except (TypeError, ValueError):
            raise FlagError(param.flag, f"{text!r} is not an integer") from None
    if kind == "number":
        try:
            return float(text)
        except (TypeError, ValueError):
            raise FlagError(param.flag, f"{text!r} is not a number") from None
    if kind in ("object", "array", "any") and isinstance(text, str):
        return _json(param.flag, text)
    return text


def _json(flag: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise FlagError(flag, f"not valid JSON: {exc}") from None


def read_body(body: str | None, body_file: str | None) -> dict[str, Any] | None:
    """The JSON object given with `--body` or `--body-file` (`-`: stdin), or None."""
    if body is not None and body_file is not None:
        raise FlagError(BODY_FLAG, f"give {BODY_FLAG} or {BODY_FILE_FLAG}, not both")
    if body_file is not None:
        flag = BODY_FILE_FLAG
        if body_file == "-":
            text = sys.stdin.read()
        else:
            try:
                text = Path(body_file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise FlagError(flag, f"cannot read {body_file}: {exc}") from None
    elif body is not None:
        flag, text = BODY_FLAG, body
    else:
        return None
    parsed = _json(flag, text)
    if not isinstance(parsed, dict):
        raise FlagError(flag, "the body must be a JSON object")
    return parsed


def prepare(
    op: Operation,
    values: Mapping[str, Any],
    *,
    body: str | None = None,
    body_file: str | None = None,
    all_pages: bool = False,
) -> PreparedRequest:
    """Everything the flags say, checked; path parameters left to `fill_path` (they may come
    from the configuration)."""
    request = PreparedRequest(
        method=op.method, path=op.path, all_pages=all_pages and bool(op.paging), paging=op.paging
    )
    for param in op.query_params:
        value = convert(param, values.get(param.flag))
        if value is not None and value != []:
            request.params[param.name] = value
    if op.body == "multipart":
        for param in op.body_fields:
            for path in values.get(param.flag) or ():
                request.files.append((param.name, Path(path)))
    elif op.body == "json":
        merged = read_body(body, body_file) or {}
        for param in op.body_fields:
            value = convert(param, values.get(param.flag))
            if value is not None:
                merged[param.name] = value  # field flags win over --body
        request.body = merged
        if merged or op.body_required:
            request.json = merged
    return request


def fill_path(
    op: Operation, request: PreparedRequest, values: Mapping[str, Any], config: ClientConfig
) -> None:
    """Put the path parameters into the path, taking defaults from the configuration."""
    path = op.path
    for param in op.path_params:
        value = values.get(param.flag)
        if value in (None, "") and param.default_from == "project":
            value = config.project
        elif value in (None, "") and param.default_from == "run_id":
            value = config.run_id
        if value in (None, ""):
            hint = ""
            if param.default_from == "project":
                hint = ", set TESTAMENT_PROJECT, or put `project` in .testament.toml"
            elif param.default_from == "run_id":
                hint = " or set TESTAMENT_RUN_ID"
            raise FlagError(param.flag, f"none given: pass {param.flag}{hint}")
        text = str(value).upper() if param.flag == "--project-code" else str(value)
        path = path.replace("{" + param.name + "}", quote(text, safe=""))
    request.path = path


def send(client: ApiClient, request: PreparedRequest) -> Any:
    """Send the request; the envelope's `result` (every entity with `all_pages`)."""
    if request.all_pages:
        return list(_every_entity(client, request))
    files = None
    handles = []
    if request.files:
        handles = [path.open("rb") for _, path in request.files]
        files = [
            (name, (path.name, handle))
            for (name, path), handle in zip(request.files, handles, strict=True)
        ]
    try:
        answer = client.request(
            request.method,
            request.path,
            params=request.params or None,
            json=request.json,
            files=files,
        )
    finally:
        for handle in handles:
            handle.close()
    return result_of(answer)


def result_of(answer: Any) -> Any:
    """`result` of a `{"status": true, "result": ...}` envelope; the whole answer without one."""
    if isinstance(answer, dict) and "result" in answer:
        return answer["result"]
    return answer


def _every_entity(client: ApiClient, request: PreparedRequest) -> Iterator[Any]:
    params = dict(request.params)
    page_size = min(int(params.pop("limit", PAGE_SIZE_MAX)), PAGE_SIZE_MAX)
    if request.paging == "cursor":
        while True:
            page = result_of(
                client.request("GET", request.path, params={**params, "limit": page_size})
            )
            yield from page.get("entities", [])
            params["cursor"] = page.get("next_cursor")
            if not params["cursor"]:
                return
    yield from client.pages(request.path, params, page_size=page_size)


def flag_for(op: Operation, field_name: str) -> str | None:
    """The flag that sets a field the server named (`steps[0].action` -> `--steps`)."""
    by_name: dict[str, str] = {}
    for param in op.params:
        by_name[param.name] = param.flag
        by_name.setdefault(param.name.replace("[]", ""), param.flag)
    if field_name in by_name:
        return by_name[field_name]
    top = re.split(r"[.\[]", field_name, maxsplit=1)[0]
    if top in by_name:
        return by_name[top]
    if field_name == "body":
        return f"{BODY_FLAG}/{BODY_FILE_FLAG}"
    return None


def explain(op: Operation, error: ApiError) -> str:
    """The message for stderr: what the server said, each offending field as its flag."""
    where = f"{error.method} {error.path}" if error.method else f"{op.method} {op.path}"
    status = f"HTTP {error.status}: " if error.status is not None else ""  # else "no answer: ..."
    lines = [f"error: {where}: {status}{error.message}"]
    for item in error.fields:
        name = str(item.get("field", ""))
        message = str(item.get("error", ""))
        flag = flag_for(op, name)
        if flag is None:
            lines.append(f"  {name}: {message}")
        elif flag.lstrip("-").replace("-", "_") == name:
            lines.append(f"  {flag}: {message}")
        else:
            lines.append(f"  {flag} ({name}): {message}")
    return "\n".join(lines)


def to_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
