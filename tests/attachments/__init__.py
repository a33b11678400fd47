"""Attachments: upload, list, get, delete, download, storage and links."""
