"""Lowering, its own stage: original and raised kernels through the CPU (x86_64) and RVV
pipelines to LLVM IR and native code (`lower`), the guards and rewrites before a schedule
(`prepare`), the per-op tiling/vectorisation schedules (`schedule`) and the clang/qemu
builds and runs (`native`). Pass pipelines live in core.mlir_env. Never searches."""
