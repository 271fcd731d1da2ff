"""The fixtures every app's tests share come from plugins (tests/plugins/); each app adds its own in
tests/<app>/conftest.py. Plain helpers are in tests/support/."""

pytest_plugins = [
    "tests.plugins.environment", "tests.plugins.users", "tests.plugins.browser", "tests.plugins.s3",
    "tests.plugins.smtp", "tests.plugins.files",
]
