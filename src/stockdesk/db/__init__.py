"""SQLAlchemy tables, the engine, repositories, read queries and the programmatic Alembic upgrade."""
