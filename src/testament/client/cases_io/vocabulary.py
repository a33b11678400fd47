"""The values the enum columns take, as the server's system fields (`GET /v1/system_field`) say.

A cell may hold an option's slug (`critical`), its title (`Critical`, any case) or its id (`2`);
the export writes slugs, which survive renamed titles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from testament.client.cases_io.columns import ENUM_COLUMNS


@dataclass
class Vocabulary:
    lookup: dict[str, dict[str, int]] = field(default_factory=dict)
    slugs: dict[str, dict[int, str]] = field(default_factory=dict)

    @classmethod
    def from_system_fields(cls, system_fields: Iterable[dict[str, Any]]) -> Vocabulary:
        vocabulary = cls()
        for system_field in system_fields:
            slug = system_field.get("slug")
            if slug not in ENUM_COLUMNS:
                continue
            lookup: dict[str, int] = {}
            slugs: dict[int, str] = {}
            for option in system_field.get("options") or []:
                option_id = int(option["id"])
                slugs[option_id] = str(option["slug"])
                for name in (option.get("title"), str(option_id)):
                    if name:
                        lookup.setdefault(str(name).strip().lower(), option_id)
                # Slugs win over titles and ids when they collide.
                lookup[str(option["slug"]).lower()] = option_id
            vocabulary.lookup[str(slug)] = lookup
            vocabulary.slugs[str(slug)] = slugs
        return vocabulary

    def resolve(self, column: str, value: str) -> int | None:
        """The option id `value` names in `column`, None when it names none."""
        return self.lookup.get(column, {}).get(value.strip().lower())

    def allowed(self, column: str) -> str:
        return ", ".join(self.slugs.get(column, {}).values()) or "(the server has no such field)"

    def slug(self, column: str, option_id: int | None) -> str:
        if option_id is None:
            return ""
        return self.slugs.get(column, {}).get(option_id, str(option_id))
