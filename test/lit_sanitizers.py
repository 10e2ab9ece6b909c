# Shared by test/lit.cfg.py and test/unit/lit.cfg.py: how a sanitized build
# (-DATTNC_SANITIZE=address,undefined, scripts/test.sh's clang build) runs.
#
# Every finding aborts the process (abort_on_error), so that a test sees a
# crash, which `not` does not excuse, rather than exit status 1, which it
# would. Allocations too large to have return null instead of aborting:
# attnc's own size checks report those, and the tests check that they do.
# allow_user_poisoning=0: our instrumented code inlines LLVM's
# BumpPtrAllocator, which poisons whole slabs that Debian's uninstrumented
# libMLIR then allocates from without unpoisoning, a false
# "use-after-poison" (test/fuzz/README.md).


def configure(config):
    if not config.attnc_sanitize:
        return
    config.available_features.add("sanitized")
    config.environment["ASAN_OPTIONS"] = (
        "abort_on_error=1:allocator_may_return_null=1:detect_leaks=1:"
        "allow_user_poisoning=0")
    config.environment["UBSAN_OPTIONS"] = "abort_on_error=1:print_stacktrace=1"
