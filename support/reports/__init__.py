"""What a run tells people: Allure results with metadata, per-step evidence, retries and quarantine,
the report build, the living documentation. Nothing here reads or writes behave's `context`."""
