"""Where the Qase v1 contract itself is wrong, and the narrow correction the fuzzer applies for each.

The contract snapshot (tests/contracts/qase-v1.json) stays as generated; the fuzzer reads it and
applies these corrections to its own in-memory copy. Each one names the operation and says why.
"""

from __future__ import annotations

import copy
from typing import Any

UNPROCESSABLE = {"description": "Unprocessable Entity."}

# Qase answers an invalid body with 422 ("Data is invalid") on every write operation, and the
# contract documents it on all of them but these, which list 400 only; we answer 422 as everywhere.
WRITES_WITHOUT_422 = (
    "/attachment/{code}/post",  # no file in `file[]`
    "/environment/{code}/{id}/patch",
    "/run/{code}/external-issue/post",
    "/run/{code}/{id}/patch",
    "/run/{code}/{id}/public/patch",
    "/shared_parameter/{id}/patch",
    "/shared_step/{code}/{hash}/patch",
    "/suite/{code}/{id}/delete",  # `destination_id` names no suite of the project
)

# The two user operations document 200 only, yet they sit behind the same token check and
# limit/offset checks as every other operation, which all document 400/401/403/429.
USER_ERRORS = {
    "400": {"description": "Bad Request."},
    "401": {"description": "Unauthorized."},
    "403": {"description": "Forbidden."},
    "429": {"description": "Too Many Requests."},
}


def _operation(path_and_method: str) -> str:
    path, _, method = path_and_method.rpartition("/")
    return "/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method


# (JSON pointer into the contract, what to add there, why the contract is wrong there)
CORRECTIONS: list[tuple[str, Any, str]] = [
    *(
        (f"{_operation(op)}/responses/422", UNPROCESSABLE, "422 missing on a write operation")
        for op in WRITES_WITHOUT_422
    ),
    *(
        (f"{_operation('/user/get')}/responses/{status}", response, "user list: errors missing")
        for status, response in USER_ERRORS.items()
    ),
    *(
        (f"{_operation('/user/{id}/get')}/responses/{status}", response, "user: errors missing")
        for status, response in {**USER_ERRORS, "404": {"description": "Not Found."}}.items()
    ),
]

# Operations of the contract Testament does not implement (they answer 404): not fuzzed.
NOT_IMPLEMENTED = {
    "search": "GET /search (Qase Query Language) is not implemented",
}


def _resolve(document: dict[str, Any], pointer: str) -> tuple[dict[str, Any], str]:
    """The object a JSON pointer ends in, and the key it names there."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.strip("/").split("/")]
    node: dict[str, Any] = document
    for part in parts[:-1]:
        node = node[part]
    return node, parts[-1]


def corrected_contract(contract: dict[str, Any]) -> dict[str, Any]:
    """A copy of `contract` with every correction added (the original is not touched)."""
    document = copy.deepcopy(contract)
    for pointer, value, why in CORRECTIONS:
        parent, key = _resolve(document, pointer)
        if key in parent:
            # The contract was fixed upstream: the correction has to go.
            raise ValueError(f"{pointer} ({why}) is in the contract now; drop the correction")
        parent[key] = value
    return document
