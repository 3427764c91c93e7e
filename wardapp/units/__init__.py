"""The organisation: wards, communes and agencies, which accounts belong to and plans assign."""
