"""Migrations undone and applied again inside a test, with one executor: the graph is loaded once, each step is
one plan (every app at once).

`manage.py migrate` would load the graph again, render the whole project state before and after every call and
send the pre/post-migrate signals (content types and permissions, which the test database already has): most of
a migration test's time, for nothing it proves. The schema operations and data migrations run the same way."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import ProjectState

Node = tuple[str, str]


class Migrations:
    def __init__(self) -> None:
        self.executor = MigrationExecutor(connection)
        self.graph = self.executor.loader.graph

    @property
    def applied(self) -> set[Node]:
        return set(self.executor.loader.applied_migrations)

    def leaf(self, app_label: str) -> Node:
        (leaf,) = [node for node in self.graph.leaf_nodes() if node[0] == app_label]
        return leaf

    def first(self, app_label: str) -> Node:
        (root,) = [node for node in self.graph.root_nodes() if node[0] == app_label]
        return root

    def undo(self, nodes: list[Node]) -> ProjectState:
        """Unapply these migrations and every applied migration that depends on them, in one plan (the union of
        what `migrate <app> <the migration before>` would undo for each); the state after it."""
        applied = dict(self.executor.loader.applied_migrations)
        plan = []
        for node in nodes:
            for key in self.graph.backwards_plan(node):
                if key in applied:
                    plan.append((self.graph.nodes[key], True))
                    del applied[key]
        assert plan, f"nothing to undo: {nodes} are not applied"
        return self._run(plan)

    def apply(self, targets: list[Node] | None = None) -> ProjectState:
        """Apply these migrations and what they depend on (every app's latest by default); the state after."""
        plan = self.executor.migration_plan(targets or self.graph.leaf_nodes())
        assert not any(backwards for _, backwards in plan), plan
        return self._run(plan) if plan else self.executor.loader.project_state()

    def _run(self, plan: list) -> ProjectState:
        # Each step starts from a project state rendered afresh: SQLite rebuilds a table with its columns in the
        # order of the rendered fields, which a state carried over from the step before may not keep.
        state = self.executor.migrate([], plan=plan)
        # The executor records each step in the database; its loader still holds what was applied before.
        # (the loader holds the recorder's rows too: django-stubs types them as the migrations themselves).
        applied = self.executor.recorder.applied_migrations()
        self.executor.loader.applied_migrations = applied  # type: ignore[assignment]
        return state
