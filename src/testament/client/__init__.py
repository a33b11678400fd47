"""The client side of the `testament` command: talks to a Testament (or Qase) server over HTTP."""
