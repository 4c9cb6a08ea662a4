#!/bin/sh
# Packs bench_dicom_load, dcm2niix, their Debian 12 libraries (glibc and loader included) and 24 real source slices
# into BUILD/devbench, so the benchmark runs unchanged on a machine with another distribution (used for the
# 16-core numbers in docs/PERFORMANCE.md). Usage: bench/dicom/make_device_bundle.sh BUILD_DIR; then run
# BUILD_DIR/devbench/run.sh there with $OUT set to a folder for the results.
set -eu
build=$1
src="$(dirname "$0")/../../../shared/data/dicom/lung-pet-ct-dx/Lung_Dx-A0001/04-04-2007-NA-Chest-07990/2.000000-5mm-40805"
d="$build/devbench"
rm -rf "$d" && mkdir -p "$d/bin" "$d/lib" "$d/src"
cp "$build/bin/bench_dicom_load" "$d/bin/"
cp "$(command -v dcm2niix)" "$d/bin/dcm2niix.real"
{ ldd "$build/bin/bench_dicom_load"; ldd "$(command -v dcm2niix)"; } | awk '$3 ~ /^\// {print $3}' | sort -u |
  xargs cp -L -t "$d/lib/"
cp -L /lib64/ld-linux-x86-64.so.2 "$d/lib/"
ls "$src"/*.dcm | sort | sed -n '17,40p' | while read -r f; do cp "$f" "$d/src/"; done
cat > "$d/bin/dcm2niix" <<'WRAP'
#!/bin/sh
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../lib/ld-linux-x86-64.so.2" --library-path "$here/../lib" "$here/dcm2niix.real" "$@"
WRAP
cat > "$d/run.sh" <<'RUN'
#!/bin/sh
cd "$(dirname "$0")"
head -2 /etc/os-release; nproc
export PATH="$PWD/bin:$PATH"
run() { lib/ld-linux-x86-64.so.2 --library-path lib bin/bench_dicom_load --source src "$@"; }
run --repeats 5 > "$OUT/bench-all-cores.txt" 2>&1
run --repeats 5 --threads 2 > "$OUT/bench-2-threads.txt" 2>&1
cat "$OUT/bench-all-cores.txt" "$OUT/bench-2-threads.txt"
RUN
chmod +x "$d/bin/dcm2niix" "$d/run.sh"
du -sh "$d"
