"""What every list's typed filter object shares."""

from __future__ import annotations


class ListFilters:
    """Base of a list's filters (frozen dataclasses whose fields default to None, meaning "not
    filtered"): `any` says whether one is given, so a list can skip the filtered count."""

    @property
    def any(self) -> bool:
        return any(value is not None for value in vars(self).values())
