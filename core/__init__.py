"""The shared vocabulary at the bottom of the layers: the binding-free kernel IR
(`kernel_ir`) and the one module that owns the MLIR context and every pass pipeline
(`mlir_env`). Imports nothing of the tool."""
