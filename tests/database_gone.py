"""A database that has gone away, for tests of how the app answers then."""


class DatabaseGone:
    """A database connection that fails the way PostgreSQL's does while the server restarts
    (connection.execute_wrapper: every query through the ORM or a cursor raises)."""

    def __init__(self, error):
        self.error = error

    def __call__(self, execute, sql, params, many, context):
        raise self.error("server closed the connection unexpectedly")
