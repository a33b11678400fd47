from tests.shared_steps.rows import rows

__all__ = ["rows"]
