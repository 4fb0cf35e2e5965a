from __future__ import annotations

import pytest

from jobs import registry


@pytest.fixture
def demo_jobs():
    """Register the demo jobs for one test (they are also what worker subprocesses load)."""
    import importlib

    from tests.jobs import demojobs

    before = dict(registry.REGISTRY)
    importlib.reload(demojobs)
    yield registry.REGISTRY
    registry.REGISTRY.clear()
    registry.REGISTRY.update(before)
