from tests.environments.live_db import live_db

__all__ = ["live_db"]
