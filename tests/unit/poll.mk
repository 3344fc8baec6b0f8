# tests/unit/poll.mk
