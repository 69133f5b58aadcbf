"""Pass/fail bookkeeping shared by the end-to-end scripts.

    checks = Checks()
    checks.check(cond, "what was expected")   # prints FAIL: … when cond is false
    sys.exit(checks.finish())                 # prints "N passed, N failed"; 1 on any failure
"""


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL:", what, flush=True)
        return cond

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        return 1 if self.failed else 0
