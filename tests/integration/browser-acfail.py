"""An AC failure in a browser: the simulator's ac-fail turns the unit
synoptic to "on battery" within 2 poll cycles, raises the alarm counter
and its flashing, the event shows in the UPS event log and its CSV
export, a read-write user's acknowledgement stops the flashing
(tests/browser/acfail.mjs)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browsertest import main
from webtest import STRONG

OPERATOR = "Operat0r!pass#7"


def setup(gateway):
    admin = gateway.admin(STRONG)
    gateway.user(admin, "operator", "read-write", OPERATOR)
    return {"USER_NAME": "operator", "PASSWORD": OPERATOR}


main("acfail", setup=setup)
