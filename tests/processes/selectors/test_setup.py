"""Reads of the designer (BPM-01): a scheme is read by designers only."""

from __future__ import annotations

import pytest
from django.http import Http404

from kontora.processes.selectors import setup as selectors
from tests.processes.factories import StageResultFactory


@pytest.mark.feature("BPM-01")
def test_a_scheme_is_found_by_the_designer_and_is_404_for_everyone_else(admin_user, manager_user):
    # given
    result = StageResultFactory()
    stage = result.stage
    # when / then
    assert selectors.access_process(admin_user, stage.process_id) == stage.process
    assert selectors.access_stage(admin_user, stage.pk) == stage
    assert selectors.access_result(admin_user, result.pk) == result
    for read, pk in ((selectors.access_process, stage.process_id), (selectors.access_stage, stage.pk),
                     (selectors.access_result, result.pk)):
        with pytest.raises(Http404):
            read(manager_user, pk)
    with pytest.raises(Http404):
        selectors.access_stage(admin_user, result.next_stage_id + 100)
