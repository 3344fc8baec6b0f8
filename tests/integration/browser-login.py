"""The first login in a browser: the initial password, the forced change
and the days-left notice through the UI's dialogs; the size of the first
page load; logging out; the phone layout (tests/browser/login.mjs)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browsertest import main
from webtest import STRONG


def setup(gateway):
    return {"INITIAL_PASSWORD": gateway.initial_password(), "NEW_PASSWORD": STRONG}


main("login", setup=setup)
