"""The two documents schemathesis generates requests from, loaded when the tests are collected.

schemathesis makes a test item per operation at collection time, before any live server exists,
so our document is built from the application in-process; `test_fuzz` checks that it is exactly
what the live server publishes at /openapi.json. (`schemathesis.pytest.from_fixture`, which would
load it from the server, fails on pytest 9.2: it sets `Node._nodeid`, which pytest no longer has.)
The Qase v1 contract is read from its snapshot (tests/contracts/qase-v1.json), with the
corrections `contract_faults` lists and explains.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis.schemas import BaseSchema

from testament.app import create_app
from testament.settings import Settings
from tests.contract import load_spec
from tests.fuzz.contract_faults import NOT_IMPLEMENTED, corrected_contract

# Examples per operation. The default keeps the whole fuzz file under two minutes per backend on
# a 2-core machine; TESTAMENT_FUZZ_EXAMPLES=500 (say) is the long run, on demand.
DEFAULT_EXAMPLES = 10
EXAMPLES = int(os.environ.get("TESTAMENT_FUZZ_EXAMPLES", DEFAULT_EXAMPLES))
LONG_RUN = EXAMPLES != DEFAULT_EXAMPLES


def fuzz_config() -> schemathesis.Config:
    """The short run: the documents' examples, then `EXAMPLES` generated cases per operation,
    deterministic (a CI failure reproduces). A long run explores anew, and adds schemathesis's
    coverage phase (every boundary value and missing field the schema allows), which costs about
    a second per operation here, too much for every run."""
    generation: dict[str, Any] = {"max-examples": EXAMPLES, "database": "none"}
    if not LONG_RUN:
        generation["deterministic"] = True
    return schemathesis.Config.from_dict(
        {
            "generation": generation,
            "phases": {
                # Stateful testing follows links between operations, which neither document has.
                "stateful": {"enabled": False},
                # Other methods on each path only meet the router's 405.
                "coverage": {"enabled": LONG_RUN, "unexpected-methods": []},
            },
            "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
        }
    )


def own_openapi() -> dict[str, Any]:
    """Our OpenAPI document, from the application itself (no database is opened to build it)."""
    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app(Settings(data_dir=Path(data_dir)))
        document: dict[str, Any] = app.openapi()
        app.state.database.engine.dispose()
    return document


def own_document() -> BaseSchema:
    return schemathesis.openapi.from_dict(own_openapi(), config=fuzz_config())


def qase_document() -> BaseSchema:
    document = schemathesis.openapi.from_dict(
        corrected_contract(load_spec("v1")), config=fuzz_config()
    )
    return document.exclude(operation_id=list(NOT_IMPLEMENTED))
