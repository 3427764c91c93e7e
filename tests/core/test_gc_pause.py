"""The collector is off inside ``gc_paused`` and as it was after it, whatever happens inside."""

import gc

import pytest

from wardapp.core.gc_pause import gc_paused


def test_the_collector_is_off_inside_and_on_again_after():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # nested: the inner block leaves it to the outer one
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_turns_it_on_again():
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("the build failed")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
