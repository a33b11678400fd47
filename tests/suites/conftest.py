from tests.suites.rows import rows

__all__ = ["rows"]
