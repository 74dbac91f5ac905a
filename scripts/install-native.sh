#!/usr/bin/env bash
# Install the native side from Debian (idempotent; quick when everything is present).
# Core raising does not need any of it: only the compiled toolchain checks, RVV runs and the
# multi-threaded variant (libomp) do.
set -euo pipefail
PACKAGES=(clang-22 lld-22 llvm-22 mlir-22-tools qemu-user gcc-riscv64-linux-gnu
          libc6-dev-riscv64-cross libomp-22-dev)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "native toolchain: present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "native toolchain: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
