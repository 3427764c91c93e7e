"""What the tests share: factories, signed-in clients, servers, faults and the tables they check.

Fixtures live in the ``conftest.py`` files; everything here is plain code they and the tests
import (``from support.evidence import Officer``)."""
