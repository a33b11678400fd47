from tests.defects.helpers import store

__all__ = ["store"]
