"""The collector settles once start-up is done: start-up heap frozen, young passes rarer."""

import gc

from parley.heap import YOUNG_THRESHOLD, settle_heap


def test_settling_freezes_the_start_up_heap_and_raises_the_young_threshold():
    before = gc.get_threshold()
    try:
        settle_heap()
        assert gc.get_freeze_count() > 1000
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD > before[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
