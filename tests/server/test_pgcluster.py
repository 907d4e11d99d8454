"""The database fixtures hand out working, fresh, empty databases on both backends."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

metadata = sa.MetaData()
item = sa.Table(
    "item",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
)


def table_names(url: str) -> list[str]:
    """Tables in the database at url."""
    engine = sa.create_engine(url)
    try:
        return sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_create_insert_select(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    try:
        assert engine.dialect.name == sa.make_url(database_url).get_backend_name()
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(sa.insert(item), [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Émile"}])
        with engine.connect() as conn:
            rows = conn.execute(sa.select(item.c.id, item.c.name).order_by(item.c.id)).all()
        assert [tuple(row) for row in rows] == [(1, "Ada"), (2, "Émile")]
    finally:
        engine.dispose()


def test_databases_are_fresh_and_distinct(
    database_url: str, make_database_url: Callable[[], str]
) -> None:
    assert table_names(database_url) == []
    engine = sa.create_engine(database_url)
    try:
        metadata.create_all(engine)
    finally:
        engine.dispose()
    assert table_names(database_url) == ["item"]

    other = make_database_url()
    assert other != database_url
    assert table_names(other) == []
