from tests.custom_fields.helpers import stored

__all__ = ["stored"]
