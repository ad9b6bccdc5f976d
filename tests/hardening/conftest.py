from tests.intake.conftest import mailroom, make_mailroom  # noqa: F401  (the same whole-mailroom fixtures)
