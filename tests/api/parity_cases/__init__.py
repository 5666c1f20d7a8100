"""More page ↔ API parity cases, one module per app (tests/api/test_write_parity.py).

Each module defines ``scenarios(p) -> list`` where ``p`` is the test_write_parity module (its
``S``/``Scenario``, ``only``, ``INSIDE``/``OUTSIDE``/``VIEWER``, ``_url``, ``_fresh``,
``_version``), and may define ``extend(world)`` to add records to the shared world (called
once, when the world is built)."""
