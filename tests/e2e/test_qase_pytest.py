"""The official reporter, end to end: PyPI's `qase-pytest` in testops mode runs a small pytest
project against a live Testament server over HTTPS, then the server's data is checked.

The reporter builds `https://api-<host>/v1` from QASE_TESTOPS_API_HOST and trusts only certifi's
bundle, so: host `qase@127.0.0.1:PORT` (the `api-qase@` part becomes URL userinfo), a certificate
for IP 127.0.0.1 from a throwaway CA, and a tiny plugin (`-p trust_test_ca`) that points
`certifi.where` at a bundle holding that CA. The reporter never fails pytest, so only the
server's data is asserted.
"""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import certifi
import httpx
import pytest
import trustme

from tests.live import LiveServer, start_server

# The official reporter's round trip.
pytestmark = pytest.mark.both_backends

TEST_PROJECT = """
import pytest
from qase.pytest import qase


@qase.title("Pay with a saved card")
def test_pay():
    with qase.step("Open the cart", "Cart shown"):
        pass
    with qase.step("Pay"):
        qase.attach((b"receipt 42", "text/plain", "receipt.txt"))


def test_refund():
    assert 1 == 2, "refund total is wrong"


@pytest.mark.skip(reason="not ready")
def test_later():
    pass


@qase.id(CASE_ID)
def test_known_case():
    pass


@pytest.mark.parametrize("browser", ["chrome", "firefox"])
def test_browsers(browser):
    pass
"""

TRUST_PLUGIN = """
import certifi

certifi.where = lambda: {bundle!r}
"""


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    paths = folder / "cert.pem", folder / "key.pem", folder / "ca.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(paths[0]))
    cert.private_key_pem.write_to_path(str(paths[1]))
    ca.cert_pem.write_to_path(str(paths[2]))
    # The reporter's bundle: certifi's public roots plus the test CA.
    (folder / "bundle.pem").write_bytes(Path(certifi.where()).read_bytes() + paths[2].read_bytes())
    return paths


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def https_server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    tls: tuple[Path, Path, Path],
    database_url_for: Callable[[str], str | None],
) -> Iterator[LiveServer]:
    from tests.conftest import BACKENDS

    if request.param not in BACKENDS:
        pytest.skip(f"{request.param} not in TESTAMENT_TEST_BACKENDS")
    server = start_server(
        request.param, database_url_for(request.param), tmp_path_factory.mktemp("e2e"), tls=tls
    )
    yield server
    server.stop()


def run_reporter(
    server: LiveServer, tls: tuple[Path, Path, Path], workdir: Path, code: str, case_id: int
) -> str:
    workdir.mkdir()
    (workdir / "test_shop.py").write_text(TEST_PROJECT.replace("CASE_ID", str(case_id)))
    (workdir / "trust_test_ca.py").write_text(
        TRUST_PLUGIN.format(bundle=str(tls[0].parent / "bundle.pem"))
    )
    port = server.url.rsplit(":", 1)[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QASE_", "TESTAMENT_"))}
    env.update(
        PYTHONPATH=str(workdir),
        QASE_MODE="testops",
        QASE_TESTOPS_API_HOST=f"qase@127.0.0.1:{port}",
        QASE_TESTOPS_API_TOKEN=server.tokens["member"],
        QASE_TESTOPS_PROJECT=code,
        QASE_TESTOPS_RUN_TITLE="Reporter run",
        QASE_TESTOPS_SHOW_PUBLIC_REPORT_LINK="true",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "trust_test_ca",
            "-p",
            "no:cacheprovider",
            "test_shop.py",
        ],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.stdout + done.stderr


def test_reporter_session_lands_and_a_second_session_maps_to_the_same_cases(
    https_server: LiveServer, tls: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    trust = ssl.create_default_context(cafile=str(tls[2]))
    api = httpx.Client(
        base_url=https_server.url,
        headers={"Token": https_server.tokens["admin"]},
        verify=trust,
        timeout=30,
    )

    def ok(response: httpx.Response) -> Any:
        assert response.status_code == 200, response.text
        return response.json()["result"]

    code = "REPORTER"
    ok(api.post("/v1/project", json={"title": "Reporter", "code": code}))
    known = ok(api.post(f"/v1/case/{code}", json={"title": "A case written by hand"}))["id"]

    output = run_reporter(https_server, tls, tmp_path / "first", code, known)
    runs = ok(api.get(f"/v1/run/{code}", params={"limit": 10}))["entities"]
    assert len(runs) == 1, output
    run = runs[0]
    assert run["title"] == "Reporter run" and run["status"] == 1, "the run is completed"
    assert run["public"] is True
    results = ok(api.get(f"/v1/result/{code}", params={"run": str(run["id"]), "limit": 100}))[
        "entities"
    ]
    by_case = {r["case_id"]: r for r in results}
    cases = {
        c["title"]: c for c in ok(api.get(f"/v1/case/{code}", params={"limit": 100}))["entities"]
    }

    assert len(results) == 6, output
    assert by_case[known]["status"] == "passed", "@qase.id maps to the existing case"
    pay = by_case[cases["Pay with a saved card"]["id"]]
    assert pay["status"] == "passed" and pay["time_spent_ms"] >= 0
    assert [s["action"] for s in pay["steps"]] == ["Open the cart", "Pay"]
    assert [a["filename"] for a in pay["steps"][1]["attachments"]] == ["receipt.txt"]
    receipt = httpx.get(pay["steps"][1]["attachments"][0]["url"], verify=trust)
    assert receipt.content == b"receipt 42"
    refund = by_case[cases["test_refund"]["id"]]
    assert refund["status"] == "failed" and "refund total is wrong" in (refund["comment"] or "") + (
        refund["stacktrace"] or ""
    )
    assert by_case[cases["test_later"]["id"]]["status"] == "skipped"
    suite_titles = {
        s["title"] for s in ok(api.get(f"/v1/suite/{code}", params={"limit": 100}))["entities"]
    }
    assert "test_shop" in " ".join(suite_titles), suite_titles
    assert run["stats"]["total"] == len({r["case_id"] for r in results})

    case_count = ok(api.get(f"/v1/case/{code}", params={"limit": 1}))["total"]
    run_reporter(https_server, tls, tmp_path / "second", code, known)
    assert ok(api.get(f"/v1/case/{code}", params={"limit": 1}))["total"] == case_count, "same cases"
    second = ok(api.get(f"/v1/run/{code}", params={"limit": 10}))["entities"][0]
    second_results = ok(
        api.get(f"/v1/result/{code}", params={"run": str(second["id"]), "limit": 100})
    )["entities"]
    assert {r["case_id"] for r in second_results} == {r["case_id"] for r in results}
