"""Testament: self-hosted test case management, wire-compatible with the Qase API."""

__version__ = "0.1.0"
