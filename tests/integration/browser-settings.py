"""Settings in a browser: a change made in #/admin/gateway reaches the
configuration file, a reload and the top bar; a read-only user created by
the admin changes its password at first login, then finds every setting
disabled, no save, clear or acknowledge button, and the API refusing what
it sends from the page (tests/browser/settings.mjs)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browsertest import main
from webtest import STRONG


def setup(gateway):
    gateway.admin(STRONG)
    return {"PASSWORD": STRONG}


main("settings", setup=setup)
