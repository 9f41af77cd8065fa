"""The concurrent replayer's bookkeeping: workers' counts add up, and nothing they found is lost."""

from cli.replay.parallel import merge
from cli.replay.replayer import ReplayStats


def test_merged_stats_add_every_count_and_keep_every_problem_in_worker_order():
    first = ReplayStats(lines=3, inputs=4, recorded=3, rejected=1, problems=["line 1: not valid JSON"])
    second = ReplayStats(lines=2, inputs=2, recorded=1, failed=1, redelivered=2, problems=["line 4: failed"])
    total = merge([first, second])
    assert (total.lines, total.inputs, total.recorded, total.rejected, total.failed, total.redelivered) == (
        5,
        6,
        4,
        1,
        1,
        2,
    )
    assert total.problems == ["line 1: not valid JSON", "line 4: failed"]
    assert not total.ok
    assert merge([]).ok and merge([]).inputs == 0
