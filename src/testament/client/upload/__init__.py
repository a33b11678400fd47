"""`testament upload`: test reports (JUnit, Allure, Playwright, Qase Report) into a run.

The flow, in `command.py`: the reports are read twice, streaming. The first pass (`plan.py`)
matches every test to its cases and finds what cannot be matched, before anything is written;
the second (`delivery.py`) uploads the attachments and sends the results in batches through the
v2 results endpoint, each result under an idempotency key (`keys.py`) so that no retry and no
re-run of the same command stores it twice.
"""
