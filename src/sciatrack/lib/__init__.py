"""Small Django helpers shared by every app, each with its own tests (as healthchecks' ``hc/lib``)."""
