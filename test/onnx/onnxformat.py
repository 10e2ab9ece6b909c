"""lit test format for the onnx node tests (test/onnx).

lit.local.cfg documents what it runs; it lives in a module, not in the
config, so that lit's worker processes can unpickle it.
"""
import os
import re
import shutil
import subprocess

import lit.formats
import lit.Test

# The directory of this module and of compare.py, which is test/onnx.
onnx_dir = os.path.dirname(os.path.abspath(__file__))


def data_dir(config):
    return (os.environ.get("ATTNC_ONNX_TESTDATA")
            or getattr(config, "attnc_onnx_testdata", None)
            or os.path.join(config.attnc_obj_root, "onnx-testdata"))


def listed_cases():
    """The cases of node-tests.txt, in order."""
    with open(os.path.join(onnx_dir, "node-tests.txt")) as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def expected_unsupported():
    """expected-unsupported.txt: case -> the text its error must contain."""
    out = {}
    with open(os.path.join(onnx_dir, "expected-unsupported.txt")) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            case, _, message = line.partition(" ")
            out[case] = message.strip()
    return out


def case_names(directory):
    if not os.path.isdir(directory):
        return []
    return [n for n in listed_cases()
            if os.path.isfile(os.path.join(directory, n, "model.onnx"))]


class OnnxConformance(lit.formats.TestFormat):
    def getTestsInDirectory(self, testSuite, path_in_suite, litConfig,
                            localConfig):
        if testSuite.getSourcePath(path_in_suite) != onnx_dir:
            return
        names = case_names(data_dir(localConfig)) or ["fetch-testdata"]
        for name in names:
            yield lit.Test.Test(testSuite, path_in_suite + (name,),
                                localConfig)

    def execute(self, test, litConfig):
        config = test.config
        name = test.path_in_suite[-1]
        data = data_dir(config)
        case = os.path.join(data, name)
        if not os.path.isdir(case):
            return lit.Test.FAIL, (
                "no onnx conformance data in %s; run "
                "scripts/fetch-onnx-testdata.sh %s (or set ATTNC_ONNX_TESTDATA)"
                % (data, data))
        attn_run = os.path.join(config.attnc_tools_dir, "attn-run")
        if not os.path.isfile(attn_run):
            return lit.Test.FAIL, "attn-run is not built (expected %s)" % attn_run

        dataset = os.path.join(case, "test_data_set_0")
        inputs = sorted(
            (f for f in os.listdir(dataset) if re.fullmatch(r"input_\d+\.pb", f)),
            key=lambda f: int(f[6:-3]))
        out_dir = os.path.join(os.path.dirname(test.getExecPath()), "Output",
                               name)
        shutil.rmtree(out_dir, ignore_errors=True)
        os.makedirs(out_dir)
        run = [attn_run, os.path.join(case, "model.onnx")]
        for f in inputs:
            run += ["--input", os.path.join(dataset, f)]
        run += ["--output-dir", out_dir]

        # compare.py needs numpy and onnx: the python3 on PATH, with the
        # packages that the fetch script installed beside the data, if any.
        env = dict(config.environment)
        python = (os.environ.get("ATTNC_ONNX_PYTHON")
                  or shutil.which("python3", path=env.get("PATH"))
                  or "python3")
        packages = os.path.join(data, ".python-packages")
        if os.path.isdir(packages):
            env["PYTHONPATH"] = os.pathsep.join(
                p for p in [packages, env.get("PYTHONPATH")] if p)
        compare = [python, os.path.join(onnx_dir, "compare.py"),
                   os.path.join(case, "model.onnx"), dataset, out_dir]

        timeout = litConfig.maxIndividualTestTime or 600
        log = ""
        unsupported = expected_unsupported().get(name)
        if unsupported is not None:
            # A case the importer refuses: attn-run must fail cleanly (exit
            # status 1, no crash) with the listed message.
            log += "$ " + " ".join(run) + "\n"
            try:
                p = subprocess.run(run, env=env, cwd=out_dir,
                                   stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=timeout)
            except subprocess.TimeoutExpired:
                return lit.Test.TIMEOUT, log + "timed out after %ds\n" % timeout
            text = p.stdout.decode(errors="replace")
            log += text
            if p.returncode != 1:
                return lit.Test.FAIL, log + (
                    "expected-unsupported.txt lists this case, but attn-run "
                    "exited with %d, not 1\n" % p.returncode)
            if unsupported not in text:
                return lit.Test.FAIL, log + (
                    "expected the error to contain: %s\n" % unsupported)
            return lit.Test.PASS, log
        for command in (run, compare):
            log += "$ " + " ".join(command) + "\n"
            try:
                p = subprocess.run(command, env=env, cwd=out_dir,
                                   stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=timeout)
            except subprocess.TimeoutExpired:
                return lit.Test.TIMEOUT, log + "timed out after %ds\n" % timeout
            log += p.stdout.decode(errors="replace")
            if p.returncode != 0:
                return lit.Test.FAIL, log + "exit code %d\n" % p.returncode
        return lit.Test.PASS, log

