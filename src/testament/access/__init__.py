"""Who is asking and what they may do: tokens, passwords, roles, permissions, project access."""
