#!/usr/bin/env bash
# The system packages `npm test` needs besides npm's, on Debian/Ubuntu: Python with PyTorch, ONNX, NumPy
# and pytest (the model tools' tests), sqlite3, Chromium (the end-to-end tests) and Slurm with munge (the
# scale-out test). Installs what is missing with apt-get when it may (as root, or through sudo without a
# password) and otherwise prints the one command to run. `npm test` (tools/run-tests.js) and .ci/run
# call it; nothing here downloads anything but Debian's packages.
set -euo pipefail

need=()
/usr/bin/python3 -c 'import torch, onnx, numpy, pytest' 2>/dev/null ||
  need+=(python3-torch python3-onnx python3-numpy python3-pytest)
command -v sqlite3 >/dev/null || need+=(sqlite3)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/sbin/slurmctld ] || need+=(slurm-wlm)
[ -x /usr/sbin/munged ] || need+=(munge)
[ ${#need[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "The tests need ${need[*]} (Debian package names); this is not a Debian/Ubuntu system, so install their equivalents." >&2
  exit 1
fi
if [ "$(id -u)" = 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "The tests need system packages that are missing; install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "Installing the system packages the tests need: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${need[@]}"
