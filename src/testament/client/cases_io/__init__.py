"""`testament import cases` and `testament export cases`: a project's cases as CSV (or JSON).

The CSV speaks Qase's export dialect (`steps_actions` / `steps_result` / `steps_data` cells with
numbered lines, `v2.id`, `suite_id` / `suite_parent_id` suite trees) as well as a simpler one of its
own (a `suite` column holding a path like `Auth / Login / SSO`). Modules:

- `columns`: header names and their aliases;
- `steps`: step cells parsed and rendered;
- `reader`: the file read once, streaming, into validated rows, with errors by row and column;
- `plan`: rows matched with the project's cases and suites (what to create, update, leave);
- `writer`: the plan carried out, without duplicates when a write must be retried;
- `export`: the project's cases written out;
- `command`: what the CLI commands call.
"""
