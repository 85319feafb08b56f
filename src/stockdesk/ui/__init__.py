"""Desktop client: PySide6 screens, table models and dialogs. Never imports sqlalchemy."""
