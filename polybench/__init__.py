"""PolyBench/C 4.2.1 kernels as affine MLIR, with datasets, inputs and numpy references."""
