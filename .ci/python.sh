#!/usr/bin/env bash
# The Python package and the Spark job: builds the wheel with maturin, installs
# it into a fresh-ish venv (proving a wheel install works), runs pytest for the
# package and the Spark job's test (local[2]). Called by .ci/run after cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# Versions are pinned so CI is reproducible; pyspark 3.5 runs on Java 17.
PYSPARK=pyspark==3.5.9
VENV=$ROOT/target/py-venv
# maturin gets its own target dir so it does not thrash the workspace's.
PY_TARGET=$ROOT/target/py

if ! command -v java >/dev/null 2>&1; then
    apt-get update -q && apt-get install -y -q openjdk-17-jre-headless
fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    apt-get update -q && apt-get install -y -q python3-venv
fi

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check 'maturin>=1.5,<2' 'pytest>=8' "$PYSPARK" 'pyarrow>=14'

# The CLI is what the package's records are compared against: the workspace's
# debug build, which `cargo test --workspace` has already made (a no-op then).
cargo build -q -p gleaner-cli
export GLEANER_BIN=$ROOT/target/debug/gleaner

(cd crates/gleaner-py && CARGO_TARGET_DIR=$PY_TARGET cargo clippy --quiet -- -D warnings)
rm -rf "$PY_TARGET/wheels"
(cd crates/gleaner-py && CARGO_TARGET_DIR=$PY_TARGET "$VENV/bin/maturin" build --release --quiet -o "$PY_TARGET/wheels")
"$VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$PY_TARGET"/wheels/gleaner-*.whl

# Run from outside the source tree so `import gleaner` is the installed wheel.
cd "$ROOT/target"
"$VENV/bin/python" -m pytest -p no:cacheprovider -q "$ROOT/crates/gleaner-py/tests" "$ROOT/spark/tests"
