"""Tests of the client side of the `testament` command."""
