"""The lockout as read by its selectors: a password re-entered to confirm an act counts like a sign-in."""

from __future__ import annotations

import pytest

from kontora.accounts import selectors
from kontora.accounts.services import signin as services


@pytest.mark.feature("ACC-01")
def test_five_wrong_reentries_lock_the_reentry_for_the_window(manager_user, admin_user):
    # given four wrong re-entries
    for _attempt in range(4):
        services.reentry_failed(manager_user)
    open_after_four = selectors.reentry_locked_minutes(manager_user)
    # when the fifth is wrong too
    services.reentry_failed(manager_user)
    # then the user waits the whole window; another user and sign-in from anywhere are not locked
    assert open_after_four == 0
    assert selectors.reentry_locked_minutes(manager_user) == 15
    assert selectors.reentry_locked_minutes(admin_user) == 0
    assert not selectors.is_locked_out(login=manager_user.login, ip="10.0.0.5")
    # and forgetting the failures opens it again
    services.reentry_forget(manager_user)
    assert selectors.reentry_locked_minutes(manager_user) == 0
