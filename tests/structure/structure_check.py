"""The command line the whole-source checks share:

    check_X.py SRC_DIR

runs the check's self-test (a made-up tree it must judge right, so the
check can fail), then the check on SRC_DIR: one line per finding and exit
status 1 when there is one, else a line saying all is well and status 0.
"""
import os
import sys


def run(self_test, findings, failed, passed):
    """`failed(n)` is the last line for n findings, `passed` the line for none."""
    if len(sys.argv) != 2:
        print(f"usage: {os.path.basename(sys.argv[0])} SRC_DIR", file=sys.stderr)
        return 2
    if not self_test():
        return 1
    found = findings(os.path.abspath(sys.argv[1]))
    for line in found:
        print(line)
    if found:
        print(failed(len(found)))
        return 1
    print(passed)
    return 0
