import datetime as dt
import itertools

from handlers.debate.order import first_side_index, ordered_sides

DAY = dt.date(2026, 2, 23)


def test_order_alternates_from_day_to_day_in_one_chat():
    for chat in ("telegram:-1001", "discord:42:7", "console:local"):
        firsts = [
            ordered_sides(("labs", "critics"), chat, DAY + dt.timedelta(days=n))[0]
            for n in range(10)
        ]
        assert all(a != b for a, b in itertools.pairwise(firsts))


def test_order_is_deterministic():
    assert ordered_sides(("labs", "critics"), "telegram:1", DAY) == ordered_sides(
        ("labs", "critics"), "telegram:1", DAY
    )


def test_order_differs_between_chats_on_the_same_day():
    chats = [f"telegram:{n}" for n in range(20)]
    indexes = {first_side_index(chat, DAY) for chat in chats}
    assert indexes == {0, 1}


def test_each_side_comes_first_about_equally_often():
    days = [DAY + dt.timedelta(days=n) for n in range(30)]
    labs_first = sum(ordered_sides(("labs", "critics"), "discord:9", d)[0] == "labs" for d in days)
    assert labs_first == 15


def test_both_sides_always_present():
    for n in range(5):
        assert set(ordered_sides(("labs", "critics"), "c", DAY + dt.timedelta(days=n))) == {
            "labs",
            "critics",
        }
