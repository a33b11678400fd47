from tests.reviews.db import db

__all__ = ["db"]
