"""Settings' reads: they only read, and answer with the defaults while no row was saved."""

from __future__ import annotations

import pytest

from kontora.core.models import SystemSettings, UserParameters
from kontora.core.selectors.settings import block_enabled, system_settings, user_parameters
from tests.support.queries import assert_queries


def test_block_enabled_knows_only_the_real_blocks(db):
    with pytest.raises(ValueError, match="unknown functionality block 'stock'"):
        block_enabled(system_settings(), "stock")


@pytest.mark.feature("ORG-05", "ACC-07")
def test_reads_never_write_and_answer_with_the_defaults(manager_user):
    # when
    with assert_queries(2):
        system = system_settings()
        params = user_parameters(manager_user)
    # then
    assert [block_enabled(system, b) for b in ["sales", "works", "warehouse", "cash", "security_tab",
                                                "shipping_tab"]] == [True] * 6
    assert system.login_user_list is False
    assert (params.informer_at_start, params.show_tasks_at_login, params.report_overdue_at_login) == (
        True, False, False
    )
    assert not SystemSettings.objects.exists() and not UserParameters.objects.exists()


def test_reads_return_what_was_saved(manager_user):
    # given
    SystemSettings.objects.create(pk=1, cash_enabled=False)
    UserParameters.objects.create(user=manager_user, report_overdue_at_login=True)
    # then
    assert system_settings().cash_enabled is False
    assert user_parameters(manager_user).report_overdue_at_login is True
