"""Machinery written once and shared by every resource: errors, envelope, pagination, numbering."""
