"""Fixtures for the media tests."""

import pytest
from PIL import ImageFile


@pytest.fixture
def no_decoding(monkeypatch):
    """Any photo decoded from here on fails the test."""

    def load(self):
        raise AssertionError(f"decoded a {self.size[0]}×{self.size[1]} {self.format}")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
