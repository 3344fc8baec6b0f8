"""The pages of a parallel system of 4 units in a browser: the system
synoptic as the home page, every unit and level, screenshots
(tests/browser/pages.mjs with TOPOLOGY parallel:4)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browsertest import main
from webtest import STRONG


def setup(gateway):
    gateway.admin(STRONG)
    return {"PASSWORD": STRONG}


main("parallel", script="pages", topology="parallel:4", setup=setup)
