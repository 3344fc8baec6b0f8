"""Every page of the web interface for a single UPS in a browser: each
reaches data-ready with no console error; screenshots of the main pages;
the switch to French and its reload (tests/browser/pages.mjs)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browsertest import main
from webtest import STRONG


def setup(gateway):
    gateway.admin(STRONG)
    return {"PASSWORD": STRONG}


main("pages", setup=setup)
