# tests/unit/maps.mk
