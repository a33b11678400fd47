from tests.custom_fields_v2.qase_v2 import qase_v2_for, server_url_client

__all__ = ["qase_v2_for", "server_url_client"]
