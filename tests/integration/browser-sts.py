"""The pages of a static transfer switch in a browser: the STS synoptic as
the home page, its parameter tables, screenshots (tests/browser/pages.mjs
with TOPOLOGY sts)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browsertest import main
from webtest import STRONG


def setup(gateway):
    gateway.admin(STRONG)
    return {"PASSWORD": STRONG}


main("sts", script="pages", topology="sts", setup=setup)
