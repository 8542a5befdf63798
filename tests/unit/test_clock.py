"""clock_at: the demo letters are stamped with the past working day they are told on (issue 14 item 8)."""
from datetime import datetime, timedelta, timezone

from app.core.models import clock_at, utcnow


def test_utcnow_answers_the_given_moment_inside_the_block_only():
    moment = datetime(2026, 9, 1, 2, 30)
    with clock_at(moment):
        assert utcnow() == moment
        with clock_at(moment + timedelta(hours=1)):
            assert utcnow() == moment + timedelta(hours=1)
        assert utcnow() == moment
    assert utcnow() - datetime.now(timezone.utc).replace(tzinfo=None) < timedelta(seconds=5)
