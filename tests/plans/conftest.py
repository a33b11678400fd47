from tests.plans.rows import rows

__all__ = ["rows"]
