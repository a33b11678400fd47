"""Every title search (and the author name search) ignores case for non-ASCII letters too, on
both backends: `ÄPFEL` finds `äpfel` and `Äpfel`. SQLite's own `lower()` and `LIKE` fold ASCII
letters only (see `testament.kit.text_search`)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from testament.kit.text_search import IRREGULAR_CASES, letter_cases
from tests.factories import make_project, unique_code
from tests.live import LiveServer, run_testament

# Title search folds case in SQL (SQLite's lower() and LIKE fold ASCII only).
pytestmark = pytest.mark.both_backends


@dataclass(frozen=True)
class Searchable:
    """How to make one entity titled `title` and list the titles a search finds."""

    make: Callable[[httpx.Client, LiveServer, str, str], None]  # (api, server, code, title)
    path: str  # the list; `{code}` is the project
    search_parameter: str = "search"
    title_field: str = "title"


def _post(api: httpx.Client, path: str, body: dict[str, Any]) -> None:
    response = api.post(path, json=body)
    assert response.status_code == 200, response.text


def _author(api: httpx.Client, server: LiveServer, code: str, title: str) -> None:
    email = f"search-{unique_code().lower()}@example.com"
    done = run_testament(
        "user", "create", "--email", email, "--name", title, "--role", "viewer", env=server.env
    )
    assert done.returncode == 0, done.stderr


SEARCHABLE = {
    "cases": Searchable(
        lambda api, _, code, title: _post(api, f"/v1/case/{code}", {"title": title}),
        "/v1/case/{code}",
    ),
    "suites": Searchable(
        lambda api, _, code, title: _post(api, f"/v1/suite/{code}", {"title": title}),
        "/v1/suite/{code}",
    ),
    "milestones": Searchable(
        lambda api, _, code, title: _post(api, f"/v1/milestone/{code}", {"title": title}),
        "/v1/milestone/{code}",
    ),
    "shared steps": Searchable(
        lambda api, _, code, title: _post(
            api, f"/v1/shared_step/{code}", {"title": title, "steps": [{"action": "Open"}]}
        ),
        "/v1/shared_step/{code}",
    ),
    "environments": Searchable(
        lambda api, _, code, title: _post(
            api, f"/v1/environment/{code}", {"title": title, "slug": unique_code().lower()}
        ),
        "/v1/environment/{code}",
    ),
    "runs": Searchable(
        lambda api, _, code, title: _post(api, f"/v1/run/{code}", {"title": title}),
        "/v1/run/{code}",
    ),
    "reviews": Searchable(
        lambda api, _, code, title: _post(
            api, f"/v1/review/{code}", {"proposed_case": {"title": title}}
        ),
        "/v1/review/{code}",
    ),
    "shared parameters": Searchable(
        lambda api, _, code, title: _post(
            api,
            "/v1/shared_parameter",
            {
                "title": title,
                "type": "single",
                "parameters": [{"title": "Browser", "values": ["firefox"]}],
                "project_codes": [code],
                "is_enabled_for_all_projects": False,
            },
        ),
        "/v1/shared_parameter",
        search_parameter="filters[search]",
    ),
    "authors": Searchable(_author, "/v1/author", title_field="name"),
}


@pytest.fixture(scope="module")
def token() -> str:
    """In every title here, so workspace-wide lists (authors, shared parameters) find only
    these."""
    return unique_code(6).lower()


def titles(token: str) -> dict[str, str]:
    return {
        "lower": f"{token} äpfel",
        "capital": f"{token} Äpfel",
        "cyrillic": f"{token} ГРУША",
        # A fast pre-filter with `_` for `Ä` matches `Zpfel`: the exact check must not.
        "decoy": f"{token} Äx {token} Zpfel",
    }


SEARCHES = [
    ("{token} ÄPFEL", ["lower", "capital"]),
    ("{token} äpfel", ["lower", "capital"]),
    ("{token} Äpfel", ["lower", "capital"]),
    ("{TOKEN} äPfEl", ["lower", "capital"]),
    ("{token} груша", ["cyrillic"]),
    ("{token} zPFEL", ["decoy"]),
    ("{token} Ä", ["capital", "decoy", "lower"]),
]


@pytest.mark.parametrize("entity", list(SEARCHABLE))
def test_search_ignores_the_case_of_non_ascii_letters(
    api: httpx.Client, server: LiveServer, token: str, entity: str
) -> None:
    searchable = SEARCHABLE[entity]
    code = make_project(api)
    # Workspace-wide lists are shared by the module's tests: a token of this test's own.
    mine = f"{token}{unique_code(3).lower()}"
    made = titles(mine)
    for title in made.values():
        searchable.make(api, server, code, title)
    for search, expected in SEARCHES:
        term = search.format(token=mine, TOKEN=mine.upper())
        response = api.get(
            searchable.path.format(code=code),
            params={searchable.search_parameter: term, "limit": 100},
        )
        assert response.status_code == 200, response.text
        listed = response.json()["result"]["entities"]
        found = sorted(item[searchable.title_field] for item in listed)
        assert found == sorted(made[name] for name in expected), term
        assert response.json()["result"]["filtered"] == len(expected), term


def test_glob_and_like_wildcards_in_a_non_ascii_search_are_literal(api: httpx.Client) -> None:
    code = make_project(api)
    for title in ("Ä*?[x]%_/", "Äb", "Ä?", "Äzzzzzz"):
        _post(api, f"/v1/suite/{code}", {"title": title})

    def found(search: str) -> list[str]:
        result = api.get(f"/v1/suite/{code}", params={"search": search}).json()["result"]
        return [suite["title"] for suite in result["entities"]]

    assert found("ä*") == ["Ä*?[x]%_/"]
    assert found("ä?") == ["Ä?"]
    assert found("?[X]%_/") == ["Ä*?[x]%_/"]
    assert found("ä*?[x]%_/") == ["Ä*?[x]%_/"]
    assert found("ä%") == []


def test_a_search_longer_than_any_title_finds_nothing(api: httpx.Client) -> None:
    code = make_project(api)
    _post(api, f"/v1/suite/{code}", {"title": "Ä" * 255})
    assert api.get(f"/v1/suite/{code}", params={"search": "ä" * 255}).json()["result"]["count"] == 1
    long_search = api.get(f"/v1/suite/{code}", params={"search": "ä" * 256})
    assert long_search.json()["result"]["count"] == 0


def test_the_irregular_cases_are_every_character_no_simpler_rule_finds() -> None:
    """`letter_cases` finds a letter's cases from its own lowercase, uppercase and titlecase,
    plus `IRREGULAR_CASES`; a scan of every code point says which characters that misses."""
    by_lowercase: dict[str, set[str]] = {}
    for point in range(sys.maxunicode + 1):
        char = chr(point)
        lower = char.lower()[0]
        if lower != char and not 0xD800 <= point <= 0xDFFF:
            by_lowercase.setdefault(lower, {lower}).add(char)
    missed: set[str] = set()
    for lower, chars in by_lowercase.items():
        for char in chars:
            if char.isascii():  # an ASCII letter in a search matches its ASCII cases only
                assert set(letter_cases(char)) == {char.lower(), char.upper()}
            else:
                assert set(letter_cases(char)) == chars, char
        simple = {lower, *(form for form in (lower.upper(), lower.title()) if len(form) == 1)}
        missed |= chars - simple
    assert missed == set(IRREGULAR_CASES)
