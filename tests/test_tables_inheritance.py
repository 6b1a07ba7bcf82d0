"""Fee tables without repetition: what a bundled table loads to is pinned by a digest of its data."""

from table_digests import current, recorded


def test_every_bundled_tables_loaded_data_is_unchanged():
    """The engine reads TableInfo.data only: equal digests mean equal fees.  After a meant change of a
    table, check it with `python tests/table_digests.py --dump ID` in both revisions, then `--write`."""
    assert current() == recorded()
