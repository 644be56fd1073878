"""Fixtures the paperwork tests share: the clock at the paperwork world's now, and a
conference held then (tests/conferences/test_paperwork_world.py). A test module that defines
its own `clock` or `held` uses that one instead."""

import pytest

from .test_paperwork_world import at_now, held_in


@pytest.fixture
def clock():
    with at_now() as traveller:
        yield traveller


@pytest.fixture
def held(world, clock, settings, tmp_path):
    return held_in(world, settings=settings, tmp_path=tmp_path)
